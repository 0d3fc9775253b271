import type { ServiceEdge, SignalSeries } from '../types.js';

/** One span of a distributed trace, reduced to what RCA needs. */
export interface Span {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentId: string;
  service: string;
  operation: string;
  /** Unix seconds. */
  start: number;
  durationMs: number;
  error?: boolean;
}

/**
 * Turns spans into the series and graph the core already understands: per service and time bucket, the span count,
 * the p90 duration and (when spans carry a status) the error count; and caller → callee edges from parent spans that
 * belong to another service. Traces thus need no separate ranking path.
 */
export function seriesFromSpans(spans: Span[], bucketSeconds: number): { series: SignalSeries[]; edges: ServiceEdge[] } {
  const byId = new Map<string, Span>();
  for (const span of spans) byId.set(`${span.traceId}/${span.spanId}`, span);
  const edgeKeys = new Set<string>();
  const edges: ServiceEdge[] = [];
  const buckets = new Map<string, Map<number, { durations: number[]; errors: number; hasStatus: boolean }>>();

  for (const span of spans) {
    if (!span.service || !Number.isFinite(span.start)) continue;
    const parent = span.parentId ? byId.get(`${span.traceId}/${span.parentId}`) : undefined;
    if (parent && parent.service && parent.service !== span.service) {
      const key = `${parent.service}\u0000${span.service}`;
      if (!edgeKeys.has(key)) {
        edgeKeys.add(key);
        edges.push({ from: parent.service, to: span.service, origin: 'traces' });
      }
    }
    let perService = buckets.get(span.service);
    if (!perService) buckets.set(span.service, (perService = new Map()));
    const t = Math.floor(span.start / bucketSeconds) * bucketSeconds;
    let bucket = perService.get(t);
    if (!bucket) perService.set(t, (bucket = { durations: [], errors: 0, hasStatus: false }));
    if (Number.isFinite(span.durationMs)) bucket.durations.push(span.durationMs);
    if (span.error !== undefined) {
      bucket.hasStatus = true;
      if (span.error) bucket.errors++;
    }
  }

  const series: SignalSeries[] = [];
  for (const [service, perService] of buckets) {
    const times = [...perService.keys()].sort((a, b) => a - b);
    const rows = times.map((t) => perService.get(t)!);
    series.push({
      service,
      signal: 'trace_span_rate',
      badDirection: 'both',
      unit: 'spans/s',
      timestamps: times,
      values: rows.map((r) => r.durations.length / bucketSeconds),
    });
    series.push({
      service,
      signal: 'trace_latency_p90',
      badDirection: 'up',
      unit: 'ms',
      timestamps: times,
      values: rows.map((r) => quantile(r.durations, 0.9)),
    });
    if (rows.some((r) => r.hasStatus)) {
      series.push({
        service,
        signal: 'trace_errors',
        badDirection: 'up',
        unit: 'spans/s',
        timestamps: times,
        values: rows.map((r) => r.errors / bucketSeconds),
      });
    }
  }
  return { series, edges };
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
