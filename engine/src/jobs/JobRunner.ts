import { EventEmitter } from 'node:events';
import { plural } from '../util/plural.js';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../store/Store.js';
import { readIndexPage } from '../store/readIndexPage.js';
import { backfillIndexOnce } from '../store/backfillIndexOnce.js';
import type { HealthCheck } from '../health/HealthCheck.js';
import { EngineError, isEngineError, notFoundAsUndefined, type FieldIssue } from '../errors.js';
import { iterateSubscription } from './iterateSubscription.js';
import { JOB_KIND } from './jobKinds.js';
import {
  ACTIVE_JOBS_KEY,
  JOB_RECORD_TTL_SECONDS,
  JobRecordWriter,
  jobKey,
  jobSortKey,
  jobsByTimeKey,
} from './JobRecordWriter.js';
import { redactText } from '../util/redact.js';

/**
 * Long work (an RCA, a training run, an ingest) runs as a job: the request that starts it returns at once with an id,
 * progress streams over SSE, the record is kept in the store so any replica can answer for it, and shutdown waits for
 * running jobs to finish.
 *
 * Durability: a submission is answered only after the store took the record (503 STORE_UNAVAILABLE otherwise), later
 * writes are retried until the store takes them, and a job whose engine died is marked `interrupted` by the next
 * engine that starts (each engine keeps a lease in the store; a job whose engine has no lease is an orphan).
 * Admission: each kind has a concurrency and a bounded queue; a full queue answers 429 with Retry-After.
 */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];
export const isFinalJob = (record: { status: JobStatus }) => FINAL_JOB_STATUSES.includes(record.status);

export interface JobRecord<R = unknown> {
  id: string;
  kind: string;
  status: JobStatus;
  /** 0..1 */
  progress: number;
  message: string;
  params: unknown;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  result?: R;
  /** Why it did not succeed; `issues` as the error carried them (an unknown service lists the known ones). */
  error?: JobError;
  /** The engine process that owns the job while it is queued or running. */
  instance?: string;
}

export interface JobError {
  code: string;
  message: string;
  /** Only when the error had some: a one-shot run prints them, and a caller following the job must be able to. */
  issues?: FieldIssue[];
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

export interface JobLimits {
  concurrency: number;
  maxQueued: number;
}

export interface JobRunnerOptions {
  concurrency?: number;
  maxQueued?: number;
  perKind?: Record<string, Partial<JobLimits>>;
  /** How long a submission waits for the store before it is refused with 503. */
  submitTimeoutMs?: number;
  persistRetryMaxMs?: number;
  /** Lifetime of this engine's lease; orphans are found within about this long after their engine died. */
  leaseSeconds?: number;
}

export type JobListener = (record: JobRecord) => void;

const leaseKey = (instance: string) => `joblease:${instance}`;
/** Retry-After when the store is down: the Redis client reconnects with a 2 s backoff ceiling. */
const STORE_RETRY_AFTER_SECONDS = 5;

interface LiveJob {
  record: JobRecord;
  run: (ctx: JobContext) => Promise<unknown>;
  controller: AbortController;
  done: Promise<void>;
  settle: () => void;
}

export class JobRunner {
  /** Identifies this process in job records and its lease. */
  readonly instance = randomUUID();
  private readonly events = new EventEmitter();
  private readonly live = new Map<string, LiveJob>();
  private readonly queues = new Map<string, string[]>();
  private readonly runningByKind = new Map<string, number>();
  /** Submissions admitted but not yet stored: they hold a queue place so concurrent submits cannot overshoot. */
  private readonly admitting = new Map<string, number>();
  /**
   * Jobs whose first record is being written and that are not live yet: reconcile may read the active index between
   * the store taking the record and the job joining `live`, and would mark a job just submitted here `interrupted`
   * (seen once batches became one round trip on the main connection).
   */
  private readonly storing = new Set<string>();
  private readonly writer: JobRecordWriter;
  private readonly options: Required<Omit<JobRunnerOptions, 'perKind'>> & Pick<JobRunnerOptions, 'perKind'>;
  private readonly durations = new Map<string, number>();
  private leaseTimer: NodeJS.Timeout | undefined;
  private indexChecked = false;
  private indexPrunedAt = 0;
  /** Kinds submitted here that the registry does not name (tests'), whose per-kind indexes maintainIndex prunes too. */
  private readonly kindsSeen = new Set<string>();
  private closing = false;
  /** Hook for JobEventRelay: told of every update of a job this process runs. */
  private readonly updateListeners = new Set<JobListener>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly metrics?: JobMetrics,
    options: JobRunnerOptions = {},
  ) {
    this.events.setMaxListeners(0);
    this.options = {
      concurrency: options.concurrency ?? 2,
      maxQueued: options.maxQueued ?? 20,
      submitTimeoutMs: options.submitTimeoutMs ?? 3_000,
      persistRetryMaxMs: options.persistRetryMaxMs ?? 5_000,
      leaseSeconds: options.leaseSeconds ?? 15,
      ...(options.perKind ? { perKind: options.perKind } : {}),
    };
    this.writer = new JobRecordWriter(store, logger, this.options.persistRetryMaxMs);
  }

