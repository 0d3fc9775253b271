import type { Engine } from '../../engine.js';
import type { JobRecord } from '../../jobs/JobRunner.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EngineError, fieldIssuesFromZod, invalidRequest } from '../../errors.js';
import { ingestRequestSchema } from '../../assistant/schemas.js';
import { alertsOf } from '../../alerts/alertsOf.js';
import { alertListQuerySchema, incidentListQuerySchema } from '../../alerts/schemas.js';
import type { z } from 'zod';
import type { CliBackend, IngestSource, ProgressFn } from './CliBackend.js';
import { jobOutcome, jobProgress } from './jobOutcome.js';

/** The commands' work done by a one-shot engine in this process (the demo's own simulated shop, or the live config). */
export class LocalBackend implements CliBackend {
  readonly where = 'a one-shot engine in this process';

  constructor(private readonly engine: Engine) {}

  nothingStored(what: string) {
    return this.engine.config.store.kind === 'memory'
      ? `no ${what} stored (this one-shot engine uses the memory store, which keeps nothing between runs: pass --server URL to read a running engine's, or configure a Redis store)`
      : `no ${what} stored`;
  }

  readiness() {
    return this.engine.readiness();
  }

  analyzeRca(request: Record<string, unknown>, progress: ProgressFn) {
    return this.engine.services.rca.analyze(request, undefined, progress);
  }

  /** The newest page, as `--server` lists the API's first page. */
  async listRca() {
    const page = await this.engine.services.rca.page({ limit: this.engine.config.pagination.defaultLimit });
    return page.map((r) => r.record);
  }

  getRca(id: string) {
    return this.engine.services.rca.get(id);
  }

  forecast(request: Record<string, unknown>) {
    return this.engine.services.forecast.forecast(request);
  }

  async train(request: Record<string, unknown>, progress: ProgressFn) {
    return this.follow(await this.engine.services.forecast.train(request), progress);
  }

  async backtest(request: Record<string, unknown>, progress: ProgressFn) {
    return this.follow(await this.engine.services.forecast.backtest(request), progress);
  }

  models() {
    return this.engine.services.forecast.models();
  }

  scalePlan(request: Record<string, unknown>) {
    return this.engine.services.forecast.scalePlan(request);
  }

  async *ask(request: Record<string, unknown>) {
    const assistant = await this.engine.services.assistant();
    yield* assistant.ask(request);
  }

  async ingest(source: IngestSource, progress: ProgressFn) {
    // The route's body check, here too, so both engines refuse the same (an --attribution of 600 characters was
    // stored one-shot and refused by a running engine).
    const { path, ...rest } = source;
    const checked = ingestRequestSchema.safeParse({ paths: [path], ...rest });
    if (!checked.success) throw invalidRequest(fieldIssuesFromZod(checked.error.issues, 'body'));
    // Named as a running engine names it (IngestRoots.check): the reader's own refusal named no field.
    if (!existsSync(resolve(path))) {
      const message = `${path} does not exist`;
      throw new EngineError('INVALID_INPUT', `body.paths.0: ${message}`, {
        issues: [{ field: 'body.paths.0', message }],
      });
    }
    const assistant = await this.engine.services.assistant();
    return assistant.kb.ingest(source, progress);
  }

  async removeSource(name: string) {
    const assistant = await this.engine.services.assistant();
    return assistant.removeSource(name);
  }

  alerts(query: { status: 'firing' | 'resolved' | 'all'; limit: number }) {
    return alertsOf(this.engine).listAlerts(routeQuery(alertListQuerySchema, query));
  }

  alertStats() {
    return alertsOf(this.engine).stats();
  }

  incidents(query: { status: 'open' | 'resolved' | 'all'; limit: number }) {
    return alertsOf(this.engine).listIncidents(routeQuery(incidentListQuerySchema, query));
  }

  incident(id: string) {
    return alertsOf(this.engine).getIncident(id);
  }

  /** Waits for a job of this engine with its progress; a job that did not succeed is rethrown as its error. */
  private async follow<R>(record: JobRecord<R>, progress: ProgressFn): Promise<R> {
    const jobs = this.engine.context.jobs;
    const stop = jobs.subscribe(record.id, jobProgress(progress));
    try {
      return jobOutcome(await jobs.wait<R>(record.id));
    } finally {
      stop();
    }
  }
}

/**
 * A list query checked by its route's schema, so both engines refuse the same: `alerts --limit 99999999` listed
 * every alert one-shot and was refused by a running engine (over its 5000).
 */
function routeQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const checked = schema.safeParse(query);
  if (!checked.success) throw invalidRequest(fieldIssuesFromZod(checked.error.issues, 'querystring'));
  return checked.data;
}
