import type { KubeObject } from './KubeObject.js';
import type { ResourceType } from './ResourceType.js';

/**
 * Server-side printing: kubectl asks for `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` and prints the
 * columns the server chose. Without it `kubectl get pods` would show only NAME and AGE.
 */
interface Column {
  name: string;
  type?: string;
  priority?: number;
  cell: (obj: KubeObject, now: number) => string | number;
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function wantsTable(accept: string | undefined): boolean {
  return Boolean(accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept));
}

export function age(since: string | undefined, now: number): string {
  if (!since) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const name: Column = { name: 'Name', cell: (o) => o.metadata.name };
const ageColumn: Column = { name: 'Age', cell: (o, now) => age(o.metadata.creationTimestamp, now) };

function podStatus(pod: Any): string {
  if (pod['metadata']?.deletionTimestamp) return 'Terminating';
  for (const c of pod['status']?.containerStatuses ?? []) {
    if (c.state?.waiting?.reason && c.state.waiting.reason !== 'ContainerCreating')
      return c.state.waiting.reason;
    if (c.state?.terminated?.reason) return c.state.terminated.reason;
  }
  const phase = pod['status']?.phase ?? 'Unknown';
  if (phase === 'Pending' && pod['spec']?.nodeName) return 'ContainerCreating';
  return phase;
}

function podRestarts(pod: Any, now: number): string {
  const statuses: Any[] = pod['status']?.containerStatuses ?? [];
  const count = statuses.reduce((n, c) => n + (c['restartCount'] ?? 0), 0);
  const last = statuses
    .map((c) => c['lastState']?.terminated?.finishedAt as string | undefined)
    .filter(Boolean)
    .sort()
    .pop();
  return last && count > 0 ? `${count} (${age(last, now)} ago)` : String(count);
}

const COLUMNS: Record<string, Column[]> = {
  pods: [
    name,
    {
      name: 'Ready',
      cell: (o: Any) => {
        const s: Any[] = o['status']?.containerStatuses ?? [];
        return `${s.filter((c) => c['ready']).length}/${(o['spec']?.containers ?? []).length}`;
      },
    },
    { name: 'Status', cell: (o) => podStatus(o) },
    { name: 'Restarts', cell: (o, now) => podRestarts(o, now) },
    ageColumn,
    { name: 'IP', priority: 1, cell: (o: Any) => o['status']?.podIP ?? '<none>' },
    { name: 'Node', priority: 1, cell: (o: Any) => o['spec']?.nodeName ?? '<none>' },
  ],
  deployments: [
    name,
    { name: 'Ready', cell: (o: Any) => `${o['status']?.readyReplicas ?? 0}/${o['spec']?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', cell: (o: Any) => o['status']?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o: Any) => o['status']?.availableReplicas ?? 0 },
    ageColumn,
    {
      name: 'Containers',
      priority: 1,
      cell: (o: Any) => (o['spec']?.template?.spec?.containers ?? []).map((c: Any) => c['name']).join(','),
    },
    {
      name: 'Images',
      priority: 1,
      cell: (o: Any) => (o['spec']?.template?.spec?.containers ?? []).map((c: Any) => c['image']).join(','),
    },
  ],
  replicasets: [
    name,
    { name: 'Desired', type: 'integer', cell: (o: Any) => o['spec']?.replicas ?? 0 },
    { name: 'Current', type: 'integer', cell: (o: Any) => o['status']?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o: Any) => o['status']?.readyReplicas ?? 0 },
    ageColumn,
  ],
  nodes: [
    name,
    {
      name: 'Status',
      cell: (o: Any) => {
        const ready = (o['status']?.conditions ?? []).find((c: Any) => c['type'] === 'Ready');
        const base = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
        return o['spec']?.unschedulable ? `${base},SchedulingDisabled` : base;
      },
    },
    { name: 'Roles', cell: () => '<none>' },
    ageColumn,
    { name: 'Version', cell: (o: Any) => o['status']?.nodeInfo?.kubeletVersion ?? '' },
  ],
  // core/v1 and events.k8s.io/v1 Events are one stored object; kube-apiserver prints both the same way.
  events: [
    {
      name: 'Last Seen',
      cell: (o: Any, now) =>
        age(
          o['series']?.lastObservedTime ??
            o['lastTimestamp'] ??
            o['deprecatedLastTimestamp'] ??
            o['eventTime'] ??
            o['metadata']?.creationTimestamp,
          now,
        ),
    },
    { name: 'Type', cell: (o: Any) => o['type'] ?? '' },
    { name: 'Reason', cell: (o: Any) => o['reason'] ?? '' },
    {
      name: 'Object',
      cell: (o: Any) => {
        const ref = o['involvedObject'] ?? o['regarding'];
        return `${String(ref?.kind ?? '').toLowerCase()}/${ref?.name ?? ''}`;
      },
    },
    { name: 'Message', cell: (o: Any) => o['message'] ?? o['note'] ?? '' },
  ],
  services: [
    name,
    { name: 'Type', cell: (o: Any) => o['spec']?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', cell: (o: Any) => o['spec']?.clusterIP ?? '<none>' },
    { name: 'External-IP', cell: () => '<none>' },
    {
      name: 'Port(s)',
      cell: (o: Any) =>
        (o['spec']?.ports ?? []).map((p: Any) => `${p['port']}/${p['protocol'] ?? 'TCP'}`).join(','),
    },
    ageColumn,
  ],
  namespaces: [name, { name: 'Status', cell: (o: Any) => o['status']?.phase ?? 'Active' }, ageColumn],
  horizontalpodautoscalers: [
    name,
    {
      name: 'Reference',
      cell: (o: Any) => `${o['spec']?.scaleTargetRef?.kind}/${o['spec']?.scaleTargetRef?.name}`,
    },
    { name: 'Targets', cell: (o: Any) => hpaTargets(o) },
    { name: 'MinPods', type: 'integer', cell: (o: Any) => o['spec']?.minReplicas ?? 1 },
    { name: 'MaxPods', type: 'integer', cell: (o: Any) => o['spec']?.maxReplicas ?? 0 },
    { name: 'Replicas', type: 'integer', cell: (o: Any) => o['status']?.currentReplicas ?? 0 },
    ageColumn,
  ],
  endpointslices: [
    name,
    { name: 'AddressType', cell: (o: Any) => o['addressType'] ?? '' },
    {
      name: 'Ports',
      cell: (o: Any) => {
        const ports: Any[] = o['ports'] ?? [];
        return ports.length ? ports.map((p) => p['port'] ?? '<unset>').join(',') : '<unset>';
      },
    },
    {
      name: 'Endpoints',
      cell: (o: Any) => listSome((o['endpoints'] ?? []).flatMap((e: Any) => e['addresses'] ?? [])),
    },
    ageColumn,
  ],
  priorityclasses: [
    name,
    { name: 'Value', type: 'integer', cell: (o: Any) => o['value'] ?? 0 },
    { name: 'Global-Default', type: 'boolean', cell: (o: Any) => String(o['globalDefault'] ?? false) },
    ageColumn,
    { name: 'PreemptionPolicy', cell: (o: Any) => o['preemptionPolicy'] ?? '' },
  ],
  runtimeclasses: [name, { name: 'Handler', cell: (o: Any) => o['handler'] ?? '' }, ageColumn],
  csidrivers: [
    name,
    { name: 'AttachRequired', type: 'boolean', cell: (o: Any) => String(o['spec']?.attachRequired ?? true) },
    { name: 'PodInfoOnMount', type: 'boolean', cell: (o: Any) => String(o['spec']?.podInfoOnMount ?? false) },
    {
      name: 'StorageCapacity',
      type: 'boolean',
      cell: (o: Any) => String(o['spec']?.storageCapacity ?? false),
    },
    {
      name: 'TokenRequests',
      cell: (o: Any) =>
        (o['spec']?.tokenRequests ?? []).map((t: Any) => t['audience'] ?? '').join(',') || '<unset>',
    },
    {
      name: 'RequiresRepublish',
      type: 'boolean',
      cell: (o: Any) => String(o['spec']?.requiresRepublish ?? false),
    },
    { name: 'Modes', cell: (o: Any) => (o['spec']?.volumeLifecycleModes ?? []).join(',') || '<none>' },
    ageColumn,
  ],
};

/** Up to three values and a count of the rest, as kubectl prints endpoint addresses. */
function listSome(values: string[]): string {
  if (values.length === 0) return '<none>';
  const shown = values.slice(0, 3).join(',');
  return values.length > 3 ? `${shown} + ${values.length - 3} more...` : shown;
}

/** `cpu: 45%/80%` per metric, from an autoscaling/v2 object or the autoscaling/v1 view of one. */
function hpaTargets(o: Any): string {
  const spec = o['spec'] ?? {};
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    const current = o['status']?.currentCPUUtilizationPercentage;
    return `cpu: ${current === undefined ? '<unknown>' : `${current}%`}/${spec.targetCPUUtilizationPercentage}%`;
  }
  const metrics: Any[] = spec.metrics ?? [];
  if (metrics.length === 0) return '<none>';
  const current: Any[] = o['status']?.currentMetrics ?? [];
  return metrics
    .map((m) => {
      const resource = m['resource'] ?? m['containerResource'];
      const target = resource?.target;
      if (!resource || !target) return `${String(m['type'] ?? '').toLowerCase()}: <unknown>`;
      const now = current.find((c) => (c['resource'] ?? c['containerResource'])?.name === resource.name);
      const value = now?.['resource']?.current ?? now?.['containerResource']?.current;
      if (typeof target.averageUtilization === 'number')
        return `${resource.name}: ${typeof value?.averageUtilization === 'number' ? `${value.averageUtilization}%` : '<unknown>'}/${target.averageUtilization}%`;
      const want = target.averageValue ?? target.value ?? '<unknown>';
      return `${resource.name}: ${value?.averageValue ?? value?.value ?? '<unknown>'}/${want}`;
    })
    .join(', ');
}

export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  resourceVersion: string,
  now = Date.now(),
): unknown {
  const columns = COLUMNS[type.plural] ?? [name, ageColumn];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type ?? 'string',
      format: c === name ? 'name' : '',
      description: '',
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