  /**
   * Takes the lease and marks orphans `interrupted`, now and every lease period (an engine that died while this one
   * was starting still has a lease for up to `leaseSeconds`). Store errors are logged, never thrown.
   */
  startMaintenance(): void {
    if (this.leaseTimer) return;
    const tick = () => {
      void this.renewLease()
        .then(() => this.reconcile())
        .then(() => this.maintainIndex())
        .catch((err: unknown) => this.logger.warn({ err }, 'jobs: lease or reconciliation failed; retrying'));
    };
    tick();
    this.leaseTimer = setInterval(tick, (this.options.leaseSeconds * 1000) / 3);
    this.leaseTimer.unref();
  }

  limits(kind: string): JobLimits {
    const own = this.options.perKind?.[kind] ?? {};
    return {
      concurrency: own.concurrency ?? this.options.concurrency,
      maxQueued: own.maxQueued ?? this.options.maxQueued,
    };
  }

  /**
   * Admits, stores and queues a job; resolves once the store holds the record, so a 202 is never lost.
   * Throws RATE_LIMITED (429) when the kind's queue is full and STORE_UNAVAILABLE (503) when the store is down.
   */
  async start<R>(kind: string, params: unknown, run: (ctx: JobContext) => Promise<R>): Promise<JobRecord<R>> {
    if (this.closing)
      throw new EngineError('UPSTREAM_UNAVAILABLE', 'the engine is shutting down', { retryAfterSeconds: 5 });
    this.admit(kind);
    this.kindsSeen.add(kind);
    const record: JobRecord<R> = {
      id: randomUUID(),
      kind,
      status: 'queued',
      progress: 0,
      message: 'queued',
      params,
      createdAt: new Date().toISOString(),
      instance: this.instance,
    };
    this.admitting.set(kind, (this.admitting.get(kind) ?? 0) + 1);
    this.storing.add(record.id);
    try {
      await this.writer.writeOnce(record, this.options.submitTimeoutMs);
    } catch (error) {
      this.refuseUnstored(record, error);
    } finally {
      this.admitting.set(kind, this.admitting.get(kind)! - 1);
      this.storing.delete(record.id);
    }
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    this.live.set(record.id, { record, run, controller: new AbortController(), done, settle });
    this.queue(kind).push(record.id);
    this.pump(kind);
    return { ...record };
  }

  async get<R = unknown>(id: string): Promise<JobRecord<R>> {
    const known = this.live.get(id)?.record ?? this.writer.pending(id);
    if (known) return { ...known } as JobRecord<R>;
    const raw = await this.store.get(jobKey(id));
    if (!raw) throw new EngineError('NOT_FOUND', `job ${id} not found`);
    return JSON.parse(raw) as JobRecord<R>;
  }

