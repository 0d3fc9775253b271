import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../store/Store.js';
import { EngineError, isEngineError } from '../errors.js';

/**
 * Long work (an RCA, a training run, an ingest) runs as a job: the request that starts it returns at once with an id,
 * progress streams over SSE, the record is kept in the store so any replica can answer for it, and shutdown waits for
 * running jobs to finish.
 */

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobRecord<R = unknown> {
  id: string;
  kind: string;
  status: JobStatus;
  /** 0..1 */
  progress: number;
  message: string;
  params: unknown;
  createdAt: string;
  finishedAt?: string;
  result?: R;
  error?: { code: string; message: string };
}

export interface JobContext {
  id: string;
  signal: AbortSignal;
  logger: Logger;
  /** Reports progress (0..1) with a human-readable step; throttled by the runner, cheap to call often. */
  progress(fraction: number, message?: string): void;
}

export interface JobMetrics {
  started(kind: string): void;
  finished(kind: string, status: JobStatus, seconds: number): void;
}

export type JobListener = (record: JobRecord) => void;

const RECORD_TTL_SECONDS = 7 * 24 * 3600;
const key = (id: string) => `jobs:${id}`;

export class JobRunner {
  private readonly events = new EventEmitter();
  private readonly running = new Map<string, { record: JobRecord; controller: AbortController; done: Promise<void> }>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly metrics?: JobMetrics,
  ) {
    this.events.setMaxListeners(0);
  }

  start<R>(kind: string, params: unknown, run: (ctx: JobContext) => Promise<R>): JobRecord<R> {
    const record: JobRecord<R> = {
      id: randomUUID(),
      kind,
      status: 'running',
      progress: 0,
      message: 'started',
      params,
      createdAt: new Date().toISOString(),
    };
    const controller = new AbortController();
    const logger = this.logger.child({ job: record.id, kind });
    const startedAt = performance.now();
    this.metrics?.started(kind);
    let lastPersist = 0;

    const ctx: JobContext = {
      id: record.id,
      signal: controller.signal,
      logger,
      progress: (fraction, message) => {
        record.progress = Math.max(0, Math.min(1, fraction));
        if (message) record.message = message;
        this.emit(record);
        const now = Date.now();
        if (now - lastPersist > 1000) {
          lastPersist = now;
          void this.persist(record);
        }
      },
    };

    const done = (async () => {
      await this.persist(record);
      try {
        record.result = await run(ctx);
        record.status = controller.signal.aborted ? 'cancelled' : 'succeeded';
        record.progress = 1;
        record.message = record.status === 'succeeded' ? 'done' : 'cancelled';
      } catch (error) {
        record.status = controller.signal.aborted ? 'cancelled' : 'failed';
        record.error = isEngineError(error)
          ? { code: error.code, message: error.message }
          : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
        record.message = record.error.message;
        logger.warn({ err: error }, 'job failed');
      } finally {
        record.finishedAt = new Date().toISOString();
        this.metrics?.finished(kind, record.status, (performance.now() - startedAt) / 1000);
        await this.persist(record).catch((err: unknown) => logger.error({ err }, 'could not persist job record'));
        this.running.delete(record.id);
        this.emit(record);
      }
    })();

    this.running.set(record.id, { record, controller, done });
    return record;
  }

  async get<R = unknown>(id: string): Promise<JobRecord<R>> {
    const live = this.running.get(id);
    if (live) return live.record as JobRecord<R>;
    const raw = await this.store.get(key(id));
    if (!raw) throw new EngineError('NOT_FOUND', `job ${id} not found`);
    return JSON.parse(raw) as JobRecord<R>;
  }

  async list(kind?: string): Promise<JobRecord[]> {
    const ids = (await this.store.keys('jobs:')).map((k) => k.slice('jobs:'.length));
    const records = await Promise.all(ids.map((id) => this.get(id).catch(() => undefined)));
    return records
      .filter((r): r is JobRecord => r !== undefined && (!kind || r.kind === kind))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Calls the listener on every update of a job until it ends; returns the unsubscribe function. */
  subscribe(id: string, listener: JobListener): () => void {
    const channel = `job:${id}`;
    this.events.on(channel, listener);
    return () => this.events.off(channel, listener);
  }

  /** Resolves with the final record. */
  async wait<R = unknown>(id: string): Promise<JobRecord<R>> {
    const live = this.running.get(id);
    if (live) await live.done;
    return this.get<R>(id);
  }

  cancel(id: string): boolean {
    const live = this.running.get(id);
    if (!live) return false;
    live.controller.abort();
    return true;
  }

  get activeCount(): number {
    return this.running.size;
  }

  /** Graceful shutdown: waits for running jobs, aborting them after the grace period. */
  async drain(graceMs: number): Promise<void> {
    const pending = [...this.running.values()];
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([Promise.all(pending.map((p) => p.done)).then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const p of pending) p.controller.abort();
      await Promise.allSettled(pending.map((p) => p.done));
    }
  }

  private emit(record: JobRecord): void {
    this.events.emit(`job:${record.id}`, { ...record });
  }

  private async persist(record: JobRecord): Promise<void> {
    await this.store.set(key(record.id), JSON.stringify(record), { ttlSeconds: RECORD_TTL_SECONDS });
  }
}
