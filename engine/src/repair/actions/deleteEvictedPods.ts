import { z } from 'zod';
import type { ClusterSnapshot, ObjectRef } from '../types.js';
import { defineAction, denied } from './RepairAction.js';
import { WORKLOAD_KINDS, isEvicted, kubeRef, podsOfWorkload } from './snapshotLookup.js';

/** Most pods one action deletes; the rest wait for the next scan (a bounded blast radius). */
const MAX_PODS = 200;

/**
 * Deletes the records of Evicted pods (phase Failed, reason Evicted) of a workload or on a node. They run nothing:
 * their replacements already exist, so there is nothing to undo. Each delete carries the pod's uid as precondition.
 */
export const deleteEvictedPods = defineAction({
  type: 'delete-evicted-pods',
  targetKinds: [...WORKLOAD_KINDS, 'Node'],
  params: z.object({}),
  plan(target, _params, snapshot) {
    const pods = evictedPods(snapshot, target).slice(0, MAX_PODS);
    if (pods.length === 0) throw denied(`${describe(target)} has no Evicted pods`);
    return {
      requests: pods.map((p) => ({
        verb: 'delete' as const,
        ref: kubeRef({ kind: 'Pod', namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '' }),
        gracePeriodSeconds: 0,
        uid: p.metadata?.uid,
        description: `delete Evicted pod ${p.metadata?.namespace}/${p.metadata?.name}`,
      })),
      reverse: [],
      reversible: false,
      summary: `delete ${pods.length} Evicted pod(s) of ${describe(target)}`,
      details: { pods: pods.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`) },
    };
  },
});

function evictedPods(snapshot: ClusterSnapshot, target: ObjectRef) {
  const candidates =
    target.kind === 'Node'
      ? (snapshot.pods ?? []).filter((p) => p.spec?.nodeName === target.name)
      : podsOfWorkload(snapshot, target);
  return candidates.filter(isEvicted);
}

const describe = (t: ObjectRef) =>
  t.kind === 'Node' ? `node ${t.name}` : `${t.kind} ${t.namespace}/${t.name}`;
