import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import { NODES, PODS, isTerminating, type ControllerContext } from './ControllerContext.js';
import { nodeIsReady } from './Scheduler.js';

const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';

/**
 * Node health from node-not-ready faults: Ready=False with the not-ready taints, NodeNotReady events, and after
 * `evictAfterTicks` the taint manager's eviction of the node's pods (their ReplicaSets then replace them elsewhere).
 */
export class NodeController {
  private readonly notReadySince = new Map<string, number>();

  reconcile(ctx: ControllerContext): void {
    const broken = ctx.faults.notReadyNodes();
    for (const node of ctx.store.view(NODES)) {
      const name = node.metadata.name;
      const shouldBeReady = !broken.has(name);
      if (shouldBeReady !== nodeIsReady(node)) this.setReady(ctx, node, shouldBeReady);
      if (shouldBeReady) {
        this.notReadySince.delete(name);
        continue;
      }
      const since = this.notReadySince.get(name) ?? ctx.tick;
      this.notReadySince.set(name, since);
      if (ctx.tick - since >= ctx.tuning.evictAfterTicks) this.evict(ctx, name);
    }
  }

  private setReady(ctx: ControllerContext, node: KubeObject, ready: boolean): void {
    const next = clone(node);
    const time = ctx.now().toISOString();
    const status = (next['status'] ??= {}) as { conditions?: Array<Record<string, string>> };
    status.conditions = (status.conditions ?? []).map((c) =>
      c['type'] !== 'Ready'
        ? c
        : ready
          ? {
              ...c,
              status: 'True',
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
              lastHeartbeatTime: time,
              lastTransitionTime: time,
            }
          : {
              ...c,
              status: 'False',
              reason: 'KubeletNotReady',
              message:
                'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
              lastHeartbeatTime: time,
              lastTransitionTime: time,
            },
    );
    const spec = (next['spec'] ??= {}) as { taints?: Array<Record<string, string>> };
    const others = (spec.taints ?? []).filter((t) => t['key'] !== NOT_READY_TAINT);
    spec.taints = ready
      ? others
      : [
          ...others,
          { key: NOT_READY_TAINT, effect: 'NoSchedule', timeAdded: time },
          { key: NOT_READY_TAINT, effect: 'NoExecute', timeAdded: time },
        ];
    if (spec.taints.length === 0) delete spec.taints;
    const updated = ctx.store.update(NODES, next);
    ctx.events.record(
      updated,
      ready ? 'Normal' : 'Warning',
      ready ? 'NodeReady' : 'NodeNotReady',
      `Node ${node.metadata.name} status is now: ${ready ? 'NodeReady' : 'NodeNotReady'}`,
      { component: 'node-controller' },
    );
  }

  private evict(ctx: ControllerContext, nodeName: string): void {
    for (const pod of ctx.store.view(PODS)) {
      if ((pod['spec'] as { nodeName?: string }).nodeName !== nodeName || isTerminating(pod)) continue;
      if (toleratesNotReady(pod)) continue;
      const next = clone(pod);
      next.metadata.deletionTimestamp = ctx.now().toISOString();
      next.metadata.deletionGracePeriodSeconds = 0;
      const updated = ctx.store.update(PODS, next);
      ctx.events.record(
        updated,
        'Normal',
        'TaintManagerEviction',
        `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
        {
          component: 'taint-eviction-controller',
        },
      );
    }
  }
}

/**
 * A pod that tolerates the not-ready NoExecute taint for good (no tolerationSeconds) stays, as the taint manager
 * leaves it: DaemonSet pods get that toleration from their controller.
 */
function toleratesNotReady(pod: KubeObject): boolean {
  const tolerations =
    (
      pod['spec'] as {
        tolerations?: Array<{ key?: string; operator?: string; effect?: string; tolerationSeconds?: number }>;
      }
    ).tolerations ?? [];
  return tolerations.some(
    (t) =>
      (t.key === 'node.kubernetes.io/not-ready' || (t.operator === 'Exists' && !t.key)) &&
      (!t.effect || t.effect === 'NoExecute') &&
      t.tolerationSeconds === undefined,
  );
}
