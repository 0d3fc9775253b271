import type { ClusterSource, PodInfo, Workload } from '../sources/cluster/ClusterSource.js';
import type { WorkloadHealth } from '../schemas/core.js';

/** Waiting/terminated reasons that mean a pod is broken, not merely starting. */
const BAD_REASONS = new Set([
  'CrashLoopBackOff',
  'OOMKilled',
  'ErrImagePull',
  'ImagePullBackOff',
  'CreateContainerConfigError',
  'InvalidImageName',
  'Error',
  'RunContainerError',
]);

export async function describeWorkloadHealth(
  cluster: ClusterSource,
  namespace: string,
  labelSelector?: string,
): Promise<WorkloadHealth[]> {
  // One pod list per namespace, grouped by owner, instead of one list per workload: the page that shows every
  // workload of a namespace costs two API calls however many workloads there are.
  const [workloads, pods] = await Promise.all([
    cluster.listWorkloads(namespace, labelSelector ? { labelSelector } : {}),
    cluster.listPods(namespace),
  ]);
  return workloads.map((workload) => {
    const owned = pods.filter((pod) => ownedBy(pod, workload));
    return { ...workload, cluster: cluster.name, ...assessHealth(workload, owned), pods: owned };
  });
}

/**
 * A Deployment's pods belong to its ReplicaSets, named `<deployment>-<pod-template-hash>`; StatefulSet and DaemonSet
 * pods name their workload as owner directly.
 */
export function ownedBy(pod: PodInfo, workload: Workload): boolean {
  if (!pod.ownerName) return false;
  if (workload.kind === 'Deployment') {
    return (
      pod.ownerKind === 'ReplicaSet' &&
      pod.ownerName.startsWith(`${workload.name}-`) &&
      /^[a-z0-9]+$/.test(pod.ownerName.slice(workload.name.length + 1))
    );
  }
  return pod.ownerKind === workload.kind && pod.ownerName === workload.name;
}

/**
 * Health as an SRE reads it: no ready replica is unavailable; fewer ready than desired, a stuck rollout, or a pod
 * in a failure state is degraded. Reasons say why in words fit for a status column.
 */
export function assessHealth(
  workload: Workload,
  pods: PodInfo[],
): { health: WorkloadHealth['health']; reasons: string[] } {
  const reasons: string[] = [];
  if (workload.replicas > 0 && workload.readyReplicas < workload.replicas) {
    reasons.push(`${workload.readyReplicas}/${workload.replicas} replicas ready`);
  }
  if (workload.updatedReplicas < workload.replicas) {
    reasons.push(`rollout in progress: ${workload.updatedReplicas}/${workload.replicas} updated`);
  }
  for (const condition of workload.conditions) {
    if (condition.type === 'Progressing' && condition.status === 'False') {
      reasons.push(`rollout stalled: ${condition.reason ?? 'no progress'}`);
    }
  }
  for (const pod of pods) {
    if (pod.phase === 'Pending') {
      const unscheduled = pod.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      reasons.push(`pod ${pod.name} pending${unscheduled?.reason ? `: ${unscheduled.reason}` : ''}`);
      continue;
    }
    for (const container of pod.containers) {
      const reason = container.reason ?? container.lastTerminationReason;
      if (reason && BAD_REASONS.has(reason) && (!container.ready || container.state !== 'running')) {
        reasons.push(`pod ${pod.name}: ${reason} (restarts ${container.restartCount})`);
      }
    }
  }
  const health: WorkloadHealth['health'] =
    workload.replicas > 0 && workload.readyReplicas === 0
      ? 'unavailable'
      : reasons.length > 0
        ? 'degraded'
        : 'healthy';
  return { health, reasons };
}
