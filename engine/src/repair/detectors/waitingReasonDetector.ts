import type { V1Pod } from '@kubernetes/client-node';
import type { Detector, FindingDetails, FindingType } from '../types.js';
import { indexSnapshot } from '../snapshot/SnapshotIndex.js';
import { containerStatuses, isTerminal, isTerminating } from '../snapshot/podStatus.js';
import {
  groupPodHits,
  podCount,
  podGroupFindings,
  podStartMs,
  severityByAvailability,
  type PodHit,
} from './podFindings.js';

/**
 * Shared by the detectors that read a container's `waiting` reason (image pulls, configuration): containers that
 * have waited with one of `reasons` for at least `minSeconds` since their pod started.
 */
export interface WaitingReasonSpec {
  name: string;
  type: FindingType;
  reasons: string[];
  minSeconds: number;
  describe: string;
  details?: (messages: string[]) => FindingDetails;
}

function hitFor(pod: V1Pod, spec: WaitingReasonSpec, now: Date): PodHit | undefined {
  if (isTerminating(pod) || isTerminal(pod)) return undefined;
  const waiting = containerStatuses(pod).filter((cs) =>
    spec.reasons.includes(cs.state?.waiting?.reason ?? ''),
  );
  const sinceMs = podStartMs(pod, now);
  if (waiting.length === 0 || now.getTime() - sinceMs < spec.minSeconds * 1000) return undefined;
  return {
    pod,
    containers: waiting.map((cs) => cs.name),
    statuses: waiting.map((cs) =>
      `${pod.metadata?.name}/${cs.name}: ${cs.state?.waiting?.reason}: ${cs.state?.waiting?.message ?? ''}`.trim(),
    ),
    sinceMs,
    occurrences: waiting.length,
  };
}

export function waitingReasonDetector(spec: WaitingReasonSpec): Detector {
  return {
    name: spec.name,
    types: [spec.type],
    detect(snapshot, now) {
      const index = indexSnapshot(snapshot);
      const hits = (snapshot.pods ?? []).flatMap((pod) => hitFor(pod, spec, now) ?? []);
      return podGroupFindings(index, groupPodHits(index, hits), now, {
        type: spec.type,
        severity: (g) => severityByAvailability(index, g),
        message: (g) =>
          `${g.object.kind} ${g.object.namespace}/${g.object.name}: ${podCount(g)} ${spec.describe}`,
        details: (g) => {
          const messages = g.hits.flatMap((h) =>
            containerStatuses(h.pod)
              .map((cs) => cs.state?.waiting?.message ?? '')
              .filter(Boolean),
          );
          const reason = containerStatuses(g.hits[0]!.pod).find((cs) =>
            spec.reasons.includes(cs.state?.waiting?.reason ?? ''),
          )?.state?.waiting?.reason;
          return { reason, ...spec.details?.(messages) };
        },
      });
    },
  };
}
