import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  PatchStrategy,
  VersionApi,
  Watch,
  setHeaderOptions,
  type KubeConfig,
  type V1DaemonSet,
  type V1Deployment,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import { EngineError } from '../../errors.js';
import type { HealthCheck } from '../../health/HealthCheck.js';
import type {
  ClusterSource,
  EventInfo,
  HorizontalPodAutoscalerInfo,
  LeaderLease,
  ListOptions,
  LogOptions,
  MutationOptions,
  NodeInfo,
  PatchType,
  PodInfo,
  RolloutRevision,
  WatchEvent,
  WatchHandle,
  Workload,
  WorkloadKind,
  WorkloadRef,
} from './ClusterSource.js';
import {
  labelSelectorString,
  toEventInfo,
  toHpaInfo,
  toNodeInfo,
  toPodInfo,
  toRevision,
  toWorkload,
} from './kubernetesMappers.js';
import { KubernetesLeaderLease } from './KubernetesLeaderLease.js';
import { KubernetesActuator } from '../../repair/executor/KubernetesActuator.js';
import { isRbacDenial, toEngineError } from './toEngineError.js';

const CONTENT_TYPE: Record<PatchType, string> = {
  json: PatchStrategy.JsonPatch,
  merge: PatchStrategy.MergePatch,
  strategic: PatchStrategy.StrategicMergePatch,
};

const WORKLOAD_KINDS: WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet'];

export interface KubernetesClusterSourceOptions {
  /** Namespaces the engine may read; when set, listNamespaces returns them without asking the cluster. */
  namespaces?: string[];
}

