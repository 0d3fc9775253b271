import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import {
  PODS,
  REPLICA_SETS,
  isFinished,
  isPodReady,
  isTerminating,
  ownedBy,
  saveStatusIfChanged,
  type ControllerContext,
} from './ControllerContext.js';
import { safeSuffix } from './random.js';

/**
 * ReplicaSet → Pods: creates pods from the template until the count matches, deletes the least useful extras first
 * (unscheduled, then not ready, then newest), and keeps the ReplicaSet's status counts.
 */
export class ReplicaSetController {
  reconcile(ctx: ControllerContext): void {
    const pods = ctx.store.view(PODS);
    for (const rs of ctx.store.view(REPLICA_SETS)) {
      const owned = pods.filter((p) => ownedBy(p, rs.metadata.uid) && !isTerminating(p) && !isFinished(p));
      const desired = Number((rs['spec'] as { replicas?: number }).replicas ?? 0);
      if (owned.length < desired) {
        for (let i = owned.length; i < desired; i++) owned.push(this.createPod(ctx, rs));
      } else if (owned.length > desired) {
        const victims = [...owned].sort(deletionOrder).slice(0, owned.length - desired);
        for (const pod of victims) {
          const next = clone(pod);
          next.metadata.deletionTimestamp = ctx.now().toISOString();
          next.metadata.deletionGracePeriodSeconds = 30;
          ctx.store.update(PODS, next);
          ctx.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, {
            component: 'replicaset-controller',
          });
        }
      }
    }
  }

  /** Runs after the kubelet, so counts reflect this tick's readiness. */
  updateStatuses(ctx: ControllerContext): void {
    const pods = ctx.store.view(PODS);
    for (const rs of ctx.store.view(REPLICA_SETS)) {
      const owned = pods.filter((p) => ownedBy(p, rs.metadata.uid) && !isTerminating(p) && !isFinished(p));
      const ready = owned.filter(isPodReady).length;
      const status = {
        replicas: owned.length,
        fullyLabeledReplicas: owned.length,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: rs.metadata.generation ?? 1,
      };
      saveStatusIfChanged(ctx.store, REPLICA_SETS, rs, status);
    }
  }

  private createPod(ctx: ControllerContext, rs: KubeObject): KubeObject {
    const template = (
      rs['spec'] as {
        template: {
          metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
          spec: Record<string, unknown>;
        };
      }
    ).template;
    let name = `${rs.metadata.name}-${safeSuffix(ctx.random)}`;
    while (ctx.store.has(PODS, rs.metadata.namespace, name))
      name = `${rs.metadata.name}-${safeSuffix(ctx.random)}`;
    const pod = ctx.store.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name,
            uid: rs.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { ...clone(template.spec), restartPolicy: template.spec['restartPolicy'] ?? 'Always' },
      status: { phase: 'Pending', qosClass: 'Burstable' },
    });
    ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, {
      component: 'replicaset-controller',
    });
    return pod;
  }
}

function deletionOrder(a: KubeObject, b: KubeObject): number {
  const rank = (p: KubeObject) =>
    (p['spec'] as { nodeName?: string }).nodeName ? (isPodReady(p) ? 2 : 1) : 0;
  const diff = rank(a) - rank(b);
  if (diff !== 0) return diff;
  return String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
}
