import type { V1Container, V1CronJob, V1Deployment, V1PodTemplateSpec } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineAction, denied } from './RepairAction.js';
import {
  WORKLOAD_KINDS,
  findObject,
  formatMemory,
  isReadyNode,
  kubeRef,
  parseMemory,
  resourceVersionOf,
} from './snapshotLookup.js';

/**
 * Raises the memory limit of a workload's containers by a factor (at most 2x) and never above the largest Ready
 * node's allocatable memory, where a pod could no longer be scheduled. The reverse restores the old limits. For a
 * CronJob the next runs get the raise (its jobTemplate); a Job's pod template is immutable, so a Job is refused.
 */
export const raiseMemoryLimit = defineAction({
  type: 'raise-memory-limit',
  targetKinds: [...WORKLOAD_KINDS, 'CronJob', 'Job'],
  params: z.object({
    factor: z
      .number()
      .gt(1, 'must be above 1')
      .max(2, 'must be at most 2 (never more than double)')
      .default(2),
    /** Only this container; all containers with a memory limit when absent. */
    container: z.string().min(1).optional(),
  }),
  plan(target, params, snapshot) {
    if (target.kind === 'Job') {
      throw denied(
        `the pod template of Job ${target.namespace}/${target.name} cannot change; raise the limit where it is defined and run it again`,
      );
    }
    const workload = findObject<V1Deployment & V1CronJob>(snapshot, target);
    const template: V1PodTemplateSpec | undefined =
      target.kind === 'CronJob'
        ? (workload as V1CronJob).spec?.jobTemplate?.spec?.template
        : (workload as V1Deployment).spec?.template;
    const containers = (template?.spec?.containers ?? []).filter(
      (c) => !params.container || c.name === params.container,
    );
    const limited = containers.filter((c) => Number.isFinite(parseMemory(c.resources?.limits?.['memory'])));
    if (limited.length === 0) {
      throw denied(
        `${target.namespace}/${target.name} has no container with a memory limit${params.container ? ` named ${params.container}` : ''}`,
      );
    }
    const largestNode = Math.max(
      0,
      ...(snapshot.nodes ?? [])
        .filter(isReadyNode)
        .map((n) => parseMemory(n.status?.allocatable?.['memory']))
        .filter(Number.isFinite),
    );
    const changes = limited.map((c) => {
      const from = parseMemory(c.resources!.limits!['memory']);
      const to = Math.ceil((from * params.factor) / 2 ** 20) * 2 ** 20;
      if (to > largestNode) {
        throw denied(
          `raising ${c.name} to ${formatMemory(to)} would not fit the largest Ready node (${formatMemory(largestNode)} allocatable)`,
        );
      }
      return {
        container: c.name,
        from: c.resources!.limits!['memory']!,
        to: formatMemory(to),
        fromBytes: from,
        toBytes: to,
      };
    });
    const podPatch = (limits: Array<{ container: string; memory: string }>) => ({
      template: {
        spec: {
          containers: limits.map((l) => ({ name: l.container, resources: { limits: { memory: l.memory } } })),
        },
      },
    });
    // A CronJob's pods come from spec.jobTemplate.spec.template; the workloads' from spec.template.
    const patchOf = (limits: Array<{ container: string; memory: string }>) =>
      target.kind === 'CronJob'
        ? { spec: { jobTemplate: { spec: podPatch(limits) } } }
        : { spec: podPatch(limits) };
    const ref = kubeRef(target);
    return {
      requests: [
        {
          verb: 'patch',
          ref,
          patchType: 'strategic',
          body: patchOf(changes.map((c) => ({ container: c.container, memory: c.to }))),
          resourceVersion: resourceVersionOf(workload),
          description: changes.map((c) => `${c.container} memory limit ${c.from} → ${c.to}`).join('; '),
        },
      ],
      reverse: [
        {
          verb: 'patch',
          ref,
          patchType: 'strategic',
          body: patchOf(changes.map((c) => ({ container: c.container, memory: c.from }))),
          description: `restore memory limits of ${target.namespace}/${target.name}`,
        },
      ],
      reversible: true,
      summary: `raise memory limit of ${target.kind} ${target.namespace}/${target.name}: ${changes.map((c) => `${c.container} ${c.from} → ${c.to}`).join(', ')}`,
      details: {
        changes,
        largestNodeAllocatableBytes: largestNode,
        containers: containers.map((c: V1Container) => c.name),
      },
    };
  },
});
