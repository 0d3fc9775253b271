import type { V1Node, V1ObjectMeta, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import { EngineError } from '../../errors.js';
import type { ClusterSnapshot, ObjectRef } from '../types.js';
import type { KubeRef } from './RepairAction.js';

/** Where each kind the actions touch lives in the API. */
const API_VERSION: Record<string, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Pod: 'v1',
  Node: 'v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  CronJob: 'batch/v1',
};

const LIST: Record<string, keyof ClusterSnapshot> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulSets',
  DaemonSet: 'daemonSets',
  ReplicaSet: 'replicaSets',
  Pod: 'pods',
  Node: 'nodes',
  HorizontalPodAutoscaler: 'horizontalPodAutoscalers',
  CronJob: 'cronJobs',
  Job: 'jobs',
};

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

export function kubeRef(ref: ObjectRef): KubeRef {
  const apiVersion = API_VERSION[ref.kind];
  if (!apiVersion) throw new EngineError('INVALID_INPUT', `repair actions do not act on ${ref.kind}`);
  return { apiVersion, kind: ref.kind, namespace: ref.kind === 'Node' ? '' : ref.namespace, name: ref.name };
}

interface Meta {
  metadata?: V1ObjectMeta;
}

/** The target object in the snapshot; NOT_FOUND when the snapshot does not hold it. */
export function findObject<T extends Meta>(snapshot: ClusterSnapshot, ref: ObjectRef): T {
  const list = (snapshot[LIST[ref.kind] ?? 'pods'] ?? []) as T[];
  const found = list.find(
    (o) =>
      o.metadata?.name === ref.name &&
      (ref.kind === 'Node' || (o.metadata?.namespace ?? '') === ref.namespace),
  );
  if (!found)
    throw new EngineError(
      'NOT_FOUND',
      `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} is not in the cluster`,
    );
  return found;
}

export function resourceVersionOf(obj: Meta): string | undefined {
  return obj.metadata?.resourceVersion;
}

export function podTemplateOf(obj: { spec?: { template?: V1PodTemplateSpec } }): V1PodTemplateSpec {
  return obj.spec?.template ?? {};
}

export const isReadyNode = (node: V1Node): boolean =>
  (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export const isControlPlane = (node: V1Node): boolean =>
  Object.keys(node.metadata?.labels ?? {}).some(
    (l) => l === 'node-role.kubernetes.io/control-plane' || l === 'node-role.kubernetes.io/master',
  );

export const isEvicted = (pod: V1Pod): boolean =>
  pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';

/** Pods a workload runs, through ReplicaSets for Deployments (by ownerReference uid, not by labels). */
export function podsOfWorkload(snapshot: ClusterSnapshot, workload: ObjectRef): V1Pod[] {
  const owner = findObject<Meta>(snapshot, workload);
  const uid = owner.metadata?.uid;
  const ownerUids = new Set<string>(uid ? [uid] : []);
  if (workload.kind === 'Deployment') {
    for (const rs of snapshot.replicaSets ?? []) {
      if ((rs.metadata?.ownerReferences ?? []).some((o) => o.uid === uid) && rs.metadata?.uid)
        ownerUids.add(rs.metadata.uid);
    }
  }
  return (snapshot.pods ?? []).filter(
    (p) =>
      p.metadata?.namespace === workload.namespace &&
      (p.metadata?.ownerReferences ?? []).some((o) => o.controller && ownerUids.has(o.uid)),
  );
}

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * Bytes of a memory quantity (`512Mi`, `1G`, `1e9`); NaN when malformed. client-node 1.4's quantityToScalar is not
 * exported from its package entry, hence these lines.
 */
export function parseMemory(quantity: unknown): number {
  const match = /^([0-9.]+(?:e[0-9]+)?)([a-zA-Z]*)$/.exec(String(quantity ?? '').trim());
  if (!match) return Number.NaN;
  const factor = BINARY[match[2]!] ?? DECIMAL[match[2]!];
  return factor === undefined ? Number.NaN : Number(match[1]) * factor;
}

/** Bytes as a quantity the API server keeps exactly: whole Mi when it divides, else bytes. */
export function formatMemory(bytes: number): string {
  const rounded = Math.ceil(bytes);
  return rounded % 2 ** 20 === 0 ? `${rounded / 2 ** 20}Mi` : String(rounded);
}
