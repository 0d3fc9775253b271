import type { ClusterSnapshot, SnapshotKind } from '../types.js';

/**
 * Every kind a ClusterSnapshot holds: its list in the snapshot, its API group/version and plural (for loading into
 * an API server and reading back through client-node), and whether it is namespaced.
 */
export interface SnapshotKindInfo {
  kind: string;
  key: SnapshotKind;
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export const SNAPSHOT_KINDS: readonly SnapshotKindInfo[] = [
  { kind: 'Node', key: 'nodes', group: '', version: 'v1', plural: 'nodes', namespaced: false },
  { kind: 'Namespace', key: 'namespaces', group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  {
    kind: 'Deployment',
    key: 'deployments',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    namespaced: true,
  },
  {
    kind: 'ReplicaSet',
    key: 'replicaSets',
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    namespaced: true,
  },
  {
    kind: 'StatefulSet',
    key: 'statefulSets',
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    namespaced: true,
  },
  {
    kind: 'DaemonSet',
    key: 'daemonSets',
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    namespaced: true,
  },
  {
    kind: 'ControllerRevision',
    key: 'controllerRevisions',
    group: 'apps',
    version: 'v1',
    plural: 'controllerrevisions',
    namespaced: true,
  },
  { kind: 'Job', key: 'jobs', group: 'batch', version: 'v1', plural: 'jobs', namespaced: true },
  { kind: 'CronJob', key: 'cronJobs', group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true },
  { kind: 'Pod', key: 'pods', group: '', version: 'v1', plural: 'pods', namespaced: true },
  { kind: 'Event', key: 'events', group: '', version: 'v1', plural: 'events', namespaced: true },
  { kind: 'Service', key: 'services', group: '', version: 'v1', plural: 'services', namespaced: true },
  { kind: 'Endpoints', key: 'endpoints', group: '', version: 'v1', plural: 'endpoints', namespaced: true },
  {
    kind: 'PersistentVolumeClaim',
    key: 'persistentVolumeClaims',
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    namespaced: true,
  },
  {
    kind: 'StorageClass',
    key: 'storageClasses',
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    namespaced: false,
  },
  {
    kind: 'HorizontalPodAutoscaler',
    key: 'horizontalPodAutoscalers',
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
  },
  { kind: 'ConfigMap', key: 'configMaps', group: '', version: 'v1', plural: 'configmaps', namespaced: true },
  { kind: 'Secret', key: 'secrets', group: '', version: 'v1', plural: 'secrets', namespaced: true },
];

export const kindInfo = (kind: string): SnapshotKindInfo | undefined =>
  SNAPSHOT_KINDS.find((k) => k.kind === kind);

/** Adds plain objects (e.g. parsed YAML documents) to a snapshot by their `kind`; unknown kinds are returned. */
export function addToSnapshot(snapshot: ClusterSnapshot, objects: Array<{ kind?: string }>): string[] {
  const skipped: string[] = [];
  const lists = snapshot as Record<string, unknown[] | undefined>;
  for (const obj of objects) {
    const info = obj.kind ? kindInfo(obj.kind) : undefined;
    if (!info) {
      skipped.push(obj.kind ?? '(no kind)');
      continue;
    }
    (lists[info.key] ??= []).push(obj);
  }
  return skipped;
}
