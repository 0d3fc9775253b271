import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import {
  NODES,
  PODS,
  controllerOf,
  isFinished,
  isTerminating,
  type ControllerContext,
} from './ControllerContext.js';

export type NodePressure = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

const TAINT: Record<NodePressure, string> = {
  MemoryPressure: 'node.kubernetes.io/memory-pressure',
  DiskPressure: 'node.kubernetes.io/disk-pressure',
  PIDPressure: 'node.kubernetes.io/pid-pressure',
};

const SIGNAL: Record<NodePressure, string> = {
  MemoryPressure: 'memory',
  DiskPressure: 'ephemeral-storage',
  PIDPressure: 'pids',
};

/**
 * The kubelet's eviction manager: a node under pressure reports the condition, gets its NoSchedule taint, and
 * evicts pods once (they stay as Failed/Evicted records while their ReplicaSets start replacements elsewhere).
 * Evicted pods linger until someone deletes them, exactly what `delete-evicted-pods` is for.
 */
export class EvictionController {
  private readonly pressures = new Map<string, Set<NodePressure>>();
  private readonly requested: Array<{ namespace: string; service: string; count: number }> = [];

  /** Puts a node under (or out of) pressure; the next tick evicts up to `evict` of its pods. */
  setPressure(node: string, pressure: NodePressure, on: boolean, evict = 0): void {
    const set = this.pressures.get(node) ?? new Set();
    if (on) set.add(pressure);
    else set.delete(pressure);
    this.pressures.set(node, set);
    this.pendingNodeEvictions.set(`${node}/${pressure}`, on ? evict : 0);
  }

  /** Evicts `count` running pods of a service at the next tick, as memory pressure on their nodes would. */
  evictPods(namespace: string, service: string, count: number): void {
    this.requested.push({ namespace, service, count });
  }

  private readonly pendingNodeEvictions = new Map<string, number>();

  reconcile(ctx: ControllerContext): void {
    for (const node of ctx.store.view(NODES)) this.reconcileNode(ctx, node);
    for (const { namespace, service, count } of this.requested.splice(0)) {
      const pods = runningPods(ctx).filter(
        (p) => p.metadata.namespace === namespace && p.metadata.labels?.['app'] === service,
      );
      for (const pod of pods.slice(0, count)) this.evict(ctx, pod, 'MemoryPressure');
    }
  }

  private reconcileNode(ctx: ControllerContext, node: KubeObject): void {
    const name = node.metadata.name;
    const active = this.pressures.get(name) ?? new Set<NodePressure>();
    const status = (node['status'] ?? {}) as { conditions?: Array<Record<string, string>> };
    const changed = (Object.keys(TAINT) as NodePressure[]).some((p) => {
      const c = (status.conditions ?? []).find((x) => x['type'] === p);
      return (c?.['status'] === 'True') !== active.has(p);
    });
    if (changed) this.writeNode(ctx, node, active);
    for (const pressure of active) {
      const key = `${name}/${pressure}`;
      const count = this.pendingNodeEvictions.get(key) ?? 0;
      if (count <= 0) continue;
      this.pendingNodeEvictions.set(key, 0);
      const victims = runningPods(ctx).filter(
        (p) =>
          (p['spec'] as { nodeName?: string }).nodeName === name && controllerOf(p)?.kind !== 'DaemonSet',
      );
      for (const pod of victims.slice(0, count)) this.evict(ctx, pod, pressure);
    }
  }

  private writeNode(ctx: ControllerContext, node: KubeObject, active: Set<NodePressure>): void {
    const next = clone(node);
    const time = ctx.now().toISOString();
    const status = (next['status'] ??= {}) as { conditions?: Array<Record<string, string>> };
    status.conditions = (status.conditions ?? []).map((c) => {
      const type = c['type'] as NodePressure;
      if (!(type in TAINT)) return c;
      const on = active.has(type);
      if ((c['status'] === 'True') === on) return c;
      return {
        ...c,
        status: on ? 'True' : 'False',
        reason: on ? `KubeletHas${type}` : `KubeletHasNo${type}`,
        message: on
          ? `kubelet has ${type.replace('Pressure', '').toLowerCase()} pressure`
          : `kubelet has no ${type.replace('Pressure', '').toLowerCase()} pressure`,
        lastTransitionTime: time,
        lastHeartbeatTime: time,
      };
    });
    const spec = (next['spec'] ??= {}) as { taints?: Array<Record<string, string>> };
    const ours = new Set(Object.values(TAINT));
    const kept = (spec.taints ?? []).filter((t) => !ours.has(t['key']!));
    const added = [...active].map((p) => ({ key: TAINT[p], effect: 'NoSchedule', timeAdded: time }));
    spec.taints = [...kept, ...added];
    if (spec.taints.length === 0) delete spec.taints;
    const updated = ctx.store.update(NODES, next);
    for (const p of active) {
      ctx.events.record(
        updated,
        'Warning',
        `NodeHas${p}`,
        `Node ${node.metadata.name} status is now: NodeHas${p}`,
        { component: 'kubelet', host: node.metadata.name },
      );
    }
  }

  private evict(ctx: ControllerContext, pod: KubeObject, pressure: NodePressure): void {
    const next = clone(pod);
    const signal = SIGNAL[pressure];
    const message = `The node was low on resource: ${signal}. Threshold quantity: 100Mi, available: 51200Ki. `;
    const status = (next['status'] ??= {}) as Record<string, unknown>;
    status['phase'] = 'Failed';
    status['reason'] = 'Evicted';
    status['message'] = message;
    status['conditions'] = ((status['conditions'] as Array<Record<string, string>>) ?? []).map((c) =>
      c['type'] === 'Ready' || c['type'] === 'ContainersReady'
        ? { ...c, status: 'False', reason: 'PodFailed' }
        : c,
    );
    status['containerStatuses'] = ((status['containerStatuses'] as Array<Record<string, unknown>>) ?? []).map(
      (c) => ({
        ...c,
        ready: false,
        started: false,
        state: {
          terminated: {
            exitCode: 137,
            reason: 'ContainerStatusUnknown',
            finishedAt: ctx.now().toISOString(),
          },
        },
      }),
    );
    const updated = ctx.store.update(PODS, next);
    ctx.events.record(updated, 'Warning', 'Evicted', message, {
      component: 'kubelet',
      host: (pod['spec'] as { nodeName?: string }).nodeName ?? '',
    });
  }
}

function runningPods(ctx: ControllerContext): KubeObject[] {
  return ctx.store
    .view(PODS)
    .filter((p) => (p['spec'] as { nodeName?: string }).nodeName && !isTerminating(p) && !isFinished(p))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}
