import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineAction, denied } from './RepairAction.js';
import { cordonRequests } from './cordonNode.js';
import { findObject, isControlPlane, isReadyNode, kubeRef } from './snapshotLookup.js';

/**
 * Cordons a node and deletes the pods controllers will recreate elsewhere (not DaemonSet pods, not bare pods).
 * Refused on control-plane nodes, on the last Ready schedulable node, and when a bare pod (no controller) would be
 * lost. Only the cordon can be undone; deleted pods come back through their controllers.
 */
export const drainNode = defineAction({
  type: 'drain-node',
  targetKinds: ['Node'],
  params: z.object({ gracePeriodSeconds: z.number().int().min(0).max(3600).default(30) }),
  plan(target, params, snapshot) {
    const node = findObject<V1Node>(snapshot, target);
    if (isControlPlane(node)) throw denied(`node ${target.name} is a control-plane node`);
    const others = (snapshot.nodes ?? []).filter(
      (n) =>
        n.metadata?.name !== target.name && isReadyNode(n) && !n.spec?.unschedulable && !isControlPlane(n),
    );
    if (others.length === 0)
      throw denied(`node ${target.name}: no other Ready schedulable node would take its pods`);
    const onNode = (snapshot.pods ?? []).filter((p) => p.spec?.nodeName === target.name && !isFinished(p));
    const bare = onNode.filter((p) => !controllerOf(p));
    if (bare.length)
      throw denied(
        `node ${target.name} runs pods no controller would recreate: ${bare.map(podName).join(', ')}`,
      );
    const movable = onNode.filter((p) => controllerOf(p)?.kind !== 'DaemonSet');
    const { cordon, uncordon } = cordonRequests(target, node);
    return {
      requests: [
        cordon,
        ...movable.map((p) => ({
          verb: 'delete' as const,
          ref: kubeRef({ kind: 'Pod', namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '' }),
          gracePeriodSeconds: params.gracePeriodSeconds,
          uid: p.metadata?.uid,
          description: `delete pod ${podName(p)} so its controller recreates it elsewhere`,
        })),
      ],
      reverse: [uncordon],
      reversible: false,
      summary: `drain node ${target.name}: cordon and move ${movable.length} pod(s) to ${others.length} other node(s)`,
      details: { pods: movable.map(podName) },
    };
  },
});

const controllerOf = (p: V1Pod) => (p.metadata?.ownerReferences ?? []).find((o) => o.controller);
const isFinished = (p: V1Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const podName = (p: V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;
