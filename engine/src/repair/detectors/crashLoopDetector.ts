import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { Detector } from '../types.js';
import { indexSnapshot, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { containerStatuses, isTerminal, isTerminating } from '../snapshot/podStatus.js';
import { secondsSince } from '../snapshot/time.js';
import {
  groupPodHits,
  podCount,
  podGroupFindings,
  backOffStart,
  severityByAvailability,
  type PodHit,
} from './podFindings.js';

/**
 * A container that keeps dying between back-offs. Besides the `CrashLoopBackOff` waiting reason, a container just
 * restarted by the kubelet shows `running` with a fresh non-OOM termination: three restarts with the last within
 * ten minutes is still the loop. OOM kills are the OOMKilled detector's (a raise, not a rollback, may fix them);
 * old restarts of a container running since are history, not a finding.
 */
const MIN_RESTARTS = 3;
const RECENT_SECONDS = 600;

function crashing(cs: V1ContainerStatus, now: Date): boolean {
  const last = cs.lastState?.terminated;
  if (last?.reason === 'OOMKilled' || cs.state?.terminated?.reason === 'OOMKilled') return false;
  if (cs.state?.waiting?.reason === 'CrashLoopBackOff') return true;
  const finishedAgo = secondsSince(last?.finishedAt, now);
  return (cs.restartCount ?? 0) >= MIN_RESTARTS && finishedAgo !== undefined && finishedAgo <= RECENT_SECONDS;
}

function hitFor(index: SnapshotIndex, pod: V1Pod, now: Date): PodHit | undefined {
  if (isTerminating(pod) || isTerminal(pod)) return undefined;
  const bad = containerStatuses(pod).filter((cs) => crashing(cs, now));
  if (bad.length === 0) return undefined;
  return {
    pod,
    containers: bad.map((cs) => cs.name),
    statuses: bad.map((cs) => {
      const last = cs.lastState?.terminated;
      const state = cs.state?.waiting?.reason ?? (cs.state?.running ? 'Running' : 'Terminated');
      return `${pod.metadata?.name}/${cs.name}: ${state}, restarts ${cs.restartCount ?? 0}, last exit ${last?.exitCode ?? '?'} (${last?.reason ?? 'unknown'})`;
    }),
    ...backOffStart(index, pod, now),
    occurrences: bad.reduce((n, cs) => n + (cs.restartCount ?? 0), 0),
  };
}

export const crashLoopDetector: Detector = {
  name: 'crash-loop',
  types: ['CrashLoopBackOff'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    const hits = (snapshot.pods ?? []).flatMap((pod) => hitFor(index, pod, now) ?? []);
    return podGroupFindings(index, groupPodHits(index, hits), now, {
      type: 'CrashLoopBackOff',
      rateUnit: 'restarts/hour',
      severity: (g) => severityByAvailability(index, g),
      message: (g) =>
        `${g.object.kind} ${g.object.namespace}/${g.object.name}: ${podCount(g)} crash-looping (${g.occurrences} restarts)`,
    });
  },
};
