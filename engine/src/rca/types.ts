/**
 * What the RCA algorithms consume and the ports they need. Everything here is plain data: the adapters (Prometheus
 * via MetricsSource, Kubernetes via ClusterSource) and the benchmark loaders (PetShop, Nezha) fill the same shapes,
 * so production and benchmarks run the same code path.
 */

/** Unix seconds. */
export type Seconds = number;

export type BadDirection = 'up' | 'down' | 'both';

export interface IncidentWindow {
  /** Start of the baseline ("normal") period. */
  baselineStart: Seconds;
  /** Onset of the incident: points at or after it are the incident, points before it the baseline. */
  start: Seconds;
  end: Seconds;
}

/** One signal of one service over baseline + incident. */
export interface SignalSeries {
  service: string;
  signal: string;
  badDirection: BadDirection;
  unit?: string;
  /**
   * Whose health the signal measures: `self` (default) the service's own work; `client` the calls it makes to others
   * (client-side latency or errors), which mostly reflect its callees and so weigh less as root-cause evidence.
   */
  perspective?: 'self' | 'client';
  /**
   * Which kind of telemetry the series was derived from (`metrics` when absent, `traces` for span-derived series).
   * Each kind is ranked on its own and the rankings are fused, because scores from different baselines and
   * resolutions are not on one scale.
   */
  modality?: 'metrics' | 'traces';
  /**
   * For signals that count events: how many events one unit of a value stands for at each point (a rate per second
   * bucketed by 30 s → 30). Counts are noisy by nature (Poisson: a count n varies by about √n), so the baseline scale
   * never goes below that noise however flat a short baseline happened to be.
   */
  eventsPerUnit?: number;
  /** The query that produced it, kept as evidence so a human can open it. */
  promql?: string;
  /** Ascending; NaN values are ignored. */
  timestamps: Seconds[];
  values: number[];
  /**
   * The same hours (baseline and window) on earlier days, their points pooled in time order: the baseline the series
   * is scored against when there are enough of them (scoreSameHours). `days`: how many earlier days had data.
   */
  sameHours?: { days: number; values: number[] };
}

export type EdgeOrigin = 'config' | 'metrics' | 'correlation' | 'dataset' | 'traces';

/** Caller → callee. Faults propagate the other way: a slow callee makes its callers slow. */
export interface ServiceEdge {
  from: string;
  to: string;
  origin: EdgeOrigin;
}

export interface ServiceGraph {
  services: string[];
  edges: ServiceEdge[];
}

export interface LogRecord {
  service: string;
  timestamp: Seconds;
  message: string;
}

/** A Kubernetes event attributed to a service. */
export interface KubeEventEvidence {
  service: string;
  time: Seconds;
  type: string;
  reason: string;
  message: string;
  count: number;
  object: string;
}

/** A recent change of a service: a rollout, an image or config change, a restart burst. */
export interface ChangeEvidence {
  service: string;
  time: Seconds;
  kind: 'rollout' | 'image' | 'config' | 'restart' | 'scale';
  description: string;
}

export interface RcaTarget {
  service: string;
  signal?: string;
}

/** Everything one analysis looks at. */
export interface RcaInput {
  window: IncidentWindow;
  target?: RcaTarget;
  series: SignalSeries[];
  graph: ServiceGraph;
  logs?: LogRecord[];
  events?: KubeEventEvidence[];
  changes?: ChangeEvidence[];
}

/** The narrow port to a language model; the lead connects it to the configured provider. */
export interface Summarizer {
  summarize(prompt: string): Promise<string>;
}

/** Progress callback the analysis calls between its stages. */
export type ProgressFn = (fraction: number, message: string) => void;
