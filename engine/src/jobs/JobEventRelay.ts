import type { Logger } from 'pino';
import type { Store } from '../store/Store.js';
import { isFinalJob, type JobRecord, type JobRunner } from './JobRunner.js';

export const JOB_EVENTS_CHANNEL = 'jobs:events';

interface RelayedUpdate {
  origin: string;
  record: JobRecord;
}

/**
 * Live job progress across replicas: every update of a job this process runs is published on one store channel
 * (Redis PUBLISH), and updates published by other replicas are handed to this process' watchers, so an SSE stream
 * opened on any replica follows a job as it runs elsewhere (without it, such a stream polls the stored record every
 * 2 s, which the runner writes at most once a second). Progress is published at most every `throttleMs` per job
 * (the last one always follows); status changes go out at once.
 */
export class JobEventRelay {
  private readonly last = new Map<string, { at: number; status: string }>();
  private readonly trailing = new Map<string, NodeJS.Timeout>();
  private stopUpdates: (() => void) | undefined;
  private stopChannel: (() => Promise<void>) | undefined;

  private constructor(
    private readonly jobs: JobRunner,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly throttleMs: number,
  ) {}

  static async start(
    jobs: JobRunner,
    store: Store,
    logger: Logger,
    options: { throttleMs?: number } = {},
  ): Promise<JobEventRelay> {
    const relay = new JobEventRelay(jobs, store, logger, options.throttleMs ?? 200);
    relay.stopChannel = await store.subscribe(JOB_EVENTS_CHANNEL, (message) => relay.receive(message));
    relay.stopUpdates = jobs.onUpdate((record) => relay.update(record));
    return relay;
  }

  async stop(): Promise<void> {
    this.stopUpdates?.();
    for (const timer of this.trailing.values()) clearTimeout(timer);
    this.trailing.clear();
    await this.stopChannel?.();
  }

  private receive(message: string): void {
    let update: RelayedUpdate;
    try {
      update = JSON.parse(message) as RelayedUpdate;
    } catch {
      return;
    }
    if (update.origin !== this.jobs.instance && update.record?.id) this.jobs.deliverRemote(update.record);
  }

  private update(record: JobRecord): void {
    const previous = this.last.get(record.id);
    const now = Date.now();
    clearTimeout(this.trailing.get(record.id));
    this.trailing.delete(record.id);
    if (
      !previous ||
      previous.status !== record.status ||
      isFinalJob(record) ||
      now - previous.at >= this.throttleMs
    ) {
      this.publish(record, now);
      return;
    }
    const timer = setTimeout(
      () => {
        this.trailing.delete(record.id);
        this.publish(record, Date.now());
      },
      this.throttleMs - (now - previous.at),
    );
    timer.unref();
    this.trailing.set(record.id, timer);
  }

  private publish(record: JobRecord, at: number): void {
    if (isFinalJob(record)) this.last.delete(record.id);
    else this.last.set(record.id, { at, status: record.status });
    const update: RelayedUpdate = { origin: this.jobs.instance, record };
    this.store.publish(JOB_EVENTS_CHANNEL, JSON.stringify(update)).catch((err: unknown) => {
      // Watchers elsewhere fall back to reading the stored record; nothing is lost but liveness.
      this.logger.warn({ err, job: record.id }, 'jobs: could not publish a progress event');
    });
  }
}
