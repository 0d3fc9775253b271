import type { Logger } from 'pino';
import { indexMember } from '../store/readIndexPage.js';
import type { Store } from '../store/Store.js';
import type { JobRecord } from './JobRunner.js';

export const JOB_RECORD_TTL_SECONDS = 7 * 24 * 3600;
export const jobKey = (id: string) => `jobs:${id}`;
/** Hash of job id → engine instance for every job not yet final; what start-up reconciliation reads. */
export const ACTIVE_JOBS_KEY = 'jobindex:active';
/**
 * Sorted sets of `${createdAt}|${id}` (the order GET /jobs pages in), one for every job and one per kind: a page of N
 * jobs reads N records instead of every stored one. Entries of expired records are dropped when a page meets them
 * and pruned by age (JobRunner).
 */
export const JOBS_BY_TIME_KEY = 'jobindex:created';
export const jobsByTimeKey = (kind?: string) =>
  kind === undefined ? JOBS_BY_TIME_KEY : `${JOBS_BY_TIME_KEY}:${kind}`;
export const jobSortKey = (record: Pick<JobRecord, 'createdAt' | 'id'>) => indexMember(record);

const isFinal = (record: JobRecord) => record.status !== 'queued' && record.status !== 'running';

/**
 * Writes job records to the store in the background, latest state wins, retrying with capped exponential backoff
 * until the store takes them. One write at a time per job, so a retried progress update can never land after the
 * final record. Never rejects: a store outage must not become an unhandled rejection that ends the process (issue 9
 * measured a 1 s Redis outage killing the engine that way).
 */
export class JobRecordWriter {
  /** Records the store has not taken yet, by id (the newest state only). */
  private readonly waiting = new Map<string, JobRecord>();
  private readonly loops = new Map<string, Promise<void>>();
  private readonly sleepers = new Set<() => void>();
  private stopped = false;
  private outage = false;
  /** Writes the store refused since start; surfaced in the `jobs` health check. */
  failures = 0;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly maxBackoffMs: number,
  ) {}

  /** Queues the record's current state; returns at once. */
  save(record: JobRecord): void {
    let snapshot: JobRecord;
    try {
      snapshot = JSON.parse(JSON.stringify(record)) as JobRecord;
    } catch (err) {
      this.logger.error({ err, job: record.id }, 'job record is not JSON; not stored');
      return;
    }
    this.waiting.set(record.id, snapshot);
    if (!this.loops.has(record.id) && !this.stopped) this.loops.set(record.id, this.flush(record.id));
  }

  /** Writes now, once, without the retry loop; for submission, where the caller must know the outcome. */
  async writeOnce(record: JobRecord, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the store did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const write = this.store.batch(this.writes(record));
    // The write may still settle after the timeout; its outcome is then irrelevant, but must not go unhandled.
    write.catch(() => undefined);
    try {
      await Promise.race([write, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The newest state of a record the store has not taken yet. */
  pending(id: string): JobRecord | undefined {
    const record = this.waiting.get(id);
    return record ? structuredClone(record) : undefined;
  }

  get backlog(): number {
    return this.waiting.size;
  }

  /** Waits up to `graceMs` for the backlog to be written, then gives up on the rest (logged, with their ids). */
  async stop(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.loops.values()]),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    this.stopped = true;
    for (const wake of this.sleepers) wake();
    await Promise.all([...this.loops.values()]);
    if (this.waiting.size > 0) {
      this.logger.error(
        { jobs: [...this.waiting.keys()] },
        'shutting down with job records the store never took',
      );
    }
  }

  private async flush(id: string): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const record = this.waiting.get(id);
      if (!record) break;
      try {
        await this.store.batch(this.writes(record));
        if (this.waiting.get(id) === record) this.waiting.delete(id);
        attempt = 0;
        if (this.outage && this.waiting.size === 0) {
          this.outage = false;
          this.logger.info('job records written again: the store is back');
        }
      } catch (error) {
        this.failures++;
        attempt++;
        if (!this.outage) {
          this.outage = true;
          this.logger.error({ err: error, job: id }, 'the store refused a job record; retrying with backoff');
        }
        await this.sleep(Math.min(100 * 2 ** Math.min(attempt - 1, 10), this.maxBackoffMs));
      }
    }
    this.loops.delete(id);
  }

  private writes(record: JobRecord) {
    const value = JSON.stringify(record);
    const sortKey = jobSortKey(record);
    return [
      { op: 'set' as const, key: jobKey(record.id), value, ttlSeconds: JOB_RECORD_TTL_SECONDS },
      // Every write, not only the first: idempotent, and a record whose first write timed out is still indexed.
      { op: 'zadd' as const, key: jobsByTimeKey(), members: [sortKey] },
      { op: 'zadd' as const, key: jobsByTimeKey(record.kind), members: [sortKey] },
      isFinal(record)
        ? { op: 'hdel' as const, key: ACTIVE_JOBS_KEY, fields: [record.id] }
        : { op: 'hset' as const, key: ACTIVE_JOBS_KEY, fields: { [record.id]: record.instance ?? '' } },
    ];
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
