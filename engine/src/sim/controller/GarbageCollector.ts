import {
  DEPLOYMENTS,
  PODS,
  REPLICA_SETS,
  controllerOf,
  isTerminating,
  type ControllerContext,
} from './ControllerContext.js';
import { CRON_JOBS } from './CronJobController.js';
import { DAEMON_SETS } from './DaemonSetController.js';
import { JOBS } from './JobController.js';
import { markPodDeleted } from './ownedPods.js';
import { CONTROLLER_REVISIONS, STATEFUL_SETS } from './StatefulSetController.js';

/** Owner kinds whose dependents are collected, and where they are stored. */
const OWNERS: Record<string, string> = {
  Deployment: DEPLOYMENTS,
  ReplicaSet: REPLICA_SETS,
  StatefulSet: STATEFUL_SETS,
  DaemonSet: DAEMON_SETS,
  Job: JOBS,
  CronJob: CRON_JOBS,
};

/**
 * Deletes objects whose controlling owner is gone (background cascading deletion): ReplicaSets, ControllerRevisions
 * and Jobs at once, Pods gracefully. Owners are read after each kind is swept, so a deleted Deployment's pods go in
 * the same pass as its ReplicaSets.
 */
export class GarbageCollector {
  reconcile(ctx: ControllerContext): void {
    for (const dependent of [REPLICA_SETS, CONTROLLER_REVISIONS, JOBS]) {
      const orphaned = ctx.store.view(dependent).filter((o) => this.ownerGone(ctx, o));
      for (const obj of orphaned) ctx.store.delete(dependent, obj.metadata.namespace, obj.metadata.name);
    }
    for (const pod of ctx.store.view(PODS)) {
      if (!isTerminating(pod) && this.ownerGone(ctx, pod)) markPodDeleted(ctx, pod);
    }
  }

  private ownerGone(ctx: ControllerContext, obj: Parameters<typeof controllerOf>[0]): boolean {
    const owner = controllerOf(obj);
    const key = owner && OWNERS[owner.kind];
    if (!owner || !key) return false;
    const found = ctx.store.get(key, obj.metadata.namespace, owner.name);
    return !found || found.metadata.uid !== owner.uid;
  }
}
