import type { V1Node } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineAction, denied } from './RepairAction.js';
import { findObject, isControlPlane, kubeRef, resourceVersionOf } from './snapshotLookup.js';

/** Marks a node unschedulable so nothing new lands on it; its pods keep running. Never a control-plane node. */
export const cordonNode = defineAction({
  type: 'cordon-node',
  targetKinds: ['Node'],
  params: z.object({}),
  plan(target, _params, snapshot) {
    const node = findObject<V1Node>(snapshot, target);
    if (isControlPlane(node)) throw denied(`node ${target.name} is a control-plane node`);
    const was = node.spec?.unschedulable ?? false;
    const ref = kubeRef(target);
    return {
      requests: [
        {
          verb: 'patch',
          ref,
          patchType: 'merge',
          body: { spec: { unschedulable: true } },
          resourceVersion: resourceVersionOf(node),
          description: `cordon node ${target.name}`,
        },
      ],
      reverse: [
        {
          verb: 'patch',
          ref,
          patchType: 'merge',
          body: { spec: { unschedulable: was || null } },
          description: `uncordon node ${target.name}`,
        },
      ],
      reversible: true,
      summary: `cordon node ${target.name}${was ? ' (already cordoned)' : ''}`,
      details: { wasUnschedulable: was },
    };
  },
});
