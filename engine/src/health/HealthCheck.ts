/** What every source reports to /readyz and `aicloudops doctor`. */
export interface HealthCheck {
  /** Which source, e.g. `metrics`, `cluster:prod`, `store`, `model`. */
  name: string;
  ok: boolean;
  /** What was checked and, when not ok, what is wrong and what to try. */
  detail: string;
  latencyMs?: number;
}

export interface HealthChecked {
  check(): Promise<HealthCheck>;
}
