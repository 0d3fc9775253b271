import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { JobMetrics } from '../jobs/JobRunner.js';

/**
 * The engine's own metrics. One registry per engine (not prom-client's global one) so several engines in one process
 * (tests, the Backstage backend) don't collide.
 */
export class EngineMetrics implements JobMetrics {
  readonly registry = new Registry();
  readonly requestDuration: RequestHistogram;
  private readonly jobsStarted: Counter<'kind'>;
  private readonly jobsFinished: Counter<'kind' | 'status'>;
  private readonly jobDuration: Histogram<'kind'>;
  private readonly jobsRunning: Gauge<'kind'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'aicloudops_' });
    this.requestDuration = new RequestHistogram(
      'aicloudops_http_request_duration_seconds',
      'HTTP request latency by route',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
    this.registry.registerMetric(this.requestDuration as unknown as Metric);
    this.jobsStarted = new Counter({
      name: 'aicloudops_jobs_started_total',
      help: 'Jobs started by kind',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    this.jobsFinished = new Counter({
      name: 'aicloudops_jobs_finished_total',
      help: 'Jobs finished by kind and outcome',
      labelNames: ['kind', 'status'],
      registers: [this.registry],
    });
    this.jobDuration = new Histogram({
      name: 'aicloudops_job_duration_seconds',
      help: 'Job run time by kind',
      labelNames: ['kind'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers: [this.registry],
    });
    this.jobsRunning = new Gauge({
      name: 'aicloudops_jobs_running',
      help: 'Jobs running now by kind',
      labelNames: ['kind'],
      registers: [this.registry],
    });
  }

  started(kind: string): void {
    this.jobsStarted.inc({ kind });
    this.jobsRunning.inc({ kind });
  }

  finished(kind: string, status: string, seconds: number): void {
    this.jobsFinished.inc({ kind, status });
    this.jobDuration.observe({ kind }, seconds);
    this.jobsRunning.dec({ kind });
  }
}

export const httpMetricsPlugin = fp(
  async (app: FastifyInstance, options: { metrics: EngineMetrics }) => {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      options.metrics.requestDuration.observe(
        request.method,
        route,
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'aicloudops-http-metrics' },
);

/** A series of the request histogram: its labels as prom-client orders them, per-bucket counts, sum and count. */
interface Series {
  labels: { method: string; route: string; status_code: string };
  buckets: number[];
  sum: number;
  count: number;
}

/** A metric as prom-client's registry renders it (its typings declare `type` as a numeric enum; it reads a string). */
interface RenderedMetric {
  name: string;
  help: string;
  type: 'histogram';
  aggregator: 'sum';
  values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }>;
}

/**
 * HTTP request latency by method, route and status, exposed through the registry as prom-client's Histogram is (same
 * lines, same order: series in first-observed order, `le` first). Hand-written as alerts/AlertMetrics' ingest
 * histogram is: prom-client's labelled observe validates, sorts and hashes the label set on every request, 0.9% of the
 * engine's CPU in the alert-ingest storm's profile; here an observation is three map lookups and a bucket search.
 */
export class RequestHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  /**
   * Route, then status, then method: their strings are the same objects on every request, so each lookup hashes
   * nothing new (one key built as `${method} ${status} ${route}` made an observation ~425 ns; this way ~70 ns).
   */
  private byRoute = new Map<string, Map<number, Map<string, Series>>>();
  /** In first-observed order, as prom-client renders label sets. */
  private series: Series[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {}

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    const series = this.seriesOf(method, route, statusCode);
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    if (i < this.bounds.length) series.buckets[i]! += 1;
    series.sum += seconds;
    series.count += 1;
  }

  private seriesOf(method: string, route: string, statusCode: number): Series {
    let byStatus = this.byRoute.get(route);
    if (!byStatus) this.byRoute.set(route, (byStatus = new Map()));
    let byMethod = byStatus.get(statusCode);
    if (!byMethod) byStatus.set(statusCode, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (!series) {
      const labels = { method, route, status_code: String(statusCode) };
      series = { labels, buckets: new Array<number>(this.bounds.length).fill(0), sum: 0, count: 0 };
      byMethod.set(method, series);
      this.series.push(series);
    }
    return series;
  }

  /** What the registry renders: per series the cumulative buckets, +Inf, sum and count. */
  get(): Promise<RenderedMetric> {
    const values: RenderedMetric['values'] = [];
    for (const { labels, buckets, sum, count } of this.series) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += buckets[i]!;
        values.push({ labels: { le, ...labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...labels }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels: { ...labels }, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...labels }, value: count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    });
  }

  reset(): void {
    this.byRoute = new Map();
    this.series = [];
  }
}
