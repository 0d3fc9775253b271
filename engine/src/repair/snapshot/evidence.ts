import type { CoreV1Event } from '@kubernetes/client-node';
import type { EvidenceEvent } from '../types.js';
import { toIso, toMillis } from './time.js';

/**
 * Both event shapes folded into one: legacy core/v1 (`count`, `firstTimestamp`, `lastTimestamp`) and the
 * events.k8s.io/v1 shape the scheduler writes (`eventTime`, `series.count`, `series.lastObservedTime`).
 */
export function toEvidenceEvent(event: CoreV1Event): EvidenceEvent {
  const o = event.involvedObject;
  return {
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: event.message ?? '',
    count: eventCount(event),
    firstSeen: toIso(event.firstTimestamp ?? event.eventTime),
    lastSeen: toIso(eventLastSeen(event)),
    object: { kind: o.kind ?? '', namespace: o.namespace ?? '', name: o.name ?? '' },
  };
}

export const eventCount = (event: CoreV1Event): number => event.count ?? event.series?.count ?? 1;

export const eventLastSeen = (event: CoreV1Event): unknown =>
  event.lastTimestamp ?? event.series?.lastObservedTime ?? event.eventTime ?? event.firstTimestamp;

export const eventFirstSeenMs = (event: CoreV1Event): number | undefined =>
  toMillis(event.firstTimestamp ?? event.eventTime);

export const eventLastSeenMs = (event: CoreV1Event): number | undefined => toMillis(eventLastSeen(event));
