import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { Detector } from '../types.js';
import { eventCount, eventFirstSeenMs, eventLastSeenMs } from '../snapshot/evidence.js';
import { indexSnapshot, refOf, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import {
  containerStatuses,
  isNodeReady,
  isTerminal,
  isTerminating,
  podCondition,
} from '../snapshot/podStatus.js';
import { toMillis } from '../snapshot/time.js';
import {
  groupPodHits,
  podCount,
  podGroupFindings,
  severityByAvailability,
  type PodHit,
} from './podFindings.js';

/**
 * Probes that keep failing, not the few failures of a container still warming up in a normal rollout:
 * a running container not Ready for five minutes with readiness/startup probe failures seen in the last ten, or
 * liveness failures repeated three times in the last ten minutes. Pods on a NotReady node are the node's finding.
 */
const NOT_READY_SECONDS = 300;
const RECENT_SECONDS = 600;
const MIN_LIVENESS_FAILURES = 3;

function hitFor(index: SnapshotIndex, pod: V1Pod, now: Date): PodHit | undefined {
  if (isTerminating(pod) || isTerminal(pod) || !pod.spec?.nodeName) return undefined;
  const node = index.get<V1Node>('Node', '', pod.spec.nodeName);
  if (node && !isNodeReady(node)) return undefined;
  const recent = index
    .eventsFor(refOf('Pod', pod))
    .filter(
      (e) => e.reason === 'Unhealthy' && now.getTime() - (eventLastSeenMs(e) ?? 0) <= RECENT_SECONDS * 1000,
    );
  if (recent.length === 0) return undefined;
  const liveness = recent.filter((e) => /liveness/i.test(e.message ?? ''));
  const livenessFailing = liveness.reduce((n, e) => n + eventCount(e), 0) >= MIN_LIVENESS_FAILURES;
  const notReady = containerStatuses(pod).filter((cs) => {
    const started = toMillis(cs.state?.running?.startedAt);
    return !cs.ready && started !== undefined && now.getTime() - started >= NOT_READY_SECONDS * 1000;
  });
  const readySince = toMillis(podCondition(pod, 'Ready')?.lastTransitionTime);
  const longNotReady =
    notReady.length > 0 &&
    (readySince === undefined || now.getTime() - readySince >= NOT_READY_SECONDS * 1000);
  if (!longNotReady && !livenessFailing) return undefined;
  const sinceMs = Math.min(...recent.map((e) => eventFirstSeenMs(e) ?? now.getTime()));
  return {
    pod,
    containers: notReady.map((cs) => cs.name),
    statuses: recent.map((e) => `${pod.metadata?.name}: ${e.message ?? 'probe failed'} (x${eventCount(e)})`),
    sinceMs,
    occurrences: recent.reduce((n, e) => n + eventCount(e), 0),
  };
}

export const probeFailingDetector: Detector = {
  name: 'probe-failing',
  types: ['ProbeFailing'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    const hits = (snapshot.pods ?? []).flatMap((pod) => hitFor(index, pod, now) ?? []);
    return podGroupFindings(index, groupPodHits(index, hits), now, {
      type: 'ProbeFailing',
      rateUnit: 'probe failures/hour',
      eventReasons: ['Unhealthy'],
      severity: (g) => severityByAvailability(index, g),
      message: (g) =>
        `${g.object.kind} ${g.object.namespace}/${g.object.name}: probes failing on ${podCount(g)}`,
    });
  },
};
