import type { Logger } from 'pino';
import type { LeaderLease } from '../sources/cluster/ClusterSource.js';
import type { Store } from '../store/Store.js';

export interface ScheduledTaskContext {
  /** Index of the tick: floor(epoch ms / interval); the same on every replica. */
  tick: number;
  /** The leader's fencing token when the lock has one (store lock: its term), for writes that must be fenced. */
  token?: number;
  /** Aborted when the scheduler stops. */
  signal: AbortSignal;
  logger: Logger;
}

/** Periodic work that must run once per tick across all replicas (retraining, repair scans, housekeeping). */
export interface ScheduledTask {
  /** Unique, e.g. `forecast.retrain`. */
  name: string;
  intervalSeconds: number;
  run(ctx: ScheduledTaskContext): Promise<unknown>;
}

/** One run as kept in the store's `scheduler:history` list (newest last), for operators and tests. */
export interface ScheduledRun {
  task: string;
  tick: number;
  instance: string;
  token?: number;
  startedAt: string;
}

export interface SchedulerOptions {
  store: Store;
  /** Leader election: the Kubernetes Lease when a cluster is configured, StoreLeaderLock otherwise. */
  lease: LeaderLease & { readonly token?: number };
  logger: Logger;
  /** Identifies this process in run records. */
  instance: string;
  /** The lease's duration: a tick is still run by a new leader up to this long (+ two polls) after it began. */
  leaseSeconds: number;
  /** How often the lease is renewed and due ticks are looked for (default leaseSeconds / 6). */
  pollSeconds?: number;
  now?: () => number;
}

export const SCHEDULER_HISTORY_KEY = 'scheduler:history';
const HISTORY_LENGTH = 500;

/**
 * The engine's one scheduler. Every replica runs it; only the leader (Kubernetes Lease or store lock) runs tasks, and
 * each tick of a task is claimed in the store with SET NX first, so a tick runs once even across a leader change (the
 * old leader may have run it just before it died). Ticks are aligned to the epoch, so replicas agree on them without
 * talking. A tick is run only near its start (within a lease + two polls): a replica that starts or takes over late
 * does not replay a daily job it missed, but a leader that died just before a tick hands that tick to its successor.
 */
export class Scheduler {
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly lastTick = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly pollMs: number;
  private readonly graceMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private controller = new AbortController();
  private leader = false;

  constructor(private readonly options: SchedulerOptions) {
    this.pollMs = (options.pollSeconds ?? options.leaseSeconds / 6) * 1000;
    this.graceMs = options.leaseSeconds * 1000 + 2 * this.pollMs;
    this.now = options.now ?? Date.now;
  }

  register(task: ScheduledTask): void {
    if (this.tasks.has(task.name)) throw new Error(`scheduler: task "${task.name}" is already registered`);
    if (!(task.intervalSeconds > 0))
      throw new Error(`scheduler: task "${task.name}" needs a positive interval`);
    this.tasks.set(task.name, task);
  }

  taskNames(): string[] {
    return [...this.tasks.keys()];
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.timer) return;
    this.controller = new AbortController();
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
    void this.poll();
  }

  /** Stops polling, aborts running tasks and waits for them, then gives the lease up so another replica takes over. */
  async stop(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.controller.abort();
    await this.polling;
    await Promise.allSettled(this.running.values());
    if (this.leader)
      await this.options.lease
        .release()
        .catch((err: unknown) => this.options.logger.warn({ err }, 'scheduler: lease release failed'));
    this.leader = false;
  }

  /** One round: renew or seek leadership, then start every due tick this replica can claim. Never throws. */
  poll(): Promise<void> {
    this.polling ??= this.round().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async round(): Promise<void> {
    const { logger } = this.options;
    let leader = false;
    try {
      leader = await this.options.lease.tryAcquireOrRenew();
    } catch (err) {
      logger.warn({ err }, 'scheduler: lease check failed; not running tasks this round');
    }
    if (leader !== this.leader)
      logger.info(
        { instance: this.options.instance },
        leader ? 'scheduler: leading' : 'scheduler: no longer leading',
      );
    this.leader = leader;
    if (!leader || this.controller.signal.aborted) return;
    for (const task of this.tasks.values()) {
      try {
        await this.runIfDue(task);
      } catch (err) {
        logger.warn({ err, task: task.name }, 'scheduler: could not claim a tick');
      }
    }
  }

  private async runIfDue(task: ScheduledTask): Promise<void> {
    if (this.running.has(task.name)) return;
    const intervalMs = task.intervalSeconds * 1000;
    const now = this.now();
    const tick = Math.floor(now / intervalMs);
    if (this.lastTick.get(task.name) === tick || now - tick * intervalMs > this.graceMs) return;
    const token = this.options.lease.token;
    const run: ScheduledRun = {
      task: task.name,
      tick,
      instance: this.options.instance,
      ...(token !== undefined ? { token } : {}),
      startedAt: new Date(now).toISOString(),
    };
    const { store } = this.options;
    // The claim outlives the tick's grace window, so no replica can claim the same tick again.
    const ttlSeconds = Math.ceil((intervalMs + this.graceMs) / 1000) + 60;
    const claimed = await store.setIfAbsent(`scheduler:tick:${task.name}:${tick}`, JSON.stringify(run), {
      ttlSeconds,
    });
    this.lastTick.set(task.name, tick);
    if (!claimed) return;
    await store.rpush(SCHEDULER_HISTORY_KEY, JSON.stringify(run));
    await store.ltrim(SCHEDULER_HISTORY_KEY, -HISTORY_LENGTH, -1);
    const logger = this.options.logger.child({ task: task.name, tick });
    const running = task
      .run({ tick, ...(token !== undefined ? { token } : {}), signal: this.controller.signal, logger })
      .then(
        () => logger.info('scheduler: task ran'),
        (err: unknown) => logger.warn({ err }, 'scheduler: task failed'),
      )
      .finally(() => this.running.delete(task.name));
    this.running.set(task.name, running);
  }
}

/** The runs in the store's history, oldest first (what `scheduler:history` holds). */
export async function readScheduledRuns(store: Store): Promise<ScheduledRun[]> {
  return (await store.lrange(SCHEDULER_HISTORY_KEY, 0, -1)).map((raw) => JSON.parse(raw) as ScheduledRun);
}
