import type { HealthCheck } from '../../health/HealthCheck.js';

/** Unix time in seconds (Prometheus' convention), fractional allowed. */
export type UnixSeconds = number;

export type Labels = Record<string, string>;

export interface InstantSample {
  labels: Labels;
  timestamp: UnixSeconds;
  value: number;
}

export interface RangeSeries {
  labels: Labels;
  /** Ascending timestamps; a missing step is absent, never NaN-filled. */
  timestamps: UnixSeconds[];
  values: number[];
}

export interface RangeQuery {
  query: string;
  start: UnixSeconds;
  end: UnixSeconds;
  stepSeconds: number;
}

/**
 * The one way the engine reads metrics: PromQL in, samples out. Implemented by PrometheusMetricsSource (a real
 * Prometheus or anything speaking its HTTP API) and SyntheticMetricsSource (the demo shop), chosen by config.
 * A PromQL the backend rejects throws EngineError('PROMQL_ERROR') carrying the backend's message.
 */
export interface MetricsSource {
  readonly kind: 'prometheus' | 'synthetic';
  instantQuery(query: string, time?: UnixSeconds): Promise<InstantSample[]>;
  rangeQuery(query: RangeQuery): Promise<RangeSeries[]>;
  /** Label sets of the series matching any of the selectors, e.g. `['up{job="api"}']`. */
  series(matchers: string[], start?: UnixSeconds, end?: UnixSeconds): Promise<Labels[]>;
  labelNames(matchers?: string[]): Promise<string[]>;
  labelValues(label: string, matchers?: string[]): Promise<string[]>;
  check(): Promise<HealthCheck>;
}
