import type { RcaCandidate } from '../../api/types';

type EventEvidence = RcaCandidate['evidence']['events'][number];

/** Kubernetes events of one reason on one object, summed: what an SRE reads instead of one line per event. */
export interface EventGroup {
  type: string;
  reason: string;
  object: string;
  /** Sum of the events' own counts (Kubernetes folds repeats into `count`). */
  count: number;
  /** Unix seconds. */
  firstSeen: number;
  lastSeen: number;
  /** The latest event's message. */
  message: string;
}

/** Groups by (reason, object), Warnings first, then by count, so the loudest problem leads. */
export function groupEvents(events: EventEvidence[]): EventGroup[] {
  const groups = new Map<string, EventGroup>();
  for (const e of events) {
    const key = `${e.reason}\u0000${e.object}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        type: e.type,
        reason: e.reason,
        object: e.object,
        count: e.count,
        firstSeen: e.time,
        lastSeen: e.time,
        message: e.message,
      });
      continue;
    }
    g.count += e.count;
    g.firstSeen = Math.min(g.firstSeen, e.time);
    if (e.time >= g.lastSeen) {
      g.lastSeen = e.time;
      g.message = e.message;
    }
    if (e.type === 'Warning') {
      g.type = 'Warning';
    }
  }
  return [...groups.values()].sort(
    (a, b) => Number(b.type === 'Warning') - Number(a.type === 'Warning') || b.count - a.count
  );
}
