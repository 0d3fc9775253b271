import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { Detector, FindingDetails, FindingType } from '../types.js';
import { indexSnapshot, refOf, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
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
  /**
   * A waiting reason that only counts with an event explaining it, e.g. `ContainerCreating` with a `FailedMount`
   * naming a Secret that does not exist (a missing volume source never reaches CreateContainerConfigError).
   */
  explainedBy?: { waiting: string; eventReason: string; message: RegExp };
  minSeconds: number;
  describe: string;
  details?: (messages: string[]) => FindingDetails;
}

/** Why the container waits, as the kubelet or the explaining event says it; undefined when it does not count. */
function waitingMessage(index: SnapshotIndex, pod: V1Pod, cs: V1ContainerStatus, spec: WaitingReasonSpec) {
  const waiting = cs.state?.waiting;
  if (!waiting?.reason) return undefined;
  if (spec.reasons.includes(waiting.reason)) return `${waiting.reason}: ${waiting.message ?? ''}`.trim();
  const alt = spec.explainedBy;
  if (!alt || waiting.reason !== alt.waiting) return undefined;
  const event = index
    .eventsFor(refOf('Pod', pod))
    .find((e) => e.reason === alt.eventReason && alt.message.test(e.message ?? ''));
  return event ? `${waiting.reason}, ${alt.eventReason}: ${event.message}` : undefined;
}

function hitFor(index: SnapshotIndex, pod: V1Pod, spec: WaitingReasonSpec, now: Date): PodHit | undefined {
  if (isTerminating(pod) || isTerminal(pod)) return undefined;
  const waiting = containerStatuses(pod).flatMap((cs) => {
    const message = waitingMessage(index, pod, cs, spec);
    return message === undefined ? [] : [{ cs, message }];
  });
  const sinceMs = podStartMs(pod, now);
  if (waiting.length === 0 || now.getTime() - sinceMs < spec.minSeconds * 1000) return undefined;
  return {
    pod,
    containers: waiting.map((w) => w.cs.name),
    statuses: waiting.map((w) => `${pod.metadata?.name}/${w.cs.name}: ${w.message}`),
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
      const hits = (snapshot.pods ?? []).flatMap((pod) => hitFor(index, pod, spec, now) ?? []);
      return podGroupFindings(index, groupPodHits(index, hits), now, {
        type: spec.type,
        severity: (g) => severityByAvailability(index, g),
        message: (g) =>
          `${g.object.kind} ${g.object.namespace}/${g.object.name}: ${podCount(g)} ${spec.describe}`,
        details: (g) => {
          const first = containerStatuses(g.hits[0]!.pod).find((cs) => cs.name === g.hits[0]!.containers[0]);
          const statuses = g.hits.flatMap((h) => h.statuses);
          return { reason: first?.state?.waiting?.reason, ...spec.details?.(statuses) };
        },
      });
    },
  };
}
