import type {
  V1DaemonSet,
  V1Deployment,
  V1Node,
  V1Pod,
  V1StatefulSet,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { findObject, isEvicted, podsOfWorkload } from '../actions/snapshotLookup.js';
import type { ClusterSnapshot, ObjectRef, VerifySpec } from '../types.js';
import type { ActionRecord, CheckResult } from './ActionRecord.js';

type KubernetesCheck = VerifySpec['kubernetes'][number];

const isReady = (p: V1Pod) =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const live = (p: V1Pod) =>
  !p.metadata?.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';

/** The workload whose pods tell whether health improved: the target itself, or the one an HPA scales. */
export function healthWorkload(record: ActionRecord, snapshot: ClusterSnapshot): ObjectRef | undefined {
  const target = record.planned.target;
  if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(target.kind)) return target;
  if (target.kind === 'HorizontalPodAutoscaler') {
    const hpa = safeFind<V2HorizontalPodAutoscaler>(snapshot, target);
    const ref = hpa?.spec?.scaleTargetRef;
    return ref ? { kind: ref.kind, namespace: target.namespace, name: ref.name } : undefined;
  }
  const workload = record.finding.workload;
  return ['Deployment', 'StatefulSet', 'DaemonSet'].includes(workload.kind) ? workload : undefined;
}

export function readyPods(snapshot: ClusterSnapshot, workload: ObjectRef | undefined): number | undefined {
  if (!workload) return undefined;
  try {
    return podsOfWorkload(snapshot, workload).filter((p) => live(p) && isReady(p)).length;
  } catch {
    return undefined;
  }
}

const CHECKS: Record<KubernetesCheck, (snapshot: ClusterSnapshot, record: ActionRecord) => CheckResult> = {
  deploymentAvailable(snapshot, record) {
    const ref = healthWorkload(record, snapshot);
    if (ref && ref.kind !== 'Deployment') return workloadRolledOut(snapshot, ref);
    const d = ref && safeFind<V1Deployment>(snapshot, ref);
    const want = d?.spec?.replicas ?? 1;
    const s = d?.status ?? {};
    const available = (s.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');
    const ok =
      Boolean(d) &&
      available &&
      s.updatedReplicas === want &&
      s.readyReplicas === want &&
      (s.replicas ?? 0) === want;
    return {
      check: 'deploymentAvailable',
      ok,
      detail: `${s.readyReplicas ?? 0}/${want} ready, ${s.updatedReplicas ?? 0} updated, ${s.replicas ?? 0} total`,
    };
  },
  podsReady(snapshot, record) {
    const ref = healthWorkload(record, snapshot);
    const pods = ref ? podsOfWorkload(snapshot, ref).filter(live) : [];
    const ready = pods.filter(isReady).length;
    return {
      check: 'podsReady',
      ok: pods.length > 0 && ready === pods.length,
      detail: `${ready}/${pods.length} pods ready`,
    };
  },
  noRecentRestarts(snapshot, record) {
    const ref = healthWorkload(record, snapshot);
    const since = Date.parse(record.applied?.at ?? record.createdAt);
    const restarted = (ref ? podsOfWorkload(snapshot, ref).filter(live) : []).filter((p) =>
      (p.status?.containerStatuses ?? []).some((c) => {
        const finished = c.lastState?.terminated?.finishedAt;
        return finished !== undefined && new Date(finished).getTime() > since;
      }),
    );
    return {
      check: 'noRecentRestarts',
      ok: restarted.length === 0,
      detail: `${restarted.length} pod(s) restarted since the change`,
    };
  },
  nodeCordoned(snapshot, record) {
    const node = safeFind<V1Node>(snapshot, record.planned.target);
    return {
      check: 'nodeCordoned',
      ok: node?.spec?.unschedulable === true,
      detail: `unschedulable=${String(node?.spec?.unschedulable ?? false)}`,
    };
  },
  hpaBelowMax(snapshot, record) {
    const hpa = safeFind<V2HorizontalPodAutoscaler>(snapshot, record.planned.target);
    const current = hpa?.status?.currentReplicas ?? 0;
    const max = hpa?.spec?.maxReplicas ?? 0;
    return { check: 'hpaBelowMax', ok: Boolean(hpa) && current < max, detail: `${current}/${max} replicas` };
  },
  noEvictedPods(snapshot, record) {
    const target = record.planned.target;
    const pods =
      target.kind === 'Node'
        ? (snapshot.pods ?? []).filter((p) => p.spec?.nodeName === target.name)
        : podsOfWorkload(snapshot, healthWorkload(record, snapshot) ?? target);
    const evicted = pods.filter(isEvicted).length;
    return { check: 'noEvictedPods', ok: evicted === 0, detail: `${evicted} Evicted pod(s)` };
  },
};

/** The Kubernetes checks a rule's verify block names, plus "worse than before" on the workload's ready pods. */
export function kubernetesChecks(snapshot: ClusterSnapshot, record: ActionRecord): CheckResult[] {
  const results = (record.verify?.kubernetes ?? []).map((name) => {
    try {
      return CHECKS[name](snapshot, record);
    } catch (error) {
      return { check: name, ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  });
  const baseline = record.verification?.baselineReady;
  const ready = readyPods(snapshot, healthWorkload(record, snapshot));
  if (baseline !== undefined && ready !== undefined) {
    const worse = ready < baseline;
    results.push({
      check: 'notWorse',
      ok: !worse,
      worse,
      detail: `${ready} ready pods (before the change: ${baseline})`,
    });
  }
  return results;
}

/**
 * deploymentAvailable for the other workload kinds, from the status their controllers keep: a StatefulSet has every
 * replica Ready on the update revision (currentRevision caught up), a DaemonSet every scheduled daemon Ready and updated.
 */
function workloadRolledOut(snapshot: ClusterSnapshot, ref: ObjectRef): CheckResult {
  if (ref.kind === 'StatefulSet') {
    const s = safeFind<V1StatefulSet>(snapshot, ref);
    const want = s?.spec?.replicas ?? 1;
    const st = s?.status;
    const ok =
      Boolean(s) &&
      st?.readyReplicas === want &&
      st?.updatedReplicas === want &&
      st?.replicas === want &&
      st?.currentRevision === st?.updateRevision;
    return {
      check: 'deploymentAvailable',
      ok,
      detail: `${st?.readyReplicas ?? 0}/${want} ready, ${st?.updatedReplicas ?? 0} on ${st?.updateRevision ?? '?'}`,
    };
  }
  const d = safeFind<V1DaemonSet>(snapshot, ref);
  const st = d?.status;
  const want = st?.desiredNumberScheduled ?? 0;
  const ok = Boolean(d) && st?.numberReady === want && st?.updatedNumberScheduled === want;
  return {
    check: 'deploymentAvailable',
    ok,
    detail: `${st?.numberReady ?? 0}/${want} ready, ${st?.updatedNumberScheduled ?? 0} updated`,
  };
}

function safeFind<T>(snapshot: ClusterSnapshot, ref: ObjectRef): T | undefined {
  try {
    return findObject<T & { metadata?: never }>(snapshot, ref);
  } catch {
    return undefined;
  }
}
