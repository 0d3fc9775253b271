import type { V1Deployment } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineAction } from './RepairAction.js';
import { findObject, kubeRef, resourceVersionOf } from './snapshotLookup.js';

/** Most replicas an action may ever ask for, whatever the rule says. */
const MAX_REPLICAS = 500;

/** Adds replicas to a Deployment or StatefulSet. Only up: nothing in the repair loop ever scales a workload down. */
export const scale = defineAction({
  type: 'scale',
  targetKinds: ['Deployment', 'StatefulSet'],
  params: z.object({ addReplicas: z.number().int().min(1).max(10) }),
  plan(target, params, snapshot) {
    const workload = findObject<V1Deployment>(snapshot, target);
    const from = workload.spec?.replicas ?? 1;
    const to = Math.min(MAX_REPLICAS, from + params.addReplicas);
    const ref = kubeRef(target);
    const patchOf = (replicas: number) => ({ spec: { replicas } });
    return {
      requests: [
        {
          verb: 'patch',
          ref,
          patchType: 'merge',
          body: patchOf(to),
          resourceVersion: resourceVersionOf(workload),
          description: `scale ${target.namespace}/${target.name} from ${from} to ${to} replicas`,
        },
      ],
      reverse: [
        {
          verb: 'patch',
          ref,
          patchType: 'merge',
          body: patchOf(from),
          description: `scale ${target.namespace}/${target.name} back to ${from}`,
        },
      ],
      reversible: true,
      summary: `scale ${target.kind} ${target.namespace}/${target.name} ${from} → ${to}`,
      details: { fromReplicas: from, toReplicas: to },
    };
  },
});
