import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import { NODES, PODS, isTerminating, startupTime, type ControllerContext } from './ControllerContext.js';
import { parseQuantity } from './quantity.js';

interface Requests {
  cpu: number;
  memory: number;
}

function podRequests(pod: KubeObject): Requests {
  const containers =
    (pod['spec'] as { containers?: Array<{ resources?: { requests?: Record<string, unknown> } }> })
      .containers ?? [];
  return containers.reduce(
    (acc, c) => ({
      cpu: acc.cpu + (parseQuantity(c.resources?.requests?.['cpu']) || 0),
      memory: acc.memory + (parseQuantity(c.resources?.requests?.['memory']) || 0),
    }),
    { cpu: 0, memory: 0 },
  );
}

export function nodeIsReady(node: KubeObject): boolean {
  const conditions =
    (node['status'] as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * Binds pending pods to Ready, schedulable nodes that have room for their requests (spreading by pod count), or
 * records FailedScheduling with the per-node reasons the real scheduler reports.
 */
export class Scheduler {
  reconcile(ctx: ControllerContext): void {
    const nodes = ctx.store.view(NODES).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const pods = ctx.store.view(PODS);
    const used = new Map<string, Requests & { pods: number }>();
    for (const node of nodes) used.set(node.metadata.name, { cpu: 0, memory: 0, pods: 0 });
    for (const pod of pods) {
      const nodeName = (pod['spec'] as { nodeName?: string }).nodeName;
      const u = nodeName ? used.get(nodeName) : undefined;
      if (!u || isTerminating(pod)) continue;
      const r = podRequests(pod);
      u.cpu += r.cpu;
      u.memory += r.memory;
      u.pods += 1;
    }
    for (const pod of pods) {
      if (isTerminating(pod) || (pod['spec'] as { nodeName?: string }).nodeName) continue;
      const service = pod.metadata.labels?.['app'];
      const request = podRequests(pod);
      const reasons = new Map<string, number>();
      const fits: KubeObject[] = [];
      for (const node of nodes) {
        const reason = this.rejection(ctx, node, pod, service, request, used.get(node.metadata.name)!);
        if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        else fits.push(node);
      }
      const next = clone(pod);
      const status = (next['status'] ??= {}) as Record<string, unknown>;
      if (fits.length === 0) {
        const detail = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).join(', ');
        const message = `0/${nodes.length} nodes are available: ${detail}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} No preemption victims found for incoming pod.`;
        status['phase'] = 'Pending';
        status['conditions'] = [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message,
            lastTransitionTime: ctx.now().toISOString(),
          },
        ];
        if (
          JSON.stringify(status['conditions']) !==
          JSON.stringify((pod['status'] as Record<string, unknown>)?.['conditions'])
        ) {
          ctx.store.update(PODS, next);
        }
        ctx.events.record(pod, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' });
        continue;
      }
      const chosen = fits.sort(
        (a, b) => used.get(a.metadata.name)!.pods - used.get(b.metadata.name)!.pods,
      )[0]!;
      const u = used.get(chosen.metadata.name)!;
      u.cpu += request.cpu;
      u.memory += request.memory;
      u.pods += 1;
      (next['spec'] as Record<string, unknown>)['nodeName'] = chosen.metadata.name;
      status['conditions'] = [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: ctx.now().toISOString() },
      ];
      const updated = ctx.store.update(PODS, next);
      ctx.events.recordAt(
        updated,
        'Normal',
        'Scheduled',
        `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${chosen.metadata.name}`,
        { component: 'default-scheduler' },
        undefined,
        startupTime(ctx, pod),
      );
    }
  }

  private rejection(
    ctx: ControllerContext,
    node: KubeObject,
    pod: KubeObject,
    service: string | undefined,
    request: Requests,
    used: Requests & { pods: number },
  ): string | undefined {
    const spec = (node['spec'] ?? {}) as {
      unschedulable?: boolean;
      taints?: Array<{ key: string; effect: string }>;
    };
    if (spec.unschedulable) return 'node(s) were unschedulable';
    const taint = (spec.taints ?? []).find((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    if (taint) return `node(s) had untolerated taint {${taint.key}: }`;
    if (!nodeIsReady(node)) return 'node(s) were not ready';
    const allocatable = (node['status'] as { allocatable?: Record<string, string> })?.allocatable ?? {};
    const memory = parseQuantity(allocatable['memory']);
    const cpu = parseQuantity(allocatable['cpu']);
    const maxPods = parseQuantity(allocatable['pods']);
    if (ctx.faults.unschedulable(pod.metadata.namespace!, service)) return 'Insufficient memory';
    if (Number.isFinite(memory) && used.memory + request.memory > memory) return 'Insufficient memory';
    if (Number.isFinite(cpu) && used.cpu + request.cpu > cpu) return 'Insufficient cpu';
    if (Number.isFinite(maxPods) && used.pods + 1 > maxPods) return 'Too many pods';
    return undefined;
  }
}