  /**
   * Up to `limit` jobs (of `kind`, when given), newest first, after the sort key `after` (`${createdAt}|${id}` of the
   * last job of the previous page), each with its sort key. Reads the index and then only the records of the page:
   * with 5,000 stored jobs a page of 20 read 5,000 records before (every key by SCAN, then each), 20 now
   * (test/jobs/jobListIndex.test.ts counts them on a real Redis). Index entries whose record expired are dropped.
   */
  async page(query: {
    kind?: string;
    limit: number;
    after?: string;
  }): Promise<Array<{ record: JobRecord; key: string }>> {
    return readIndexPage(this.store, jobsByTimeKey(query.kind), query, (id) =>
      this.get(id).catch(notFoundAsUndefined),
    );
  }

  /** Calls the listener on every update of a job running in this process; returns the unsubscribe function. */
  subscribe(id: string, listener: JobListener): () => void {
    const channel = `job:${id}`;
    this.events.on(channel, listener);
    return () => this.events.off(channel, listener);
  }

  /**
   * Updates of a job until it is final, the record disappears, or `signal` aborts. A job this process does not run
   * (another replica's, or one that ended meanwhile) is followed by reading the store every `pollMs`.
   */
  watch(id: string, signal: AbortSignal, initial?: JobRecord, pollMs = 2_000): AsyncIterable<JobRecord> {
    return iterateSubscription<JobRecord>(
      (push, end) => {
        const unsubscribe = this.subscribe(id, push);
        if (this.live.has(id)) return unsubscribe;
        let last = '';
        const poll = () =>
          this.get(id).then(
            (record) => {
              const json = JSON.stringify(record);
              if (json !== last) push(record);
              last = json;
            },
            (error: unknown) => {
              if (isEngineError(error) && error.code === 'NOT_FOUND') end();
            },
          );
        void poll();
        const timer = setInterval(() => void poll(), pollMs);
        return () => {
          clearInterval(timer);
          unsubscribe();
        };
      },
      isFinalJob,
      { ...(initial ? { initial } : {}), signal },
    );
  }

