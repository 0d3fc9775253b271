import { createHash } from 'node:crypto';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { Finding, FindingDetails, FindingRate, FindingType, ObjectRef, Severity } from '../types.js';
import { eventLastSeenMs, toEvidenceEvent } from '../snapshot/evidence.js';
import { topOf } from '../snapshot/ownerChain.js';

/** Evidence stays readable: the most recent events only. */
const MAX_EVENTS = 10;

export interface FindingInput {
  type: FindingType;
  object: ObjectRef;
  owners: ObjectRef[];
  statuses: string[];
  events: CoreV1Event[];
  /** Epoch ms the condition began. */
  sinceMs: number;
  now: Date;
  severity: Severity;
  message: string;
  details?: FindingDetails;
  rate?: FindingRate;
}

/** The fingerprint names the condition, not the pod: it survives pod replacement and uid changes. */
export function fingerprintOf(type: FindingType, object: ObjectRef): string {
  return createHash('sha256')
    .update(`${type}\0${object.kind}\0${object.namespace}\0${object.name}`)
    .digest('hex')
    .slice(0, 16);
}

/** The top of the owner chain, unless it is cluster-scoped (a static pod's Node): then the object itself. */
function workloadOf(owners: ObjectRef[], object: ObjectRef): ObjectRef {
  const top = topOf(owners, object);
  return top.namespace === object.namespace ? top : object;
}

export function createFinding(input: FindingInput): Finding {
  const events = [...input.events]
    .sort((a, b) => (eventLastSeenMs(b) ?? 0) - (eventLastSeenMs(a) ?? 0))
    .slice(0, MAX_EVENTS)
    .map(toEvidenceEvent);
  const sinceMs = Math.min(input.sinceMs, input.now.getTime());
  return {
    fingerprint: fingerprintOf(input.type, input.object),
    type: input.type,
    object: input.object,
    owners: input.owners,
    workload: workloadOf(input.owners, input.object),
    evidence: { statuses: input.statuses, events, logTail: [] },
    since: new Date(sinceMs).toISOString(),
    heldSeconds: Math.round((input.now.getTime() - sinceMs) / 1000),
    ...(input.rate ? { rate: input.rate } : {}),
    severity: input.severity,
    message: input.message,
    details: input.details ?? {},
  };
}

/** Per hour over the time the condition has held, at least one minute so a fresh burst does not divide by zero. */
export function perHour(count: number, sinceMs: number, now: Date, unit: string): FindingRate {
  const hours = Math.max(1 / 60, (now.getTime() - sinceMs) / 3_600_000);
  return { value: Math.round((count / hours) * 10) / 10, unit };
}
