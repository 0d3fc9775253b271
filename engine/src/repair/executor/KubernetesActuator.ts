import {
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { EngineError } from '../../errors.js';
import { toEngineError } from '../../sources/cluster/toEngineError.js';
import type { KubePatchType, KubeRef, KubeRequest } from '../actions/RepairAction.js';
import type { ClusterSnapshot } from '../types.js';
import type { ClusterActuator } from './ClusterActuator.js';
import { redactSecret } from '../snapshot/readClusterSnapshot.js';

const CONTENT_TYPE: Record<KubePatchType, PatchStrategy> = {
  json: PatchStrategy.JsonPatch,
  merge: PatchStrategy.MergePatch,
  strategic: PatchStrategy.StrategicMergePatch,
};

/** The field manager the API server records for repair writes, so `kubectl get --show-managed-fields` names us. */
export const FIELD_MANAGER = 'aicloudops-repair';

type Obj = Record<string, unknown>;

/**
 * The repair loop's reads and writes through @kubernetes/client-node: the same code against a real cluster and the
 * simulated one. Preconditions travel the way the API server checks them: a json-patch `test` of
 * /metadata/resourceVersion, `metadata.resourceVersion` inside a merge patch, DeleteOptions.preconditions.
 */
export class KubernetesActuator implements ClusterActuator {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly autoscaling: AutoscalingV2Api;
  private readonly batch: BatchV1Api;

  constructor(
    private readonly cluster: string,
    kubeConfig: KubeConfig,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.autoscaling = kubeConfig.makeApiClient(AutoscalingV2Api);
    this.batch = kubeConfig.makeApiClient(BatchV1Api);
  }

  /**
   * Everything the actions plan from and the detectors re-check with, for one namespace plus the nodes. Kinds a
   * role may not list (403) or a cluster does not serve (404) come back empty, so a partial read still works.
   */
  async snapshot(namespace: string): Promise<ClusterSnapshot> {
    const ns = { namespace };
    const optional = <T>(fn: () => Promise<{ items: T[] }>): Promise<T[]> =>
      fn().then(
        (list) => list.items,
        (error: unknown) => {
          const code = (error as { code?: number }).code;
          if (code === 403 || code === 404) return [];
          throw error;
        },
      );
    // '' (a Node target) reads every namespace: draining or clearing a node concerns pods of all of them.
    const all = namespace === '';
    const { apps, core, autoscaling, batch } = this;
    const lists = await this.call(`read ${all ? 'all namespaces' : `namespace ${namespace}`}`, () =>
      Promise.all([
        (all ? apps.listDeploymentForAllNamespaces() : apps.listNamespacedDeployment(ns)).then(
          (l) => l.items,
        ),
        (all ? apps.listReplicaSetForAllNamespaces() : apps.listNamespacedReplicaSet(ns)).then(
          (l) => l.items,
        ),
        optional(() => (all ? apps.listStatefulSetForAllNamespaces() : apps.listNamespacedStatefulSet(ns))),
        optional(() => (all ? apps.listDaemonSetForAllNamespaces() : apps.listNamespacedDaemonSet(ns))),
        (all ? core.listPodForAllNamespaces() : core.listNamespacedPod(ns)).then((l) => l.items),
        optional(() =>
          all
            ? autoscaling.listHorizontalPodAutoscalerForAllNamespaces()
            : autoscaling.listNamespacedHorizontalPodAutoscaler(ns),
        ),
        core.listNode().then((l) => l.items),
        optional(() => (all ? core.listEventForAllNamespaces() : core.listNamespacedEvent(ns))),
        optional(() => (all ? core.listServiceForAllNamespaces() : core.listNamespacedService(ns))),
        optional(() => (all ? core.listEndpointsForAllNamespaces() : core.listNamespacedEndpoints(ns))),
        optional(() =>
          all
            ? core.listPersistentVolumeClaimForAllNamespaces()
            : core.listNamespacedPersistentVolumeClaim(ns),
        ),
        optional(() => (all ? core.listConfigMapForAllNamespaces() : core.listNamespacedConfigMap(ns))),
        optional(() => (all ? core.listSecretForAllNamespaces() : core.listNamespacedSecret(ns))),
        optional(() => (all ? batch.listJobForAllNamespaces() : batch.listNamespacedJob(ns))),
        optional(() => (all ? batch.listCronJobForAllNamespaces() : batch.listNamespacedCronJob(ns))),
        // StatefulSet and DaemonSet history: what a rollback of one of them goes back to.
        optional(() =>
          all ? apps.listControllerRevisionForAllNamespaces() : apps.listNamespacedControllerRevision(ns),
        ),
      ]),
    );
    const [deployments, replicaSets, statefulSets, daemonSets, pods, horizontalPodAutoscalers, nodes] = lists;
    const [
      events,
      services,
      endpoints,
      persistentVolumeClaims,
      configMaps,
      secrets,
      jobs,
      cronJobs,
      controllerRevisions,
    ] = lists.slice(7) as [
      ClusterSnapshot['events'],
      ClusterSnapshot['services'],
      ClusterSnapshot['endpoints'],
      ClusterSnapshot['persistentVolumeClaims'],
      ClusterSnapshot['configMaps'],
      NonNullable<ClusterSnapshot['secrets']>,
      ClusterSnapshot['jobs'],
      ClusterSnapshot['cronJobs'],
      ClusterSnapshot['controllerRevisions'],
    ];
    return {
      deployments,
      replicaSets,
      statefulSets,
      daemonSets,
      pods,
      horizontalPodAutoscalers,
      nodes,
      events,
      services,
      endpoints,
      persistentVolumeClaims,
      configMaps,
      // Only which keys exist matters; values (and annotations holding them) never leave the reader.
      secrets: secrets.map(redactSecret),
      jobs,
      cronJobs,
      controllerRevisions,
    } as ClusterSnapshot;
  }

  async read(ref: KubeRef): Promise<Obj | undefined> {
    const p = { namespace: ref.namespace, name: ref.name };
    try {
      switch (ref.kind) {
        case 'Deployment':
          return plain(await this.apps.readNamespacedDeployment(p));
        case 'StatefulSet':
          return plain(await this.apps.readNamespacedStatefulSet(p));
        case 'DaemonSet':
          return plain(await this.apps.readNamespacedDaemonSet(p));
        case 'Pod':
          return plain(await this.core.readNamespacedPod(p));
        case 'Node':
          return plain(await this.core.readNode({ name: ref.name }));
        case 'HorizontalPodAutoscaler':
          return plain(await this.autoscaling.readNamespacedHorizontalPodAutoscaler(p));
        case 'CronJob':
          return plain(await this.batch.readNamespacedCronJob(p));
        default:
          throw unsupported(ref);
      }
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw toEngineError(error, this.cluster, `read ${ref.kind} ${ref.namespace}/${ref.name}`);
    }
  }

  async send(request: KubeRequest, options: { dryRun: boolean }): Promise<Obj | undefined> {
    const what = `${options.dryRun ? 'dry-run ' : ''}${request.description}`;
    return this.call(what, () => {
      if (request.verb === 'patch') return this.patch(request, options.dryRun);
      if (request.verb === 'evict') return this.evict(request, options.dryRun);
      return this.remove(request, options.dryRun);
    });
  }

  /** `POST pods/{name}/eviction`, as kubectl drain does: the API server checks PodDisruptionBudgets (429 if violated). */
  private async evict(request: Extract<KubeRequest, { verb: 'evict' }>, dryRun: boolean): Promise<Obj> {
    const { ref } = request;
    if (ref.kind !== 'Pod') throw unsupported(ref);
    const status = await this.core.createNamespacedPodEviction({
      namespace: ref.namespace,
      name: ref.name,
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: ref.name, namespace: ref.namespace },
        deleteOptions: {
          ...(request.gracePeriodSeconds !== undefined
            ? { gracePeriodSeconds: request.gracePeriodSeconds }
            : {}),
          ...(request.uid ? { preconditions: { uid: request.uid } } : {}),
        },
      },
      ...(dryRun ? { dryRun: 'All' } : {}),
    });
    return plain(status);
  }

  /**
   * The kinds the actions patch (actions/index.ts). No action patches a Pod (a pod is deleted, evicted or changed
   * through its owner's template), so a Pod patch is refused here and the acting role grants none.
   */
  private async patch(request: Extract<KubeRequest, { verb: 'patch' }>, dryRun: boolean): Promise<Obj> {
    const { ref } = request;
    const headers = setHeaderOptions('Content-Type', CONTENT_TYPE[request.patchType]);
    const param = {
      namespace: ref.namespace,
      name: ref.name,
      body: withPrecondition(request),
      fieldManager: FIELD_MANAGER,
      ...(dryRun ? { dryRun: 'All' } : {}),
    };
    switch (ref.kind) {
      case 'Deployment':
        return plain(await this.apps.patchNamespacedDeployment(param, headers));
      case 'StatefulSet':
        return plain(await this.apps.patchNamespacedStatefulSet(param, headers));
      case 'DaemonSet':
        return plain(await this.apps.patchNamespacedDaemonSet(param, headers));
      case 'Node':
        return plain(await this.core.patchNode(param, headers));
      case 'HorizontalPodAutoscaler':
        return plain(await this.autoscaling.patchNamespacedHorizontalPodAutoscaler(param, headers));
      case 'CronJob':
        return plain(await this.batch.patchNamespacedCronJob(param, headers));
      default:
        throw unsupported(ref);
    }
  }

  private async remove(request: Extract<KubeRequest, { verb: 'delete' }>, dryRun: boolean): Promise<Obj> {
    const { ref } = request;
    if (ref.kind !== 'Pod') throw unsupported(ref);
    const preconditions = {
      ...(request.uid ? { uid: request.uid } : {}),
      ...(request.resourceVersion ? { resourceVersion: request.resourceVersion } : {}),
    };
    const deleted = await this.core.deleteNamespacedPod({
      namespace: ref.namespace,
      name: ref.name,
      ...(request.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: request.gracePeriodSeconds } : {}),
      ...(dryRun ? { dryRun: 'All' } : {}),
      body: { preconditions },
    });
    return plain(deleted);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof EngineError) throw error;
      throw toEngineError(error, this.cluster, what);
    }
  }
}

/** The request body with its resourceVersion precondition, in the form its patch type allows. */
export function withPrecondition(request: Extract<KubeRequest, { verb: 'patch' }>): object {
  const rv = request.resourceVersion;
  if (request.patchType === 'json') {
    const ops = request.body as unknown[];
    return rv ? [{ op: 'test', path: '/metadata/resourceVersion', value: rv }, ...ops] : ops;
  }
  const body = structuredClone(request.body) as { metadata?: Record<string, unknown> };
  if (rv) body.metadata = { ...body.metadata, resourceVersion: rv };
  return body;
}

/** client-node objects carry Date instances; the audit and the diff want the JSON the API server sent. */
const plain = (obj: unknown): Obj => JSON.parse(JSON.stringify(obj)) as Obj;

const unsupported = (ref: KubeRef) =>
  new EngineError('INVALID_INPUT', `repair cannot act on ${ref.kind}`, {
    issues: [{ field: 'target.kind', message: 'unsupported kind' }],
  });
