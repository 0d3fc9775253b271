import type { V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineAction, denied } from './RepairAction.js';
import { findObject, kubeRef } from './snapshotLookup.js';

/** Deletes one pod so its controller starts a fresh one. Refused for bare pods, which nothing would recreate. */
export const restartPod = defineAction({
  type: 'restart-pod',
  targetKinds: ['Pod'],
  params: z.object({}),
  plan(target, _params, snapshot) {
    const pod = findObject<V1Pod>(snapshot, target);
    const owner = (pod.metadata?.ownerReferences ?? []).find((o) => o.controller);
    if (!owner) throw denied(`pod ${target.namespace}/${target.name} has no controller to recreate it`);
    return {
      requests: [
        {
          verb: 'delete',
          ref: kubeRef(target),
          uid: pod.metadata?.uid,
          description: `delete pod ${target.namespace}/${target.name}; ${owner.kind} ${owner.name} recreates it`,
        },
      ],
      reverse: [],
      reversible: false,
      summary: `restart pod ${target.namespace}/${target.name}`,
      details: { owner: `${owner.kind}/${owner.name}` },
    };
  },
});
