import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { Detector } from '../types.js';
import { indexSnapshot, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { containerStatuses, isTerminal, isTerminating, memoryLimits } from '../snapshot/podStatus.js';
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
 * Containers killed by the kernel for exceeding their memory limit, repeatedly and recently. "Repeatedly" is at
 * least two kills across the workload; "recently" is a kill within three hours, so a leak that kills every couple
 * of hours still counts while a pod that was OOMKilled twice days ago and has run since is history. Terminal pods
 * (a Job's failed runs) are the JobFailed detector's.
 */
const MIN_KILLS = 2;
const RECENT_SECONDS = 3 * 3600;

const oomTermination = (cs: V1ContainerStatus) =>
  cs.lastState?.terminated?.reason === 'OOMKilled'
    ? cs.lastState.terminated
    : cs.state?.terminated?.reason === 'OOMKilled'
      ? cs.state.terminated
      : undefined;

function hitFor(index: SnapshotIndex, pod: V1Pod, now: Date): PodHit | undefined {
  if (isTerminating(pod) || isTerminal(pod)) return undefined;
  const killed = containerStatuses(pod).filter((cs) => {
    const ago = secondsSince(oomTermination(cs)?.finishedAt, now);
    return ago !== undefined && ago <= RECENT_SECONDS;
  });
  if (killed.length === 0) return undefined;
  return {
    pod,
    containers: killed.map((cs) => cs.name),
    statuses: killed.map(
      (cs) =>
        `${pod.metadata?.name}/${cs.name}: OOMKilled (exit ${oomTermination(cs)?.exitCode ?? 137}), restarts ${cs.restartCount ?? 0}`,
    ),
    ...backOffStart(index, pod, now),
    occurrences: killed.reduce((n, cs) => n + Math.max(1, cs.restartCount ?? 0), 0),
  };
}

export const oomKilledDetector: Detector = {
  name: 'oom-killed',
  types: ['OOMKilled'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    const hits = (snapshot.pods ?? []).flatMap((pod) => hitFor(index, pod, now) ?? []);
    const groups = groupPodHits(index, hits).filter((g) => g.occurrences >= MIN_KILLS);
    return podGroupFindings(index, groups, now, {
      type: 'OOMKilled',
      rateUnit: 'kills/hour',
      eventReasons: ['OOMKilling'],
      severity: (g) => severityByAvailability(index, g),
      message: (g) =>
        `${g.object.kind} ${g.object.namespace}/${g.object.name}: ${podCount(g)} OOMKilled (${g.occurrences} restarts)`,
      details: (g) => {
        const pod = g.hits[0]!.pod;
        return { reason: 'OOMKilled', memoryLimitBytes: memoryLimits(pod.spec?.containers ?? []) };
      },
    });
  },
};
