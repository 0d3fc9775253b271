import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineAction, denied } from './RepairAction.js';
import { cordonRequests } from './cordonNode.js';
import { findObject, isControlPlane, isReadyNode, kubeRef } from './snapshotLookup.js';

/**
 * `kubectl drain`: cordons the node, then evicts (policy/v1 Eviction, never a plain delete) every pod a controller
 * will recreate elsewhere, skipping DaemonSet pods and mirror (static) pods as kubectl does. The API server refuses an
 * eviction a PodDisruptionBudget forbids (429): a dry-run that meets it fails before anything is written, and a
 * refusal part-way (the budget spent by the evictions before it) stops the drain and rolls it back, which uncordons
 * the node; pods already evicted come back through their controllers. Refused on control-plane nodes, on the last
 * Ready schedulable node, and when a bare pod (no controller) would be lost.
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
    const onNode = (snapshot.pods ?? []).filter(
      (p) =>
        p.spec?.nodeName === target.name && !isFinished(p) && !p.metadata?.deletionTimestamp && !isMirror(p),
    );
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
          verb: 'evict' as const,
          ref: kubeRef({ kind: 'Pod', namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '' }),
          gracePeriodSeconds: params.gracePeriodSeconds,
          uid: p.metadata?.uid,
          description: `evict pod ${podName(p)} so its controller recreates it elsewhere`,
        })),
      ],
      reverse: [uncordon],
      // The cordon is undone; evicted pods are not brought back, their controllers already replace them elsewhere.
      reversible: true,
      summary: `drain node ${target.name}: cordon and evict ${movable.length} pod(s) to ${others.length} other node(s)`,
      details: { pods: movable.map(podName) },
    };
  },
});

const controllerOf = (p: V1Pod) => (p.metadata?.ownerReferences ?? []).find((o) => o.controller);
const isFinished = (p: V1Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
/** A static pod's API mirror: the kubelet owns it, an eviction would not move it (kubectl drain skips it). */
const isMirror = (p: V1Pod) => p.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined;
const podName = (p: V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;
