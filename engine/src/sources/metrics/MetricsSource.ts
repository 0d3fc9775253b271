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
  /** Name of the configured metrics source to ask (see MetricsSourceRegistry); omitted means the default one. */
  source?: string;
  /** Abandons the query when aborted (the caller left); sources that compute in-process stop between slices. */
  signal?: AbortSignal;
}

export interface InstantQueryOptions {
  /** Name of the configured metrics source to ask; omitted means the default one. */
  source?: string;
  /** As RangeQuery.signal. */
  signal?: AbortSignal;
}

/**
 * The one way the engine reads metrics: a query in (PromQL, or InfluxQL for an InfluxDB source), samples out.
 * Implemented by PrometheusMetricsSource (a real Prometheus or anything speaking its HTTP API), InfluxMetricsSource
 * and SyntheticMetricsSource (the demo shop), chosen by config; MetricsSourceRegistry routes each call to one of
 * several named sources (`RangeQuery.source`), so its `kind` is the default source's.
 * A PromQL the backend rejects throws EngineError('PROMQL_ERROR') carrying the backend's message.
 */
export interface MetricsSource {
  readonly kind: 'prometheus' | 'synthetic' | 'influxdb';
  instantQuery(query: string, time?: UnixSeconds, options?: InstantQueryOptions): Promise<InstantSample[]>;
  rangeQuery(query: RangeQuery): Promise<RangeSeries[]>;
  /** Label sets of the series matching any of the selectors, e.g. `['up{job="api"}']`. */
  series(matchers: string[], start?: UnixSeconds, end?: UnixSeconds): Promise<Labels[]>;
  labelNames(matchers?: string[]): Promise<string[]>;
  labelValues(label: string, matchers?: string[]): Promise<string[]>;
  check(): Promise<HealthCheck>;
}
