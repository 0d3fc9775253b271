import type { KubeObject } from '../apiserver/KubeObject.js';
import type { Fault } from '../faults.js';
import { PODS, type ControllerContext } from './ControllerContext.js';
import { UNSCHEDULABLE_MEMORY_REQUEST, workloadOf } from './faultRollouts.js';
import { parseQuantity } from './quantity.js';

interface ContainerSpec {
  image?: string;
  resources?: { limits?: { memory?: string }; requests?: { memory?: string } };
}

/**
 * Ends the faults the cluster no longer suffers because someone made the right change: an OOM-killed service whose
 * pods all got the memory it needs, a bad or unpullable release rolled back (no pod and no template uses its image),
 * an oversized memory request taken back. The ledger drives the demo's metrics too, so before this an API-injected
 * fault kept its error ratio up after the repair verified (found walking the README: cart's 5xx at 22 % six minutes
 * after its limit was raised). Faults no change fixes (crash-loop, latency, cpu-hog, a NotReady node) end only when
 * resolved.
 */
export function endRepairedFaults(ctx: ControllerContext): void {
  const now = ctx.now().getTime() / 1000;
  for (const fault of ctx.faults.activeFaults()) {
    if (repaired(ctx, fault)) ctx.ledger.resolve(fault.id, now);
  }
}

function repaired(ctx: ControllerContext, fault: Fault): boolean {
  const [, workload] = workloadOf(ctx, fault);
  if (!workload) return false;
  const pods = ctx.store
    .view(PODS, fault.namespace)
    .filter((p) => p.metadata.labels?.['app'] === fault.service && !p.metadata.deletionTimestamp);
  const specs = [templateContainer(workload), ...pods.map(podContainer)].filter(
    (c): c is ContainerSpec => c !== undefined,
  );
  switch (fault.type) {
    case 'oom-killed': {
      const need = ctx.faults.oomNeeds.get(fault.id);
      return (
        need !== undefined &&
        pods.length > 0 &&
        specs.every((c) => parseQuantity(c.resources?.limits?.memory) >= need)
      );
    }
    case 'bad-rollout':
    case 'image-pull-error': {
      const image = ctx.faults.faultImages.get(fault.id);
      return image !== undefined && specs.every((c) => c.image !== image);
    }
    case 'unschedulable':
      return specs.every((c) => c.resources?.requests?.memory !== UNSCHEDULABLE_MEMORY_REQUEST);
    default:
      return false;
  }
}

function templateContainer(workload: KubeObject): ContainerSpec | undefined {
  return (workload['spec'] as { template?: { spec?: { containers?: ContainerSpec[] } } }).template?.spec
    ?.containers?.[0];
}

function podContainer(pod: KubeObject): ContainerSpec | undefined {
  return (pod['spec'] as { containers?: ContainerSpec[] }).containers?.[0];
}
