/** Every time the engine sends (forecast points, history, query_range timestamps) is unix seconds; Grafana wants ms. */
export function toEpochMs(unixSeconds: number): number {
  return unixSeconds * 1000;
}
