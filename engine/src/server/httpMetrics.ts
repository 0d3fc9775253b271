import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { JobMetrics } from '../jobs/JobRunner.js';
import { FastHistogram, type HistogramSeries } from '../util/fastHistogram.js';

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

type RequestLabels = { method: string; route: string; status_code: string };

/**
 * HTTP request latency by method, route and status (FastHistogram says why it is not prom-client's). Route, then
 * status, then method: their strings are the same objects on every request, so each lookup hashes nothing new (one
 * key built as `${method} ${status} ${route}` made an observation ~425 ns; this way ~70 ns).
 */
export class RequestHistogram extends FastHistogram<RequestLabels> {
  private byRoute = new Map<string, Map<number, Map<string, HistogramSeries<RequestLabels>>>>();

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    let byStatus = this.byRoute.get(route);
    if (!byStatus) this.byRoute.set(route, (byStatus = new Map()));
    let byMethod = byStatus.get(statusCode);
    if (!byMethod) byStatus.set(statusCode, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (!series)
      byMethod.set(method, (series = this.newSeries({ method, route, status_code: String(statusCode) })));
    this.record(series, seconds);
  }

  protected forgetSeries(): void {
    this.byRoute = new Map();
  }
}
