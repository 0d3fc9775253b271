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

interface Bucket {
  count: number;
  self: number[];
  gaps: number[];
  total: number[];
  errors: number;
  hasStatus: boolean;
}

/**
 * Turns spans into the series and graph the core already understands, and caller → callee edges from parent spans
 * that belong to another service. Traces thus need no separate ranking path.
 *
 * Time is attributed where it was spent, not where it was observed: a span's total duration contains every callee's
 * duration, so a slow callee would make all its callers look slow. Each span's exclusive time (its duration minus
 * its children's) is therefore split in two:
 * - a span whose children run in other services is a client call: its exclusive time is the time between the caller
 *   sending and the callee answering (network, queues, connection set-up), charged to the callee it waits for;
 * - any other span's exclusive time is work of its own service.
 * Per service and time bucket this gives the span count, the p90 of own (self) time, the p90 of inbound call gaps,
 * the p90 of total time (marked `client`: it mostly measures callees), and the error count when spans carry a status.
 */
export function seriesFromSpans(
  spans: Span[],
  bucketSeconds: number,
): { series: SignalSeries[]; edges: ServiceEdge[] } {
  const byId = new Map<string, Span>();
  for (const span of spans) byId.set(`${span.traceId}/${span.spanId}`, span);
  const childTime = new Map<Span, number>();
  const remoteChild = new Map<Span, string>();
  const edgeKeys = new Set<string>();
  const edges: ServiceEdge[] = [];
  for (const span of spans) {
    if (!span.service || !Number.isFinite(span.start)) continue;
    const parent = span.parentId ? byId.get(`${span.traceId}/${span.parentId}`) : undefined;
    if (!parent) continue;
    if (Number.isFinite(span.durationMs))
      childTime.set(parent, (childTime.get(parent) ?? 0) + span.durationMs);
    if (parent.service && parent.service !== span.service) {
      remoteChild.set(parent, span.service);
      const key = `${parent.service}\u0000${span.service}`;
      if (!edgeKeys.has(key)) {
        edgeKeys.add(key);
        edges.push({ from: parent.service, to: span.service, origin: 'traces' });
      }
    }
  }

  const buckets = new Map<string, Map<number, Bucket>>();
  const bucketOf = (service: string, start: number): Bucket => {
    let perService = buckets.get(service);
    if (!perService) buckets.set(service, (perService = new Map()));
    const t = Math.floor(start / bucketSeconds) * bucketSeconds;
    let bucket = perService.get(t);
    if (!bucket)
      perService.set(t, (bucket = { count: 0, self: [], gaps: [], total: [], errors: 0, hasStatus: false }));
    return bucket;
  };
  for (const span of spans) {
    if (!span.service || !Number.isFinite(span.start)) continue;
    const bucket = bucketOf(span.service, span.start);
    bucket.count++;
    if (span.error !== undefined) {
      bucket.hasStatus = true;
      if (span.error) bucket.errors++;
    }
    if (!Number.isFinite(span.durationMs)) continue;
    bucket.total.push(span.durationMs);
    // Concurrent children can sum to more than the parent: exclusive time never goes below 0.
    const exclusive = Math.max(0, span.durationMs - (childTime.get(span) ?? 0));
    const callee = remoteChild.get(span);
    if (callee) bucketOf(callee, span.start).gaps.push(exclusive);
    else bucket.self.push(exclusive);
  }

  const series: SignalSeries[] = [];
  for (const [service, perService] of buckets) {
    const times = [...perService.keys()].sort((a, b) => a - b);
    const rows = times.map((t) => perService.get(t)!);
    const add = (
      signal: string,
      badDirection: SignalSeries['badDirection'],
      unit: string,
      values: number[],
      extra: Partial<SignalSeries> = {},
    ) => {
      if (values.some(Number.isFinite)) {
        series.push({
          service,
          signal,
          badDirection,
          unit,
          modality: 'traces',
          timestamps: times,
          values,
          ...extra,
        });
      }
    };
    const counted = { eventsPerUnit: bucketSeconds };
    add(
      'trace_span_rate',
      'both',
      'spans/s',
      rows.map((r) => r.count / bucketSeconds),
      counted,
    );
    add(
      'trace_self_time_p90',
      'up',
      'ms',
      rows.map((r) => quantile(r.self, 0.9)),
    );
    add(
      'trace_inbound_gap_p90',
      'up',
      'ms',
      rows.map((r) => quantile(r.gaps, 0.9)),
    );
    add(
      'trace_latency_p90',
      'up',
      'ms',
      rows.map((r) => quantile(r.total, 0.9)),
      { perspective: 'client' },
    );
    if (rows.some((r) => r.hasStatus))
      add(
        'trace_errors',
        'up',
        'spans/s',
        rows.map((r) => r.errors / bucketSeconds),
        counted,
      );
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
