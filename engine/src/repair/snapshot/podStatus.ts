import type { V1ContainerStatus, V1Node, V1Pod } from '@kubernetes/client-node';
import { parseQuantity } from './quantity.js';

export const isTerminating = (pod: V1Pod): boolean => Boolean(pod.metadata?.deletionTimestamp);
export const isTerminal = (pod: V1Pod): boolean =>
  pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Init containers first, as the kubelet runs them. */
export const containerStatuses = (pod: V1Pod): V1ContainerStatus[] => [
  ...(pod.status?.initContainerStatuses ?? []),
  ...(pod.status?.containerStatuses ?? []),
];

export const podCondition = (pod: V1Pod, type: string) =>
  pod.status?.conditions?.find((c) => c.type === type);
export const isPodReady = (pod: V1Pod): boolean => podCondition(pod, 'Ready')?.status === 'True';

export const nodeCondition = (node: V1Node, type: string) =>
  node.status?.conditions?.find((c) => c.type === type);
export const isNodeReady = (node: V1Node): boolean => nodeCondition(node, 'Ready')?.status === 'True';

const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/** Control-plane nodes by their role label or taint (kubeadm sets both; managed clusters hide them entirely). */
export function isControlPlane(node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  if (CONTROL_PLANE_LABELS.some((l) => l in labels)) return true;
  return (node.spec?.taints ?? []).some((t) => CONTROL_PLANE_LABELS.includes(t.key));
}

/**
 * Taints Kubernetes itself sets to keep pods off a node (conditions, cordon, control plane, autoscaler scale-down).
 * A team's own taints (`dedicated=web:NoSchedule`) are not counted: the pods of a dedicated pool tolerate them.
 */
const SYSTEM_TAINT =
  /^(node\.kubernetes\.io\/|node-role\.kubernetes\.io\/|node\.cloudprovider\.kubernetes\.io\/|ToBeDeletedByClusterAutoscaler$)/;

const blocked = (node: V1Node) =>
  (node.spec?.taints ?? []).some(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && SYSTEM_TAINT.test(t.key),
  );

/** A node workloads run on: Ready and not a control-plane node tainted against them (a single-node cluster's is not). */
export function isWorkloadNode(node: V1Node): boolean {
  return isNodeReady(node) && !(isControlPlane(node) && blocked(node));
}

/** A node new pods can land on: a Ready workload node, not cordoned, without a system NoSchedule/NoExecute taint. */
export function isSchedulableWorker(node: V1Node): boolean {
  return isWorkloadNode(node) && !node.spec?.unschedulable && !blocked(node);
}

export const allocatableMemory = (node: V1Node): number =>
  parseQuantity(node.status?.allocatable?.['memory']) ?? 0;

/** Memory limit per container of a pod spec, in bytes (containers without a limit are left out). */
export function memoryLimits(
  containers: Array<{ name: string; resources?: { limits?: Record<string, string> } }>,
) {
  const limits: Record<string, number> = {};
  for (const c of containers) {
    const bytes = parseQuantity(c.resources?.limits?.['memory']);
    if (bytes !== undefined) limits[c.name] = bytes;
  }
  return limits;
}

/** `matchLabels`-style selector (Services, HPAs' simple selectors) against labels; an empty selector matches nothing. */
export function selectorMatches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) return false;
  return entries.every(([k, v]) => labels?.[k] === v);
}
