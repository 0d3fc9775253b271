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
  const workloads = await cluster.listWorkloads(namespace, labelSelector ? { labelSelector } : {});
  return Promise.all(
    workloads.map(async (workload) => {
      const pods = workload.selector ? await cluster.listPods(namespace, { labelSelector: workload.selector }) : [];
      return { ...workload, cluster: cluster.name, ...assessHealth(workload, pods), pods };
    }),
  );
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
