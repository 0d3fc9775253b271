import type { KubeObject } from '../apiserver/KubeObject.js';
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
      const live = ownerUids(ctx);
      const orphaned = ctx.store.view(dependent).filter((o) => ownerGone(o, live));
      for (const obj of orphaned) ctx.store.delete(dependent, obj.metadata.namespace, obj.metadata.name);
    }
    const live = ownerUids(ctx);
    for (const pod of ctx.store.view(PODS)) {
      if (!isTerminating(pod) && ownerGone(pod, live)) markPodDeleted(ctx, pod);
    }
  }
}

/** Uids of every object that can own others, read without copying (store.get clones: too slow per object per tick). */
function ownerUids(ctx: ControllerContext): Set<string | undefined> {
  const uids = new Set<string | undefined>();
  for (const key of Object.values(OWNERS)) for (const o of ctx.store.view(key)) uids.add(o.metadata.uid);
  return uids;
}

function ownerGone(obj: KubeObject, live: Set<string | undefined>): boolean {
  const owner = controllerOf(obj);
  return Boolean(owner && OWNERS[owner.kind] && !live.has(owner.uid));
}
