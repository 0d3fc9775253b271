import type { V1DaemonSet, V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { Detector, Finding } from '../types.js';
import { indexSnapshot, refKey, refOf, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { isPodReady, isTerminating } from '../snapshot/podStatus.js';
import { newestRevisionHash, podRevisionName } from '../snapshot/revisions.js';
import { toMillis } from '../snapshot/time.js';
import { createFinding } from './createFinding.js';

/**
 * A rollout that stopped making progress. Deployments say so themselves (`Progressing=False`,
 * `ProgressDeadlineExceeded`). StatefulSets and DaemonSets have no deadline, so the Deployment default is applied:
 * pods of the newest revision not Ready for ten minutes while pods of an older revision remain.
 */
const DEFAULT_DEADLINE_SECONDS = 600;

function deploymentFinding(index: SnapshotIndex, d: V1Deployment, now: Date): Finding | undefined {
  if (d.spec?.paused || (d.spec?.replicas ?? 1) === 0) return undefined;
  const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded') return undefined;
  const object = refOf('Deployment', d);
  const s = d.status ?? {};
  return createFinding({
    type: 'RolloutStuck',
    object,
    owners: [],
    statuses: [
      `${object.name}: ${progressing.message ?? 'ProgressDeadlineExceeded'}`,
      `updated ${s.updatedReplicas ?? 0}, ready ${s.readyReplicas ?? 0}, available ${s.availableReplicas ?? 0} of ${d.spec?.replicas ?? 1}`,
    ],
    events: index.eventsFor(object),
    sinceMs: toMillis(progressing.lastTransitionTime) ?? now.getTime(),
    now,
    severity: (s.availableReplicas ?? 0) > 0 ? 'warning' : 'critical',
    message: `Deployment ${object.namespace}/${object.name}: rollout exceeded its progress deadline`,
    details: { reason: 'ProgressDeadlineExceeded' },
  });
}

function revisionedFinding(
  index: SnapshotIndex,
  kind: 'StatefulSet' | 'DaemonSet',
  workload: V1StatefulSet | V1DaemonSet,
  now: Date,
): Finding | undefined {
  const object = refOf(kind, workload);
  const newest = newestRevisionHash(index, object);
  if (!newest) return undefined;
  const pods = (index.podsByController.get(refKey(kind, object.namespace, object.name)) ?? []).filter(
    (p) => !isTerminating(p),
  );
  const hash = (p: V1Pod) => podRevisionName(p, object.name);
  const stuck = pods.filter(
    (p) =>
      hash(p) === newest &&
      !isPodReady(p) &&
      now.getTime() - (toMillis(p.metadata?.creationTimestamp) ?? now.getTime()) >=
        DEFAULT_DEADLINE_SECONDS * 1000,
  );
  const older = pods.filter((p) => hash(p) !== undefined && hash(p) !== newest);
  if (stuck.length === 0 || older.length === 0) return undefined;
  return createFinding({
    type: 'RolloutStuck',
    object,
    owners: [],
    statuses: stuck.map((p) => `${p.metadata?.name}: revision ${newest} not Ready`),
    events: index.eventsFor(object),
    sinceMs: Math.min(...stuck.map((p) => toMillis(p.metadata?.creationTimestamp) ?? now.getTime())),
    now,
    severity: 'warning',
    message: `${kind} ${object.namespace}/${object.name}: rollout to ${newest} not progressing (${stuck.length} pods not Ready)`,
    details: { pods: stuck.map((p) => p.metadata?.name ?? ''), reason: 'RolloutNotProgressing' },
  });
}

export const rolloutStuckDetector: Detector = {
  name: 'rollout-stuck',
  types: ['RolloutStuck'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    return [
      ...(snapshot.deployments ?? []).flatMap((d) => deploymentFinding(index, d, now) ?? []),
      ...(snapshot.statefulSets ?? []).flatMap((s) => revisionedFinding(index, 'StatefulSet', s, now) ?? []),
      ...(snapshot.daemonSets ?? []).flatMap((s) => revisionedFinding(index, 'DaemonSet', s, now) ?? []),
    ];
  },
};
