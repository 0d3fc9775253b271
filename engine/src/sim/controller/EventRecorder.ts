import type { KubeObject } from '../apiserver/KubeObject.js';
import type { ObjectStore } from '../apiserver/ObjectStore.js';
import { hashString } from './random.js';

export interface EventSource {
  component: string;
  host?: string;
}

const EVENTS = '/events';

/**
 * Records core/v1 Events the way client-go's recorder does: a repeat of the same reason and message on the same
 * object increments `count` and `lastTimestamp` instead of creating a new Event.
 */
export class EventRecorder {
  private readonly index = new Map<string, { namespace: string; name: string; last: number }>();
  private sequence = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly now: () => Date,
    /** The API server's event TTL (--event-ttl): what happened longer ago than this is no longer there to list. */
    private readonly ttlSeconds = Infinity,
  ) {}

  record(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const now = this.now();
    this.recordRepeated(involved, type, reason, message, source, fieldPath, {
      count: 1,
      first: now,
      last: now,
    });
  }

  /**
   * An event that happened once at a past time: a settled pod's startup, when it was created (SETTLED_AGE_SECONDS
   * before the cluster's clock began), not when the cluster happened to settle it.
   */
  recordAt(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath: string | undefined,
    at: Date,
  ): void {
    this.recordRepeated(involved, type, reason, message, source, fieldPath, {
      count: 1,
      first: at,
      last: at,
    });
  }

  /**
   * An event that happened `count` times from `first` to `last`, all at once (a fault the kubelet caught up on). One
   * last seen before the TTL is not recorded: the API server would already have deleted it.
   */
  recordRepeated(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath: string | undefined,
    times: { count: number; first: Date; last: Date },
  ): void {
    const namespace = involved.metadata.namespace ?? 'default';
    const key = `${involved.metadata.uid}|${reason}|${message}|${fieldPath ?? ''}`;
    const time = times.last.toISOString();
    const cutoff = this.now().getTime() - this.ttlSeconds * 1000;
    if (times.last.getTime() < cutoff) return;
    const known = this.index.get(key);
    // An event past its TTL is gone even if the periodic sweep has not reached it: a repeat starts a new one.
    if (known && known.last < cutoff) this.forget(key, known);
    else if (known) {
      const existing = this.store.get(EVENTS, known.namespace, known.name);
      if (existing) {
        existing['count'] = Number(existing['count'] ?? 1) + times.count;
        known.last = Math.max(known.last, Date.parse(time));
        existing['lastTimestamp'] = new Date(known.last).toISOString();
        // Repeats caught up on may predate the event as first recorded (a container started at settle, replayed
        // restarts since a fault 15 minutes old): the first time stays the earliest.
        const first = Math.min(Date.parse(String(existing['firstTimestamp'])), times.first.getTime());
        if (Number.isFinite(first)) existing['firstTimestamp'] = new Date(first).toISOString();
        this.store.update(EVENTS, existing);
        return;
      }
    }
    // Unique per recorder: a hash of what happened plus a sequence number, like the client-go `%v.%x` names.
    const name = `${involved.metadata.name}.${hashString(key).toString(16).padStart(8, '0')}${(this.sequence++).toString(16)}`;
    this.store.create(EVENTS, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source,
      firstTimestamp: times.first.toISOString(),
      lastTimestamp: time,
      count: times.count,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
    this.index.set(key, { namespace, name, last: Date.parse(time) });
  }

  /** Deletes events last seen before a time, as the API server's one-hour event TTL does. */
  expire(before: Date): number {
    const cutoff = before.getTime();
    let removed = 0;
    for (const [key, entry] of this.index) {
      if (entry.last < cutoff && this.forget(key, entry)) removed++;
    }
    return removed;
  }

  /** Drops an event from the index and the store; true if it was still stored. */
  private forget(key: string, entry: { namespace: string; name: string }): boolean {
    this.index.delete(key);
    if (!this.store.has(EVENTS, entry.namespace, entry.name)) return false;
    this.store.delete(EVENTS, entry.namespace, entry.name);
    return true;
  }
}