  /** Every update of every job this process runs (JobEventRelay publishes them to the other replicas). */
  onUpdate(listener: JobListener): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }

  /** An update of a job another replica runs (from JobEventRelay): given to this process' watchers of that job. */
  deliverRemote(record: JobRecord): void {
    if (!this.live.has(record.id)) this.events.emit(`job:${record.id}`, record);
  }

  /** Number of listeners on job channels: what an SSE client that left must give back. */
  listenerCount(): number {
    return this.events.eventNames().reduce((sum, name) => sum + this.events.listenerCount(name), 0);
  }

  /** Resolves with the final record. */
  async wait<R = unknown>(id: string): Promise<JobRecord<R>> {
    const live = this.live.get(id);
    if (live) await live.done;
    return this.get<R>(id);
  }

  /**
   * Cancels a queued or running job: true when this call stopped it, false when it had already ended. A job whose
   * engine died (no lease) is marked cancelled; one running on another live replica is a CONFLICT; unknown is NOT_FOUND.
   */
  async cancel(id: string, by = 'a caller'): Promise<boolean> {
    const live = this.live.get(id);
    if (live) {
      if (live.record.status === 'queued') {
        const message = `cancelled by ${by} while queued, before it started`;
        live.record.error = { code: 'CANCELLED', message };
        this.finishQueued(live, 'cancelled', message);
      } else
        live.controller.abort(new JobCancelled(`cancelled by ${by} while running (${stageOf(live.record)})`));
      return true;
    }
    const record = await this.get(id);
    if (isFinalJob(record)) return false;
    if (record.instance && (await this.store.exists(leaseKey(record.instance)))) {
      throw new EngineError(
        'CONFLICT',
        `job ${id} runs on another engine replica (${record.instance}); cancel it there`,
      );
    }
    const message = `cancelled by ${by}; its engine had stopped while it was ${record.status}`;
    this.writer.save({
      ...record,
      status: 'cancelled',
      message,
      error: { code: 'CANCELLED', message },
      finishedAt: new Date().toISOString(),
    });
    return true;
  }

  get activeCount(): number {
    return this.live.size;
  }

  /** Jobs of a kind waiting for a slot in this process. */
  queuedCount(kind: string): number {
    return (this.queues.get(kind)?.length ?? 0) + (this.admitting.get(kind) ?? 0);
  }

  /** Surfaced on /readyz: records the store has not taken yet mean progress and results are at risk. */
  async check(): Promise<HealthCheck> {
    const backlog = this.writer.backlog;
    return {
      name: 'jobs',
      ok: backlog === 0,
      detail:
        backlog === 0
          ? `${plural(this.live.size, 'job')} queued or running here; ${plural(this.writer.failures, 'store write')} retried since start`
          : `${plural(backlog, 'job record')} wait for the store (retrying with backoff); ${plural(this.writer.failures, 'write')} refused since start`,
    };
  }

  /**
   * Indexes jobs stored before the index existed (once per store), and at most once a minute drops the index
   * entries older than a record lives (their records have expired), so the index does not outgrow the records.
   */
  async maintainIndex(now = Date.now()): Promise<void> {
    if (!this.indexChecked) {
      await backfillIndexOnce(this.store, `${jobsByTimeKey()}:version`, '1', () => this.backfillIndex());
      this.indexChecked = true;
    }
    if (now - this.indexPrunedAt < 60_000) return;
    this.indexPrunedAt = now;
    const bound = new Date(now - JOB_RECORD_TTL_SECONDS * 1000).toISOString();
    const kinds = new Set<string>([...Object.values(JOB_KIND), ...this.kindsSeen]);
    for (const kind of [undefined, ...kinds]) await this.store.zremBelow(jobsByTimeKey(kind), bound);
  }

  private async backfillIndex(): Promise<void> {
    for (const key of await this.store.keys('jobs:')) {
      const raw = await this.store.get(key);
      if (!raw) continue;
      const record = JSON.parse(raw) as JobRecord;
      const sortKey = jobSortKey(record);
      await this.store.batch([
        { op: 'zadd', key: jobsByTimeKey(), members: [sortKey] },
        { op: 'zadd', key: jobsByTimeKey(record.kind), members: [sortKey] },
      ]);
    }
  }

  /** Marks jobs whose engine has no lease as `interrupted`; returns how many. */
  async reconcile(): Promise<number> {
    const active = await this.store.hgetall(ACTIVE_JOBS_KEY);
    let interrupted = 0;
    for (const [id, instance] of Object.entries(active)) {
      // Ours: alive while running here or while its final record waits for the store (a Redis outage just ended).
      const ours =
        instance === this.instance &&
        (this.live.has(id) || this.storing.has(id) || this.writer.pending(id) !== undefined);
      if (ours || (instance !== this.instance && instance && (await this.store.exists(leaseKey(instance)))))
        continue;
      const raw = await this.store.get(jobKey(id));
      const record = raw ? (JSON.parse(raw) as JobRecord) : undefined;
      if (!record || isFinalJob(record)) {
        await this.store.hdel(ACTIVE_JOBS_KEY, id);
        continue;
      }
      const message = 'interrupted: the engine running it stopped before it finished; submit it again';
      const final: JobRecord = {
        ...record,
        status: 'interrupted',
        message,
        finishedAt: new Date().toISOString(),
      };
      final.error = { code: 'INTERRUPTED', message };
      await this.store.batch([
        { op: 'set', key: jobKey(id), value: JSON.stringify(final), ttlSeconds: 7 * 24 * 3600 },
        { op: 'hdel', key: ACTIVE_JOBS_KEY, fields: [id] },
      ]);
      this.logger.warn(
        { job: id, kind: record.kind, engine: instance },
        'job marked interrupted: its engine is gone',
      );
      interrupted++;
    }
    return interrupted;
  }

  /** Graceful shutdown: waits for running jobs, aborting them after the grace period; then flushes their records. */
  async drain(graceMs: number): Promise<void> {
    this.closing = true;
    clearInterval(this.leaseTimer);
    for (const job of [...this.live.values()]) {
      if (job.record.status === 'queued')
        this.finishQueued(job, 'interrupted', 'interrupted: the engine shut down before it started');
    }
    const pending = [...this.live.values()];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([
      Promise.all(pending.map((p) => p.done)).then(() => 'done' as const),
      timeout,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const p of pending)
        p.controller.abort(
          new JobCancelled(
            `cancelled: the engine shut down while it was running (${stageOf(p.record)}) and the grace period ended`,
          ),
        );
      await Promise.allSettled(pending.map((p) => p.done));
    }
    await this.writer.stop(Math.min(graceMs, 5_000));
    await this.store.del(leaseKey(this.instance)).catch(() => undefined);
  }

  private admit(kind: string): void {
    const { concurrency, maxQueued } = this.limits(kind);
    const running = this.runningByKind.get(kind) ?? 0;
    const queued = this.queuedCount(kind);
    if (running + queued < concurrency + maxQueued) return;
    // A rough wait: the queue ahead of the caller divided among the slots, at the kind's last measured duration.
    const perJob = this.durations.get(kind) ?? 5;
    const retryAfterSeconds = Math.min(600, Math.max(1, Math.ceil((perJob * (queued + 1)) / concurrency)));
    throw new EngineError(
      'RATE_LIMITED',
      `too many ${kind} jobs: ${running} running and ${queued} queued (jobs.maxQueued ${maxQueued}); try again later`,
      { retryAfterSeconds },
    );
  }

  private refuseUnstored(record: JobRecord, error: unknown): never {
    // The write may yet land after the timeout; the record's final state is then written after it (same queue).
    this.writer.save({
      ...record,
      status: 'failed',
      message: 'not started: the store did not take the job record',
      finishedAt: new Date().toISOString(),
      error: { code: 'STORE_UNAVAILABLE', message: 'the store did not take the job record' },
    });
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineError(
      'STORE_UNAVAILABLE',
      `the job was not accepted: the store is unavailable (${reason})`,
      {
        retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
        cause: error,
      },
    );
  }

  private queue(kind: string): string[] {
    let queue = this.queues.get(kind);
    if (!queue) this.queues.set(kind, (queue = []));
    return queue;
  }

  private pump(kind: string): void {
    const queue = this.queue(kind);
    while (queue.length > 0 && (this.runningByKind.get(kind) ?? 0) < this.limits(kind).concurrency) {
      const job = this.live.get(queue.shift()!);
      if (job) this.launch(job);
    }
  }

  private launch(job: LiveJob): void {
    const { record, controller } = job;
    this.runningByKind.set(record.kind, (this.runningByKind.get(record.kind) ?? 0) + 1);
    record.status = 'running';
    record.message = 'started';
    record.startedAt = new Date().toISOString();
    this.metrics?.started(record.kind);
    this.writer.save(record);
    this.emit(record);
    const logger = this.logger.child({ job: record.id, kind: record.kind });
    let lastPersist = Date.now();
    const ctx: JobContext = {
      id: record.id,
      signal: controller.signal,
      logger,
      progress: (fraction, message) => {
        if (isFinalJob(record)) return;
        record.progress = Math.max(0, Math.min(1, fraction));
        if (message) record.message = message;
        this.emit(record);
        if (Date.now() - lastPersist > 1000) {
          lastPersist = Date.now();
          this.writer.save(record);
        }
      },
    };
    const startedAt = performance.now();
    void this.execute(job, ctx, logger).then(() => {
      const seconds = (performance.now() - startedAt) / 1000;
      this.durations.set(record.kind, seconds);
      this.runningByKind.set(record.kind, this.runningByKind.get(record.kind)! - 1);
      try {
        this.metrics?.finished(record.kind, record.status, seconds);
      } catch (err) {
        logger.error({ err }, 'job metrics failed');
      }
      this.end(job);
      this.pump(record.kind);
    });
  }

  private async execute(job: LiveJob, ctx: JobContext, logger: Logger): Promise<void> {
    const { record, controller } = job;
    try {
      const result = await job.run(ctx);
      // The record is stored as JSON: a result that cannot be (a cycle, a BigInt) fails the job here, not later.
      JSON.stringify(result);
      record.result = result;
      record.status = controller.signal.aborted ? 'cancelled' : 'succeeded';
      record.progress = 1;
      record.message = 'done';
      if (controller.signal.aborted) this.markCancelled(record, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) {
        // What the job threw on abort is its own wording (a forecast said TIMEOUT "training cancelled before it
        // started" of a backtest cancelled mid-run): the record says who cancelled it and where it was.
        logger.info({ err: error }, 'job cancelled');
        this.markCancelled(record, controller.signal);
        return;
      }
      record.status = 'failed';
      record.error = jobErrorOf(error);
      record.message = record.error.message;
      // A job refused for its input (an unknown service: a 4xx of its own) is the caller's to fix, logged as a
      // request's 4xx is; a warning with its stack was printed under a one-shot CLI's own error line.
      const callers = isEngineError(error) && error.status < 500;
      logger[callers ? 'info' : 'warn']({ err: error }, 'job failed');
    }
  }

  private markCancelled(record: JobRecord, signal: AbortSignal): void {
    const message =
      signal.reason instanceof JobCancelled
        ? signal.reason.message
        : `cancelled while running (${stageOf(record)})`;
    record.status = 'cancelled';
    record.error = { code: 'CANCELLED', message };
    record.message = message;
  }

  private finishQueued(job: LiveJob, status: 'cancelled' | 'interrupted', message: string): void {
    const queue = this.queue(job.record.kind);
    queue.splice(queue.indexOf(job.record.id), 1);
    job.record.status = status;
    job.record.message = message;
    this.end(job);
  }

  /** Final bookkeeping: record written (retried in the background), listeners told, waiters released. */
  private end(job: LiveJob): void {
    job.record.finishedAt = new Date().toISOString();
    this.writer.save(job.record);
    this.live.delete(job.record.id);
    this.emit(job.record);
    job.settle();
  }

  private async renewLease(): Promise<void> {
    await this.store.set(leaseKey(this.instance), new Date().toISOString(), {
      ttlSeconds: this.options.leaseSeconds,
    });
  }

  /** Tells listeners; one that throws is logged, never allowed to break the job's bookkeeping. */
  private emit(record: JobRecord): void {
    try {
      this.events.emit(`job:${record.id}`, { ...record });
      for (const listener of this.updateListeners) listener({ ...record });
    } catch (err) {
      this.logger.error({ err, job: record.id }, 'a job listener failed');
    }
  }
}

/** The reason a job's signal is aborted with when it is cancelled: the message its record ends with. */
export class JobCancelled extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobCancelled';
  }
}

/** Where a running job was: its progress and last message, e.g. `at 40%: fold 2 of 5`. */
function stageOf(record: JobRecord): string {
  const percent = `at ${Math.round((record.progress ?? 0) * 100)}%`;
  return record.message && record.message !== 'started' ? `${percent}: ${record.message}` : percent;
}

/**
 * A failed job's error as its record keeps it. Job records are readable by viewers: an upstream error's URL keeps
 * its host, not its credentials, in the message and in each issue.
 */
function jobErrorOf(error: unknown): JobError {
  if (!isEngineError(error))
    return { code: 'INTERNAL', message: redactText(error instanceof Error ? error.message : String(error)) };
  const issues = error.issues.map((i) => ({ field: i.field, message: redactText(i.message) }));
  return { code: error.code, message: redactText(error.message), ...(issues.length > 0 ? { issues } : {}) };
}
