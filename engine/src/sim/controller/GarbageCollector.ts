import { clone } from '../apiserver/KubeObject.js';
import {
  DEPLOYMENTS,
  PODS,
  REPLICA_SETS,
  controllerOf,
  isTerminating,
  type ControllerContext,
} from './ControllerContext.js';

/** Deletes ReplicaSets and Pods whose controlling owner is gone (background cascading deletion). */
export class GarbageCollector {
  reconcile(ctx: ControllerContext): void {
    const deploymentUids = new Set(ctx.store.view(DEPLOYMENTS).map((d) => d.metadata.uid));
    for (const rs of ctx.store.view(REPLICA_SETS)) {
      const owner = controllerOf(rs);
      if (owner?.kind === 'Deployment' && !deploymentUids.has(owner.uid)) {
        ctx.store.delete(REPLICA_SETS, rs.metadata.namespace, rs.metadata.name);
      }
    }
    const rsUids = new Set(ctx.store.view(REPLICA_SETS).map((r) => r.metadata.uid));
    for (const pod of ctx.store.view(PODS)) {
      const owner = controllerOf(pod);
      if (owner?.kind === 'ReplicaSet' && !rsUids.has(owner.uid) && !isTerminating(pod)) {
        const next = clone(pod);
        next.metadata.deletionTimestamp = ctx.now().toISOString();
        next.metadata.deletionGracePeriodSeconds = 30;
        ctx.store.update(PODS, next);
      }
    }
  }
}
