import type { V1Pod } from '@kubernetes/client-node';
import type { Detector } from '../types.js';
import { eventFirstSeenMs, eventLastSeenMs } from '../snapshot/evidence.js';
import { indexSnapshot, refOf, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { isTerminating, podCondition } from '../snapshot/podStatus.js';
import { toMillis } from '../snapshot/time.js';
import {
  groupPodHits,
  podCount,
  podGroupFindings,
  severityByAvailability,
  type PodHit,
} from './podFindings.js';

/**
 * Pending pods the scheduler could place on no node (resources, taints, affinity, unbound claims), for at least
 * two minutes. A pod whose pending triggered a cluster-autoscaler scale-up in the last ten minutes is waiting for
 * its node, not stuck.
 */
const MIN_SECONDS = 120;
const SCALE_UP_GRACE_SECONDS = 600;

function hitFor(index: SnapshotIndex, pod: V1Pod, now: Date): PodHit | undefined {
  if (isTerminating(pod) || pod.status?.phase !== 'Pending' || pod.spec?.nodeName) return undefined;
  const scheduled = podCondition(pod, 'PodScheduled');
  if (scheduled?.status !== 'False' || scheduled.reason !== 'Unschedulable') return undefined;
  const events = index.eventsFor(refOf('Pod', pod));
  const failed = events.filter((e) => e.reason === 'FailedScheduling');
  const sinceMs = Math.min(
    toMillis(scheduled.lastTransitionTime) ?? Infinity,
    ...failed.map((e) => eventFirstSeenMs(e) ?? Infinity),
    toMillis(pod.metadata?.creationTimestamp) ?? now.getTime(),
  );
  if (now.getTime() - sinceMs < MIN_SECONDS * 1000) return undefined;
  const scaleUp = events.some(
    (e) =>
      e.reason === 'TriggeredScaleUp' &&
      now.getTime() - (eventLastSeenMs(e) ?? 0) < SCALE_UP_GRACE_SECONDS * 1000,
  );
  if (scaleUp) return undefined;
  return {
    pod,
    containers: [],
    statuses: [`${pod.metadata?.name}: Pending, ${scheduled.message ?? 'Unschedulable'}`],
    sinceMs,
    occurrences: 1,
  };
}

export const unschedulableDetector: Detector = {
  name: 'unschedulable',
  types: ['Unschedulable'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    const hits = (snapshot.pods ?? []).flatMap((pod) => hitFor(index, pod, now) ?? []);
    return podGroupFindings(index, groupPodHits(index, hits), now, {
      type: 'Unschedulable',
      severity: (g) => severityByAvailability(index, g),
      message: (g) =>
        `${g.object.kind} ${g.object.namespace}/${g.object.name}: ${podCount(g)} cannot be scheduled`,
      details: (g) => ({ reason: podCondition(g.hits[0]!.pod, 'PodScheduled')?.message ?? 'Unschedulable' }),
    });
  },
};
