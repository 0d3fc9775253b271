import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { Finding, FindingDetails, FindingType, ObjectRef, Severity } from '../types.js';
import { ownerChain } from '../snapshot/ownerChain.js';
import { refKey, refOf, type AnyObject, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { toMillis } from '../snapshot/time.js';
import { eventFirstSeenMs } from '../snapshot/evidence.js';
import { createFinding, perHour } from './createFinding.js';

/** One pod showing a condition, as a detector saw it. */
export interface PodHit {
  pod: V1Pod;
  containers: string[];
  statuses: string[];
  /** Epoch ms the condition began on this pod. */
  sinceMs: number;
  /** `sinceMs` is a guess (the pod's start) rather than read from events; evidence wins when a group has both. */
  sinceGuessed?: boolean;
  /** Restarts, OOM kills, evictions behind the hit. */
  occurrences: number;
}

export interface PodGroup {
  object: ObjectRef;
  owners: ObjectRef[];
  hits: PodHit[];
  sinceMs: number;
  occurrences: number;
}

/**
 * Which object a pod-level finding is about: the workload a person manages (Deployment, StatefulSet, DaemonSet),
 * the Job for a Job's pods (each run of a CronJob fails on its own), or the pod itself when nothing owns it.
 */
export function findingObjectFor(pod: V1Pod, chain: ObjectRef[]): ObjectRef {
  const job = chain.find((r) => r.kind === 'Job');
  if (job) return job;
  const top = chain[chain.length - 1];
  // A static pod's owner is its Node: the pod, not the node, is what fails.
  return top && top.namespace !== '' ? top : refOf('Pod', pod);
}

/** Groups pod hits by the object they are about, so one failing workload gives one finding, not one per pod. */
export function groupPodHits(index: SnapshotIndex, hits: PodHit[]): PodGroup[] {
  const groups = new Map<string, PodGroup>();
  for (const hit of hits) {
    const owners = ownerChain(index, hit.pod);
    const object = findingObjectFor(hit.pod, owners);
    const key = refKey(object.kind, object.namespace, object.name);
    const group = groups.get(key);
    if (group) {
      group.hits.push(hit);
      group.occurrences += hit.occurrences;
    } else {
      groups.set(key, { object, owners, hits: [hit], sinceMs: hit.sinceMs, occurrences: hit.occurrences });
    }
  }
  for (const group of groups.values()) {
    const known = group.hits.filter((h) => !h.sinceGuessed);
    group.sinceMs = Math.min(...(known.length > 0 ? known : group.hits).map((h) => h.sinceMs));
  }
  return [...groups.values()];
}

/** Warning events about the group's pods and the controllers above them (plus any reasons asked for). */
export function groupEvents(index: SnapshotIndex, group: PodGroup, reasons: string[] = []): CoreV1Event[] {
  const refs: ObjectRef[] = [...group.hits.map((h) => refOf('Pod', h.pod)), ...group.owners];
  return refs
    .flatMap((r) => index.eventsFor(r))
    .filter((e) => e.type === 'Warning' || reasons.includes(e.reason ?? ''));
}

export interface PodFindingSpec {
  type: FindingType;
  severity: (group: PodGroup) => Severity;
  message: (group: PodGroup) => string;
  details?: (group: PodGroup) => FindingDetails;
  /** Unit for the rate of occurrences per hour (e.g. `restarts/hour`); no rate when absent. */
  rateUnit?: string;
  eventReasons?: string[];
}

export function podGroupFindings(
  index: SnapshotIndex,
  groups: PodGroup[],
  now: Date,
  spec: PodFindingSpec,
): Finding[] {
  return groups.map((group) =>
    createFinding({
      type: spec.type,
      object: group.object,
      owners: group.owners,
      statuses: group.hits.flatMap((h) => h.statuses),
      events: groupEvents(index, group, spec.eventReasons),
      sinceMs: group.sinceMs,
      now,
      severity: spec.severity(group),
      message: spec.message(group),
      details: {
        pods: group.hits.map((h) => h.pod.metadata?.name ?? ''),
        containers: [...new Set(group.hits.flatMap((h) => h.containers))],
        occurrences: group.occurrences,
        ...spec.details?.(group),
      },
      ...(spec.rateUnit ? { rate: perHour(group.occurrences, group.sinceMs, now, spec.rateUnit) } : {}),
    }),
  );
}

/** When a pod began to exist for the kubelet: its start time, else its creation. */
export const podStartMs = (pod: V1Pod, now: Date): number =>
  toMillis(pod.status?.startTime) ?? toMillis(pod.metadata?.creationTimestamp) ?? now.getTime();

/**
 * When a pod's restarts began: its first BackOff event (a repeating event keeps its first timestamp for as long as
 * it keeps repeating), else when the pod started.
 */
export function backOffStart(
  index: SnapshotIndex,
  pod: V1Pod,
  now: Date,
): { sinceMs: number; sinceGuessed: boolean } {
  const starts = index
    .eventsFor(refOf('Pod', pod))
    .filter((e) => e.reason === 'BackOff')
    .map((e) => eventFirstSeenMs(e) ?? Infinity);
  return starts.length > 0
    ? { sinceMs: Math.min(...starts), sinceGuessed: false }
    : { sinceMs: podStartMs(pod, now), sinceGuessed: true };
}

/** `3 of 4 pods` style share for messages. */
export const podCount = (group: PodGroup): string =>
  `${group.hits.length} pod${group.hits.length === 1 ? '' : 's'}`;

/** Critical when the workload serves nothing any more, a warning while other replicas still serve. */
export function severityByAvailability(index: SnapshotIndex, group: PodGroup): Severity {
  const top = group.owners[group.owners.length - 1];
  if (!top) return 'warning';
  const obj = index.get<AnyObject & { status?: Record<string, unknown> }>(top.kind, top.namespace, top.name);
  const status = obj?.status ?? {};
  const available = Number(
    status['availableReplicas'] ?? status['numberAvailable'] ?? status['readyReplicas'] ?? 0,
  );
  return available > 0 ? 'warning' : 'critical';
}
