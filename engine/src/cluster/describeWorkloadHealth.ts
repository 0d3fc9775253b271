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

// A termination this recent is part of the present: kubelet resets a container's crash back-off after 10 minutes of
// running, so a restart within 15 minutes is still the same episode (and the RCA's default window).
const RECENT_RESTART_MS = 15 * 60_000;
// Without a termination time, this many restarts from a bad reason is a pattern, not a one-off.
const REPEATED_RESTARTS = 3;

/**
 * Health as an SRE reads it: no ready replica is unavailable; fewer ready than desired, a stuck rollout, a pod in a
 * failure state, a pod that restarted recently from a bad reason (OOMKilled, Error) or a running container that is
 * not ready (a failing readiness probe) is degraded, even when the replica count looks whole. Reasons say why in
 * words fit for a status column.
 */
export function assessHealth(
  workload: Workload,
  pods: PodInfo[],
  now: number = Date.now(),
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
  for (const pod of pods) reasons.push(...podReasons(pod, now));
  const health: WorkloadHealth['health'] =
    workload.replicas > 0 && workload.readyReplicas === 0
      ? 'unavailable'
      : reasons.length > 0
        ? 'degraded'
        : 'healthy';
  return { health, reasons };
}

function podReasons(pod: PodInfo, now: number): string[] {
  if (pod.phase === 'Pending') {
    const unscheduled = pod.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    return [`pod ${pod.name} pending${unscheduled?.reason ? `: ${unscheduled.reason}` : ''}`];
  }
  const reasons: string[] = [];
  for (const container of pod.containers) {
    const current = container.state !== 'running' ? container.reason : undefined;
    if (current && BAD_REASONS.has(current)) {
      reasons.push(`pod ${pod.name}: ${current} (restarts ${container.restartCount})`);
    } else if (restartedRecently(container, now)) {
      const ago = container.lastTerminatedAt ? ` ${minutesAgo(container.lastTerminatedAt, now)}` : '';
      reasons.push(
        `pod ${pod.name}: restarted ${container.restartCount} times, last ${container.lastTerminationReason}${ago}`,
      );
    } else if (container.state === 'running' && !container.ready) {
      reasons.push(
        `pod ${pod.name}: container ${container.name} running but not ready (readiness probe failing)`,
      );
    }
  }
  return reasons;
}

function restartedRecently(container: PodInfo['containers'][number], now: number): boolean {
  const reason = container.lastTerminationReason;
  if (!reason || !BAD_REASONS.has(reason) || container.restartCount === 0) return false;
  if (!container.lastTerminatedAt) return container.restartCount >= REPEATED_RESTARTS;
  return now - Date.parse(container.lastTerminatedAt) <= RECENT_RESTART_MS;
}

function minutesAgo(iso: string, now: number): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  return minutes === 0 ? 'just now' : `${minutes} min ago`;
}
