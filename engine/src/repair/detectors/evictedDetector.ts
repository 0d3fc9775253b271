import type { V1Pod } from '@kubernetes/client-node';
import type { Detector } from '../types.js';
import { indexSnapshot, refOf } from '../snapshot/SnapshotIndex.js';
import { toMillis } from '../snapshot/time.js';
import { groupPodHits, podCount, podGroupFindings, type PodHit } from './podFindings.js';

/**
 * Pods the kubelet evicted under node pressure. They stay as Failed objects until deleted (the garbage collector
 * only starts at 12,500 terminated pods), cluttering every listing and hiding the pressure that caused them.
 */
function hitFor(pod: V1Pod, now: Date): PodHit | undefined {
  if (pod.status?.phase !== 'Failed' || pod.status.reason !== 'Evicted') return undefined;
  const finished = pod.status.containerStatuses
    ?.map((cs) => toMillis(cs.state?.terminated?.finishedAt))
    .find((ms) => ms !== undefined);
  return {
    pod,
    containers: [],
    statuses: [
      `${pod.metadata?.name} on ${pod.spec?.nodeName ?? '?'}: Evicted: ${pod.status.message ?? ''}`.trim(),
    ],
    sinceMs: finished ?? toMillis(pod.metadata?.creationTimestamp) ?? now.getTime(),
    occurrences: 1,
  };
}

export const evictedDetector: Detector = {
  name: 'evicted',
  types: ['Evicted'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    const hits = (snapshot.pods ?? []).flatMap((pod) => hitFor(pod, now) ?? []);
    for (const hit of hits) {
      const evicted = index.eventsFor(refOf('Pod', hit.pod)).find((e) => e.reason === 'Evicted');
      hit.sinceMs = Math.min(
        hit.sinceMs,
        toMillis(evicted?.firstTimestamp ?? evicted?.eventTime) ?? Infinity,
      );
    }
    return podGroupFindings(index, groupPodHits(index, hits), now, {
      type: 'Evicted',
      severity: () => 'warning',
      message: (g) =>
        `${g.object.kind} ${g.object.namespace}/${g.object.name}: ${podCount(g)} evicted and left behind`,
      details: (g) => {
        const nodes = [
          ...new Set(g.hits.map((h) => h.pod.spec?.nodeName).filter((n): n is string => Boolean(n))),
        ];
        return { node: nodes[0], nodes, reason: 'Evicted' };
      },
    });
  },
};
