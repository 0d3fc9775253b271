import {
  AppsV1Api,
  AutoscalingV2Api,
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

  constructor(
    private readonly cluster: string,
    kubeConfig: KubeConfig,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.autoscaling = kubeConfig.makeApiClient(AutoscalingV2Api);
  }

  async snapshot(namespace: string): Promise<ClusterSnapshot> {
    const ns = { namespace };
    const [deployments, replicaSets, statefulSets, daemonSets, pods, hpas, nodes] = await this.call(
      `read namespace ${namespace}`,
      () =>
        Promise.all([
          this.apps.listNamespacedDeployment(ns),
          this.apps.listNamespacedReplicaSet(ns),
          this.apps.listNamespacedStatefulSet(ns),
          this.apps.listNamespacedDaemonSet(ns),
          this.core.listNamespacedPod(ns),
          this.autoscaling.listNamespacedHorizontalPodAutoscaler(ns),
          this.core.listNode(),
        ]),
    );
    return {
      deployments: deployments.items,
      replicaSets: replicaSets.items,
      statefulSets: statefulSets.items,
      daemonSets: daemonSets.items,
      pods: pods.items,
      horizontalPodAutoscalers: hpas.items,
      nodes: nodes.items,
    };
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
    return this.call(what, () => (request.verb === 'patch' ? this.patch(request, options.dryRun) : this.remove(request, options.dryRun)));
  }

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
      case 'Pod':
        return plain(await this.core.patchNamespacedPod(param, headers));
      case 'HorizontalPodAutoscaler':
        return plain(await this.autoscaling.patchNamespacedHorizontalPodAutoscaler(param, headers));
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
