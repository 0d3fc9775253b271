import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import { PODS, settledSince, type ControllerContext } from './ControllerContext.js';
import { safeSuffix } from './random.js';

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

/** The controller reference every controller puts on what it creates. */
export function ownerRef(owner: KubeObject) {
  return {
    apiVersion: String(owner.apiVersion ?? 'apps/v1'),
    kind: String(owner.kind),
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Creates a pod from a workload's template, owned by it, the way ReplicaSet, StatefulSet and DaemonSet controllers
 * do: `name` fixed (a StatefulSet ordinal) or `<owner>-<random suffix>` as generateName gives; extra labels and spec
 * fields on top of the template's; restartPolicy defaulted to Always; Pending until the scheduler or kubelet acts.
 */
export function createOwnedPod(
  ctx: ControllerContext,
  owner: KubeObject,
  template: PodTemplate,
  extra: { name?: string; labels?: Record<string, string>; spec?: Record<string, unknown> } = {},
): KubeObject {
  const namespace = owner.metadata.namespace;
  let name = extra.name;
  while (!name || (!extra.name && ctx.store.has(PODS, namespace, name)))
    name = `${owner.metadata.name}-${safeSuffix(ctx.random)}`;
  return ctx.store.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(extra.name ? {} : { generateName: `${owner.metadata.name}-` }),
      namespace,
      labels: { ...template.metadata?.labels, ...extra.labels },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerRef(owner)],
      ...(ctx.settling ? { creationTimestamp: settledCreation(ctx, owner) } : {}),
    },
    spec: {
      ...clone(template.spec),
      ...extra.spec,
      restartPolicy: template.spec['restartPolicy'] ?? 'Always',
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  });
}

/**
 * A pod the cluster settles with was created with its owner: when the seeded workloads were (settledSince), or with a
 * ReplicaSet a backdated fault rolled out later than that (DeploymentController's rolloutTimes).
 */
function settledCreation(ctx: ControllerContext, owner: KubeObject): string {
  const settled = settledSince(ctx.now());
  const ownerCreated = Date.parse(owner.metadata.creationTimestamp ?? '');
  const datedByCluster = ownerCreated <= ctx.now().getTime() && ownerCreated > Date.parse(settled);
  return datedByCluster ? owner.metadata.creationTimestamp! : settled;
}

/** A graceful delete as the API server records it: the kubelet stops the containers and removes the pod. */
export function markPodDeleted(ctx: ControllerContext, pod: KubeObject): void {
  const next = clone(pod);
  next.metadata.deletionTimestamp = ctx.now().toISOString();
  next.metadata.deletionGracePeriodSeconds = 30;
  ctx.store.update(PODS, next);
}
