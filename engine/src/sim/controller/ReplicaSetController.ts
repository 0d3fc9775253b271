import { type KubeObject } from '../apiserver/KubeObject.js';
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
import { createOwnedPod, markPodDeleted } from './ownedPods.js';

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
          markPodDeleted(ctx, pod);
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
    const template = (rs['spec'] as { template: Parameters<typeof createOwnedPod>[2] }).template;
    const pod = createOwnedPod(ctx, rs, template);
    ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
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
