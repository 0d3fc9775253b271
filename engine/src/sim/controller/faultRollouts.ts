import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import type { Fault } from '../faults.js';
import { DEPLOYMENTS, type ControllerContext } from './ControllerContext.js';
import { STATEFUL_SETS } from './StatefulSetController.js';

/** Memory request that fits on no simulated node, the usual cause of "Insufficient memory". */
export const UNSCHEDULABLE_MEMORY_REQUEST = '48Gi';

const ROLLOUT_FAULTS = new Set(['image-pull-error', 'bad-rollout', 'unschedulable']);

interface Applied {
  previousTemplate: unknown;
  /** A fragment of the template's JSON the fault put there, to tell whether someone already rolled it back. */
  needle: string;
  reverted: boolean;
}

/**
 * Faults that begin with a change to the Deployment (a bad image, a typo in a tag, an oversized memory request)
 * are applied as a real rollout, so they show in rollout history. Resolving such a fault rolls the change back if
 * nobody has already done so, as the on-call engineer would.
 */
export class FaultRollouts {
  private readonly applied = new Map<string, Applied>();

  reconcile(ctx: ControllerContext): void {
    const nowSeconds = ctx.now().getTime() / 1000;
    for (const fault of ctx.ledger.all()) {
      if (!ROLLOUT_FAULTS.has(fault.type)) continue;
      const active =
        fault.startedAt <= nowSeconds && (fault.endedAt === undefined || fault.endedAt > nowSeconds);
      const state = this.applied.get(fault.id);
      if (active && !state) this.apply(ctx, fault);
      else if (!active && state && !state.reverted && fault.endedAt !== undefined)
        this.revert(ctx, fault, state);
    }
  }

  private apply(ctx: ControllerContext, fault: Fault): void {
    const [key, deployment] = workloadOf(ctx, fault);
    if (!deployment) return;
    const next = clone(deployment);
    const template = (next['spec'] as { template: { spec: { containers: Array<Record<string, unknown>> } } })
      .template;
    const container = template.spec.containers[0]!;
    const image = String(container['image']);
    let needle: string;
    let cause: string;
    if (fault.type === 'unschedulable') {
      const resources = (container['resources'] ??= {}) as { requests?: Record<string, string> };
      resources.requests = { ...resources.requests, memory: UNSCHEDULABLE_MEMORY_REQUEST };
      needle = `"memory":"${UNSCHEDULABLE_MEMORY_REQUEST}"`;
      cause = `raise ${fault.service} memory request to ${UNSCHEDULABLE_MEMORY_REQUEST}`;
    } else {
      const { repo, tag } = splitImage(image);
      const nextTag = bumpVersion(tag);
      // A leading "v" the registry does not have is the classic unpullable tag; a bumped version is a real release.
      const badImage = fault.type === 'image-pull-error' ? `${repo}:v${nextTag}` : `${repo}:${nextTag}`;
      container['image'] = badImage;
      ctx.faults.faultImages.set(fault.id, badImage);
      needle = JSON.stringify(badImage);
      cause = `deploy ${fault.service} ${fault.type === 'image-pull-error' ? 'v' : ''}${nextTag}`;
    }
    next.metadata.annotations = { ...next.metadata.annotations, 'kubernetes.io/change-cause': cause };
    this.applied.set(fault.id, {
      previousTemplate: clone((deployment['spec'] as { template: unknown }).template),
      needle,
      reverted: false,
    });
    bumpGeneration(next, deployment);
    ctx.store.update(key, next);
    ctx.rolloutTimes.set(
      `${fault.namespace}/${fault.service}`,
      new Date(fault.startedAt * 1000).toISOString(),
    );
  }

  private revert(ctx: ControllerContext, fault: Fault, state: Applied): void {
    state.reverted = true;
    const [key, deployment] = workloadOf(ctx, fault);
    if (!deployment) return;
    const template = (deployment['spec'] as { template: unknown }).template;
    if (!JSON.stringify(template).includes(state.needle)) return;
    const next = clone(deployment);
    (next['spec'] as { template: unknown }).template = clone(state.previousTemplate);
    next.metadata.annotations = {
      ...next.metadata.annotations,
      'kubernetes.io/change-cause': `rollback ${fault.service} after ${fault.type}`,
    };
    bumpGeneration(next, deployment);
    ctx.store.update(key, next);
    ctx.events.record(
      next,
      'Normal',
      'DeploymentRollback',
      `Rolled back deployment "${fault.service}" to the previous revision`,
      {
        component: 'deployment-controller',
      },
    );
  }
}

/** The workload a rollout fault changes: the service's Deployment, else a StatefulSet of that name. */
export function workloadOf(ctx: ControllerContext, fault: Fault): [string, KubeObject | undefined] {
  const deployment = ctx.store.get(DEPLOYMENTS, fault.namespace, fault.service);
  if (deployment) return [DEPLOYMENTS, deployment];
  return [STATEFUL_SETS, ctx.store.get(STATEFUL_SETS, fault.namespace, fault.service)];
}

function bumpGeneration(next: KubeObject, current: KubeObject): void {
  next.metadata.generation = (current.metadata.generation ?? 1) + 1;
}

export function splitImage(image: string): { repo: string; tag: string } {
  const at = image.lastIndexOf(':');
  if (at > image.lastIndexOf('/')) return { repo: image.slice(0, at), tag: image.slice(at + 1) };
  return { repo: image, tag: 'latest' };
}

export function bumpVersion(tag: string): string {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(.*)$/.exec(tag);
  if (!m) return `${tag}-next`;
  return `${m[1]}.${m[2]}.${Number(m[3]) + 1}`;
}
