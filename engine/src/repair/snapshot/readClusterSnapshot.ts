import {
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  CoreV1Api,
  StorageV1Api,
  type KubeConfig,
  type V1Secret,
} from '@kubernetes/client-node';
import type { ClusterSnapshot, SnapshotKind } from '../types.js';

/** What a read left out (a kind the server does not serve, or RBAC forbids), beside what it got. */
export interface SnapshotRead {
  snapshot: ClusterSnapshot;
  errors: Array<{ kind: SnapshotKind; message: string }>;
}

/** Secrets keep their keys (CreateContainerConfigError names missing keys) but never their values. */
export function redactSecret(secret: V1Secret): V1Secret {
  const blank = (data?: Record<string, string>) =>
    data ? Object.fromEntries(Object.keys(data).map((k) => [k, ''])) : undefined;
  // Only what tells whether a reference resolves: which Secret, which keys. Its annotations go too, since
  // `kubectl apply` leaves the whole Secret, values included, in kubectl.kubernetes.io/last-applied-configuration.
  const { name, namespace, uid, resourceVersion, creationTimestamp, labels } = secret.metadata ?? {};
  return {
    apiVersion: secret.apiVersion,
    kind: secret.kind,
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp, labels },
    type: secret.type,
    data: blank(secret.data),
  };
}

/**
 * Reads a ClusterSnapshot through client-node: one cluster-wide list per kind, in parallel. A kind that fails
 * (not served, forbidden) is reported in `errors` and left empty, so the other detectors still run — the same
 * partial-failure-as-data stance as Backstage's fetcher.
 */
export async function readClusterSnapshot(kc: KubeConfig): Promise<SnapshotRead> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);
  const storage = kc.makeApiClient(StorageV1Api);
  const reads: { [K in SnapshotKind]-?: () => Promise<{ items: NonNullable<ClusterSnapshot[K]> }> } = {
    nodes: () => core.listNode(),
    namespaces: () => core.listNamespace(),
    deployments: () => apps.listDeploymentForAllNamespaces(),
    replicaSets: () => apps.listReplicaSetForAllNamespaces(),
    statefulSets: () => apps.listStatefulSetForAllNamespaces(),
    daemonSets: () => apps.listDaemonSetForAllNamespaces(),
    controllerRevisions: () => apps.listControllerRevisionForAllNamespaces(),
    jobs: () => batch.listJobForAllNamespaces(),
    cronJobs: () => batch.listCronJobForAllNamespaces(),
    pods: () => core.listPodForAllNamespaces(),
    events: () => core.listEventForAllNamespaces(),
    services: () => core.listServiceForAllNamespaces(),
    endpoints: () => core.listEndpointsForAllNamespaces(),
    persistentVolumeClaims: () => core.listPersistentVolumeClaimForAllNamespaces(),
    storageClasses: () => storage.listStorageClass(),
    horizontalPodAutoscalers: () => autoscaling.listHorizontalPodAutoscalerForAllNamespaces(),
    configMaps: () => core.listConfigMapForAllNamespaces(),
    secrets: async () => ({ items: (await core.listSecretForAllNamespaces()).items.map(redactSecret) }),
  };
  const snapshot: ClusterSnapshot = {};
  const errors: SnapshotRead['errors'] = [];
  await Promise.all(
    (Object.keys(reads) as SnapshotKind[]).map(async (kind) => {
      try {
        (snapshot as Record<string, unknown>)[kind] = (await reads[kind]()).items;
      } catch (error) {
        errors.push({ kind, message: error instanceof Error ? error.message : String(error) });
      }
    }),
  );
  return { snapshot, errors };
}
