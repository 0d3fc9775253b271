import type {
  CoreV1Event,
  V1ContainerStatus,
  V1DaemonSet,
  V1Deployment,
  V1LabelSelector,
  V1Node,
  V1Pod,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1StatefulSet,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type {
  ContainerState,
  EventInfo,
  HorizontalPodAutoscalerInfo,
  NodeInfo,
  PodInfo,
  RolloutRevision,
  Workload,
  WorkloadKind,
} from './ClusterSource.js';

/** client-node models → the engine's plain types. Dates arrive as Date objects; the engine keeps ISO strings. */
const iso = (value: Date | string | undefined | null): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

export function labelSelectorString(selector: V1LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
    else if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

type AnyWorkload = V1Deployment | V1StatefulSet | V1DaemonSet;

export function toWorkload(kind: WorkloadKind, obj: AnyWorkload): Workload {
  const meta = obj.metadata ?? {};
  const template = obj.spec?.template;
  let replicas = 0;
  let readyReplicas = 0;
  let updatedReplicas = 0;
  let availableReplicas = 0;
  if (kind === 'DaemonSet') {
    const s = (obj as V1DaemonSet).status;
    replicas = s?.desiredNumberScheduled ?? 0;
    readyReplicas = s?.numberReady ?? 0;
    updatedReplicas = s?.updatedNumberScheduled ?? 0;
    availableReplicas = s?.numberAvailable ?? 0;
  } else {
    const spec = (obj as V1Deployment | V1StatefulSet).spec;
    const s = (obj as V1Deployment | V1StatefulSet).status;
    replicas = spec?.replicas ?? s?.replicas ?? 0;
    readyReplicas = s?.readyReplicas ?? 0;
    updatedReplicas = (s as { updatedReplicas?: number } | undefined)?.updatedReplicas ?? 0;
    availableReplicas = s?.availableReplicas ?? 0;
  }
  const revision = meta.annotations?.['deployment.kubernetes.io/revision'];
  return {
    kind,
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    labels: meta.labels ?? {},
    annotations: meta.annotations ?? {},
    selector: labelSelectorString(obj.spec?.selector),
    replicas,
    readyReplicas,
    updatedReplicas,
    availableReplicas,
    ...(revision !== undefined ? { revision } : {}),
    images: (template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    generation: meta.generation ?? 0,
    observedGeneration: obj.status?.observedGeneration ?? 0,
    conditions: (obj.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
      ...(c.lastTransitionTime ? { lastTransitionTime: iso(c.lastTransitionTime) } : {}),
    })),
    ...(meta.creationTimestamp ? { createdAt: iso(meta.creationTimestamp) } : {}),
  };
}

function toContainerState(status: V1ContainerStatus): ContainerState {
  const st = status.state ?? {};
  const state: ContainerState['state'] = st.running
    ? 'running'
    : st.waiting
      ? 'waiting'
      : st.terminated
        ? 'terminated'
        : 'unknown';
  const reason = st.waiting?.reason ?? st.terminated?.reason;
  const message = st.waiting?.message ?? st.terminated?.message;
  const last = status.lastState?.terminated;
  return {
    name: status.name,
    image: status.image,
    ready: status.ready,
    restartCount: status.restartCount,
    state,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    ...(last?.reason ? { lastTerminationReason: last.reason } : {}),
    ...(last?.finishedAt ? { lastTerminatedAt: iso(last.finishedAt) } : {}),
  };
}

export function toPodInfo(pod: V1Pod): PodInfo {
  const meta = pod.metadata ?? {};
  const statuses = pod.status?.containerStatuses ?? [];
  const owner = meta.ownerReferences?.find((r) => r.controller) ?? meta.ownerReferences?.[0];
  const conditions = pod.status?.conditions ?? [];
  // Containers not started yet have no status; list them from the spec so callers see every container.
  const containers = (pod.spec?.containers ?? []).map((spec) => {
    const status = statuses.find((s) => s.name === spec.name);
    return status
      ? toContainerState(status)
      : {
          name: spec.name,
          image: spec.image ?? '',
          ready: false,
          restartCount: 0,
          state: 'unknown' as const,
        };
  });
  return {
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    labels: meta.labels ?? {},
    phase: pod.status?.phase ?? 'Unknown',
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    containers,
    conditions: conditions.map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
    ...(owner ? { ownerKind: owner.kind, ownerName: owner.name } : {}),
    ...(pod.status?.startTime ? { startedAt: iso(pod.status.startTime) } : {}),
    ...(meta.creationTimestamp ? { createdAt: iso(meta.creationTimestamp) } : {}),
  };
}

export function toEventInfo(event: CoreV1Event): EventInfo {
  const first =
    iso(event.firstTimestamp) ??
    iso(event.eventTime as unknown as Date) ??
    iso(event.metadata?.creationTimestamp);
  const last = iso(event.lastTimestamp) ?? iso(event.series?.lastObservedTime as unknown as Date) ?? first;
  return {
    namespace: event.metadata?.namespace ?? event.involvedObject?.namespace ?? '',
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: event.message ?? '',
    involvedKind: event.involvedObject?.kind ?? '',
    involvedName: event.involvedObject?.name ?? '',
    count: event.count ?? event.series?.count ?? 1,
    ...(first ? { firstTimestamp: first } : {}),
    ...(last ? { lastTimestamp: last } : {}),
  };
}

export function toNodeInfo(node: V1Node): NodeInfo {
  const conditions = node.status?.conditions ?? [];
  return {
    name: node.metadata?.name ?? '',
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    unschedulable: Boolean(node.spec?.unschedulable),
    conditions: conditions.map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
    labels: node.metadata?.labels ?? {},
  };
}

export function toRevision(rs: V1ReplicaSet): RolloutRevision {
  const meta = rs.metadata ?? {};
  const hash = meta.labels?.['pod-template-hash'];
  return {
    revision: meta.annotations?.['deployment.kubernetes.io/revision'] ?? '0',
    replicaSet: meta.name ?? '',
    images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    ...(meta.creationTimestamp ? { createdAt: iso(meta.creationTimestamp) } : {}),
    replicas: rs.status?.replicas ?? rs.spec?.replicas ?? 0,
    ...(hash ? { templateHash: hash } : {}),
    ...(rs.spec?.template ? { podTemplate: plainTemplate(rs.spec.template) } : {}),
  };
}

/** client-node model objects → plain JSON (their property names are the API's), minus the controller's hash label. */
function plainTemplate(template: V1PodTemplateSpec): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(template)) as {
    metadata?: { labels?: Record<string, string> };
  } & Record<string, unknown>;
  if (plain.metadata?.labels) {
    delete plain.metadata.labels['pod-template-hash'];
  }
  return plain;
}

export function toHpaInfo(hpa: V2HorizontalPodAutoscaler): HorizontalPodAutoscalerInfo {
  const ref = hpa.spec?.scaleTargetRef;
  const kind =
    (['Deployment', 'StatefulSet', 'DaemonSet'] as const).find((k) => k === ref?.kind) ?? 'Deployment';
  return {
    namespace: hpa.metadata?.namespace ?? '',
    name: hpa.metadata?.name ?? '',
    target: { kind, namespace: hpa.metadata?.namespace ?? '', name: ref?.name ?? '' },
    minReplicas: hpa.spec?.minReplicas ?? 1,
    maxReplicas: hpa.spec?.maxReplicas ?? 1,
    currentReplicas: hpa.status?.currentReplicas ?? 0,
    desiredReplicas: hpa.status?.desiredReplicas ?? 0,
  };
}
