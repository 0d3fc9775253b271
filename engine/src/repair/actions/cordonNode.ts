import type { V1Node } from '@kubernetes/client-node';
import { z } from 'zod';
import type { ObjectRef } from '../types.js';
import { defineAction, denied, type KubeRequest } from './RepairAction.js';
import { findObject, isControlPlane, kubeRef, resourceVersionOf } from './snapshotLookup.js';

/** Marks a node unschedulable so nothing new lands on it; its pods keep running. Never a control-plane node. */
export const cordonNode = defineAction({
  type: 'cordon-node',
  targetKinds: ['Node'],
  params: z.object({}),
  plan(target, _params, snapshot) {
    const node = findObject<V1Node>(snapshot, target);
    if (isControlPlane(node)) throw denied(`node ${target.name} is a control-plane node`);
    const { cordon, uncordon, was } = cordonRequests(target, node);
    return {
      requests: [cordon],
      reverse: [uncordon],
      reversible: true,
      summary: `cordon node ${target.name}${was ? ' (already cordoned)' : ''}`,
      details: { wasUnschedulable: was },
    };
  },
});

/**
 * The cordon patch (fenced on the node's resourceVersion) and the patch that undoes it, restoring the node's earlier
 * state: a node someone had cordoned before stays cordoned. Drain starts with the same cordon.
 */
export function cordonRequests(
  target: ObjectRef,
  node: V1Node,
): { cordon: KubeRequest; uncordon: KubeRequest; was: boolean } {
  const was = node.spec?.unschedulable ?? false;
  const ref = kubeRef(target);
  return {
    was,
    cordon: {
      verb: 'patch',
      ref,
      patchType: 'merge',
      body: { spec: { unschedulable: true } },
      resourceVersion: resourceVersionOf(node),
      description: `cordon node ${target.name}`,
    },
    uncordon: {
      verb: 'patch',
      ref,
      patchType: 'merge',
      body: { spec: { unschedulable: was || null } },
      description: `uncordon node ${target.name}`,
    },
  };
}