const WATCH_PATHS = {
  pods: (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
  events: (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/events`,
  deployments: (ns: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments`,
} as const;

/**
 * ClusterSource over @kubernetes/client-node. The same code drives a real cluster and the simulated one; every
 * client error is turned into an EngineError so callers never see client-node types.
 */
export class KubernetesClusterSource implements ClusterSource {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly autoscaling: AutoscalingV2Api;
  private readonly version: VersionApi;

  constructor(
    readonly name: string,
    private readonly kubeConfig: KubeConfig,
    private readonly options: KubernetesClusterSourceOptions = {},
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.autoscaling = kubeConfig.makeApiClient(AutoscalingV2Api);
    this.version = kubeConfig.makeApiClient(VersionApi);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toEngineError(error, this.name, what);
    }
  }

  async listNamespaces(): Promise<string[]> {
    if (this.options.namespaces?.length) return [...this.options.namespaces];
    const list = await this.call('list namespaces', () => this.core.listNamespace());
    return list.items.map((n) => n.metadata?.name ?? '').filter(Boolean);
  }

  async listNodes(): Promise<NodeInfo[]> {
    const list = await this.call('list nodes', () => this.core.listNode());
    return list.items.map(toNodeInfo);
  }

  async listWorkloads(namespace: string, options: ListOptions = {}): Promise<Workload[]> {
    const query = { namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    // Deployments are required; a cluster (or RBAC role) without StatefulSets/DaemonSets access still answers.
    const optional = <T extends { items: unknown[] }>(what: string, fn: () => Promise<T>) =>
      this.call(what, fn).catch((error: EngineError) => {
        if (isRbacDenial(error) || error.code === 'NOT_FOUND') return { items: [] } as unknown as T;
        throw error;
      });
    const [deployments, statefulSets, daemonSets] = await Promise.all([
      this.call('list deployments', () => this.apps.listNamespacedDeployment(query)),
      optional('list statefulsets', () => this.apps.listNamespacedStatefulSet(query)),
      optional('list daemonsets', () => this.apps.listNamespacedDaemonSet(query)),
    ]);
    return [
      ...deployments.items.map((d) => toWorkload('Deployment', d)),
      ...statefulSets.items.map((s) => toWorkload('StatefulSet', s)),
      ...daemonSets.items.map((d) => toWorkload('DaemonSet', d)),
    ];
  }

  async getWorkload(ref: WorkloadRef): Promise<Workload> {
    checkKind(ref);
    const param = { namespace: ref.namespace, name: ref.name };
    const what = `get ${ref.kind} ${ref.namespace}/${ref.name}`;
    switch (ref.kind) {
      case 'Deployment':
        return toWorkload(ref.kind, await this.call(what, () => this.apps.readNamespacedDeployment(param)));
      case 'StatefulSet':
        return toWorkload(ref.kind, await this.call(what, () => this.apps.readNamespacedStatefulSet(param)));
      case 'DaemonSet':
        return toWorkload(ref.kind, await this.call(what, () => this.apps.readNamespacedDaemonSet(param)));
    }
  }

  async listPods(namespace: string, options: ListOptions = {}): Promise<PodInfo[]> {
    const list = await this.call(`list pods in ${namespace}`, () =>
      this.core.listNamespacedPod({
        namespace,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      }),
    );
    return list.items.map(toPodInfo);
  }

  /** Events oldest first (by last occurrence), the order an incident timeline reads in. */
  async listEvents(namespace: string, options: ListOptions = {}): Promise<EventInfo[]> {
    const list = await this.call(`list events in ${namespace}`, () =>
      this.core.listNamespacedEvent({
        namespace,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      }),
    );
    return list.items
      .map(toEventInfo)
      .sort((a, b) => (a.lastTimestamp ?? '').localeCompare(b.lastTimestamp ?? ''));
  }

  async podLogs(namespace: string, pod: string, options: LogOptions = {}): Promise<string> {
    if (options.tailLines !== undefined && (!Number.isInteger(options.tailLines) || options.tailLines < 0)) {
      throw new EngineError('INVALID_INPUT', 'tailLines must be a non-negative integer', {
        issues: [{ field: 'tailLines', message: 'must be a non-negative integer' }],
      });
    }
    const text = await this.call(`read logs of ${namespace}/${pod}`, () =>
      this.core.readNamespacedPodLog({
        namespace,
        name: pod,
        container: options.container,
        tailLines: options.tailLines,
        sinceSeconds: options.sinceSeconds,
        limitBytes: options.limitBytes,
        timestamps: options.timestamps,
        previous: options.previous,
      }),
    );
    return typeof text === 'string' ? text : String(text ?? '');
  }

  /** A Deployment's ReplicaSets by revision, oldest first; other kinds keep no ReplicaSet history here. */
  async rolloutHistory(ref: WorkloadRef): Promise<RolloutRevision[]> {
    checkKind(ref);
    if (ref.kind !== 'Deployment') return [];
    const deployment = await this.call(`get Deployment ${ref.namespace}/${ref.name}`, () =>
      this.apps.readNamespacedDeployment({ namespace: ref.namespace, name: ref.name }),
    );
    const uid = deployment.metadata?.uid;
    const sets = await this.call(`list replicasets of ${ref.namespace}/${ref.name}`, () =>
      this.apps.listNamespacedReplicaSet({
        namespace: ref.namespace,
        labelSelector: labelSelectorString(deployment.spec?.selector),
      }),
    );
    return sets.items
      .filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o) => o.uid === uid))
      .map(toRevision)
      .sort((a, b) => Number(a.revision) - Number(b.revision));
  }

  async listHorizontalPodAutoscalers(namespace: string): Promise<HorizontalPodAutoscalerInfo[]> {
    const list = await this.call(`list horizontalpodautoscalers in ${namespace}`, () =>
      this.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }),
    );
    return list.items.map(toHpaInfo);
  }

  async patchWorkload(
    ref: WorkloadRef,
    patch: unknown,
    type: PatchType,
    options: MutationOptions,
  ): Promise<Workload> {
    checkKind(ref);
    if (!(type in CONTENT_TYPE)) {
      throw new EngineError('INVALID_INPUT', `unknown patch type "${String(type)}"`, {
        issues: [{ field: 'type', message: 'must be merge, strategic or json' }],
      });
    }
    if (
      type === 'json'
        ? !Array.isArray(patch)
        : typeof patch !== 'object' || patch === null || Array.isArray(patch)
    ) {
      throw new EngineError(
        'INVALID_INPUT',
        `a ${type} patch must be ${type === 'json' ? 'an array of operations' : 'an object'}`,
        {
          issues: [{ field: 'patch', message: type === 'json' ? 'must be an array' : 'must be an object' }],
        },
      );
    }
    const headers = setHeaderOptions('Content-Type', CONTENT_TYPE[type]);
    const param = {
      namespace: ref.namespace,
      name: ref.name,
      body: patch as object,
      ...mutationParams(options),
    };
    const what = `patch ${ref.kind} ${ref.namespace}/${ref.name}`;
    let result: V1Deployment | V1StatefulSet | V1DaemonSet;
    switch (ref.kind) {
      case 'Deployment':
        result = await this.call(what, () => this.apps.patchNamespacedDeployment(param, headers));
        break;
      case 'StatefulSet':
        result = await this.call(what, () => this.apps.patchNamespacedStatefulSet(param, headers));
        break;
      case 'DaemonSet':
        result = await this.call(what, () => this.apps.patchNamespacedDaemonSet(param, headers));
        break;
    }
    return toWorkload(ref.kind, result);
  }

  async scaleWorkload(
    ref: WorkloadRef,
    replicas: number,
    options: MutationOptions,
  ): Promise<{ replicas: number }> {
    checkKind(ref);
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new EngineError('INVALID_INPUT', `replicas must be a non-negative integer, got ${replicas}`, {
        issues: [{ field: 'replicas', message: 'must be a non-negative integer' }],
      });
    }
    const headers = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const param = {
      namespace: ref.namespace,
      name: ref.name,
      body: { spec: { replicas } },
      ...mutationParams(options),
    };
    const what = `scale ${ref.kind} ${ref.namespace}/${ref.name}`;
    let scale;
    switch (ref.kind) {
      case 'Deployment':
        scale = await this.call(what, () => this.apps.patchNamespacedDeploymentScale(param, headers));
        break;
      case 'StatefulSet':
        scale = await this.call(what, () => this.apps.patchNamespacedStatefulSetScale(param, headers));
        break;
      case 'DaemonSet':
        throw new EngineError('INVALID_INPUT', 'a DaemonSet runs one pod per node and cannot be scaled', {
          issues: [{ field: 'kind', message: 'DaemonSets cannot be scaled' }],
        });
    }
    return { replicas: scale.spec?.replicas ?? replicas };
  }

  async deletePod(namespace: string, name: string, options: MutationOptions): Promise<void> {
    await this.call(`delete pod ${namespace}/${name}`, () =>
      this.core.deleteNamespacedPod({ namespace, name, ...(options.dryRun ? { dryRun: 'All' } : {}) }),
    );
  }

  async watch(
    resource: 'pods' | 'events' | 'deployments',
    namespace: string,
    options: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
    onError?: (error: unknown) => void,
  ): Promise<WatchHandle> {
    const pathOf = WATCH_PATHS[resource];
    if (!pathOf) {
      throw new EngineError('INVALID_INPUT', `cannot watch "${String(resource)}"`, {
        issues: [{ field: 'resource', message: 'must be pods, events or deployments' }],
      });
    }
    const map = (object: unknown): unknown => {
      switch (resource) {
        case 'pods':
          return toPodInfo(object as never);
        case 'events':
          return toEventInfo(object as never);
        case 'deployments':
          return toWorkload('Deployment', object as never);
      }
    };
    let stopped = false;
    const watcher = new Watch(this.kubeConfig);
    const controller = await watcher.watch(
      pathOf(namespace),
      {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: true,
      },
      (type, object: { metadata?: { resourceVersion?: string } }) => {
        const resourceVersion = object?.metadata?.resourceVersion;
        const mapped = type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED' ? map(object) : object;
        onEvent({
          type: type as WatchEvent['type'],
          object: mapped,
          ...(resourceVersion ? { resourceVersion } : {}),
        });
      },
      (error: unknown) => {
        if (stopped) return;
        if ((error as { name?: string } | null)?.name === 'AbortError') return;
        if (!error) {
          // API servers end watches routinely (timeouts, 410 after compaction): the caller watches again.
          onError?.(
            new EngineError(
              'UPSTREAM_UNAVAILABLE',
              `cluster ${this.name}: watch of ${resource} in ${namespace} ended by the API server; watch again from the last resourceVersion (or relist after a 410)`,
            ),
          );
          return;
        }
        onError?.(toEngineError(error, this.name, `watch ${resource} in ${namespace}`));
      },
    );
    return {
      stop: () => {
        stopped = true;
        controller.abort();
      },
    };
  }

  leaderLease(namespace: string, name: string, identity: string, leaseDurationSeconds?: number): LeaderLease {
    return new KubernetesLeaderLease(this.kubeConfig, {
      namespace,
      name,
      identity,
      leaseDurationSeconds,
      cluster: this.name,
    });
  }

  /** Reads and writes for the repair loop, through the same kubeconfig (and so the same RBAC) as this source. */
  repairActuator(): KubernetesActuator {
    return new KubernetesActuator(this.name, this.kubeConfig);
  }

  async check(): Promise<HealthCheck> {
    const started = performance.now();
    const server = this.kubeConfig.getCurrentCluster()?.server ?? 'unknown server';
    try {
      const version = await this.version.getCode();
      const namespace = this.options.namespaces?.[0];
      if (namespace) await this.core.listNamespacedPod({ namespace, limit: 1 });
      else await this.core.listNamespace({ limit: 1 });
      const latencyMs = Math.round(performance.now() - started);
      return {
        name: `cluster:${this.name}`,
        ok: true,
        detail: `Kubernetes ${version.gitVersion} at ${server}; ${namespace ? `pods in ${namespace}` : 'namespaces'} readable`,
        latencyMs,
      };
    } catch (error) {
      const mapped = toEngineError(error, this.name, 'health check');
      return {
        name: `cluster:${this.name}`,
        ok: false,
        detail: `${mapped.message}. Check the kubeconfig context, that the API server at ${server} is reachable, and that the credentials may list namespaces.`,
        latencyMs: Math.round(performance.now() - started),
      };
    }
  }
}

function checkKind(ref: WorkloadRef): void {
  if (!WORKLOAD_KINDS.includes(ref.kind)) {
    throw new EngineError('INVALID_INPUT', `unsupported workload kind "${String(ref.kind)}"`, {
      issues: [{ field: 'kind', message: `must be one of ${WORKLOAD_KINDS.join(', ')}` }],
    });
  }
}

function mutationParams(options: MutationOptions): { dryRun?: string; fieldManager?: string } {
  return {
    ...(options.dryRun ? { dryRun: 'All' } : {}),
    ...(options.fieldManager ? { fieldManager: options.fieldManager } : {}),
  };
}
