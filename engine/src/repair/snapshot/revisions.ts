import type { V1ControllerRevision, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { ObjectRef } from '../types.js';
import { containerStatuses, isPodReady, isTerminal, isTerminating } from './podStatus.js';
import { refKey, type SnapshotIndex } from './SnapshotIndex.js';
import { toMillis } from './time.js';

/** One revision of a workload: a Deployment's ReplicaSet or a StatefulSet's / DaemonSet's ControllerRevision. */
export interface RevisionInfo {
  /** ReplicaSet or ControllerRevision name. */
  name: string;
  kind: 'ReplicaSet' | 'ControllerRevision';
  revision: number;
  createdMs: number;
  /** Available pods (ReplicaSet status) or Ready pods (ControllerRevision). */
  available: number;
  pods: V1Pod[];
}

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const FAILING_WAITING = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

const livePods = (pods: V1Pod[]) => pods.filter((p) => !isTerminating(p) && !isTerminal(p));

function fromReplicaSet(index: SnapshotIndex, rs: V1ReplicaSet): RevisionInfo {
  const ns = rs.metadata?.namespace;
  return {
    name: rs.metadata?.name ?? '',
    kind: 'ReplicaSet',
    revision: Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0),
    createdMs: toMillis(rs.metadata?.creationTimestamp) ?? 0,
    available: rs.status?.availableReplicas ?? 0,
    pods: livePods(index.podsByController.get(refKey('ReplicaSet', ns, rs.metadata?.name)) ?? []),
  };
}

/** StatefulSet pods carry the revision's name in `controller-revision-hash`, DaemonSet pods only its hash suffix. */
export function podRevisionName(pod: V1Pod, workloadName: string): string | undefined {
  const hash = pod.metadata?.labels?.['controller-revision-hash'];
  if (!hash) return undefined;
  return hash.startsWith(`${workloadName}-`) ? hash : `${workloadName}-${hash}`;
}

function fromControllerRevision(cr: V1ControllerRevision, pods: V1Pod[], workloadName: string): RevisionInfo {
  const mine = pods.filter((p) => podRevisionName(p, workloadName) === cr.metadata?.name);
  return {
    name: cr.metadata?.name ?? '',
    kind: 'ControllerRevision',
    revision: cr.revision,
    createdMs: toMillis(cr.metadata?.creationTimestamp) ?? 0,
    available: mine.filter(isPodReady).length,
    pods: mine,
  };
}

/** A workload's revisions, oldest first; empty for kinds without revisions (Jobs, bare pods). */
export function workloadRevisions(index: SnapshotIndex, workload: ObjectRef): RevisionInfo[] {
  const key = refKey(workload.kind, workload.namespace, workload.name);
  let revisions: RevisionInfo[] = [];
  if (workload.kind === 'Deployment') {
    revisions = (index.replicaSetsByDeployment.get(key) ?? []).map((rs) => fromReplicaSet(index, rs));
  } else if (workload.kind === 'StatefulSet' || workload.kind === 'DaemonSet') {
    const pods = livePods(index.podsByController.get(key) ?? []);
    revisions = (index.revisionsByOwner.get(key) ?? []).map((cr) =>
      fromControllerRevision(cr, pods, workload.name),
    );
  }
  return revisions.sort((a, b) => a.revision - b.revision);
}

export function newestRevisionHash(index: SnapshotIndex, workload: ObjectRef): string | undefined {
  const revisions = workloadRevisions(index, workload);
  return revisions[revisions.length - 1]?.name;
}

/** A pod that shows one of the failures a rollback can undo (crash loop, image pull, configuration). */
export function isFailingPod(pod: V1Pod): boolean {
  return containerStatuses(pod).some(
    (cs) =>
      FAILING_WAITING.has(cs.state?.waiting?.reason ?? '') || (!cs.ready && (cs.restartCount ?? 0) >= 3),
  );
}

/** The revision holding any of the named pods. */
export function revisionHolding(revisions: RevisionInfo[], podNames: string[]): RevisionInfo | undefined {
  const names = new Set(podNames);
  return revisions.find((r) => r.pods.some((p) => names.has(p.metadata?.name ?? '')));
}
