import type { KubeObject } from '../apiserver/KubeObject.js';
import { PDBS, isHealthy } from '../apiserver/evictPod.js';
import { selectorString } from '../apiserver/groups/apps.js';
import { matchesLabels, parseLabelSelector } from '../apiserver/selectors.js';
import {
  DEPLOYMENTS,
  PODS,
  REPLICA_SETS,
  controllerOf,
  saveStatusIfChanged,
  type ControllerContext,
} from './ControllerContext.js';
import { STATEFUL_SETS } from './StatefulSetController.js';

/** Seconds an eviction stays in disruptedPods unless the pod is gone first (the controller's DeletionTimeout). */
const DELETION_TIMEOUT_SECONDS = 120;

type IntOrPercent = number | string | undefined;

interface PdbSpec {
  minAvailable?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
  selector?: unknown;
}

/**
 * The disruption controller: each PodDisruptionBudget's status (expectedPods, currentHealthy, desiredHealthy,
 * disruptionsAllowed, the DisruptionAllowed condition), which the eviction subresource reads and decrements. As in
 * kube-controller-manager, an integer minAvailable counts the pods that exist; a percentage or maxUnavailable counts
 * the replicas the pods' controllers ask for.
 */
export class DisruptionController {
  reconcile(ctx: ControllerContext): void {
    for (const pdb of ctx.store.view(PDBS)) this.reconcileOne(ctx, pdb);
  }

  private reconcileOne(ctx: ControllerContext, pdb: KubeObject): void {
    const spec = (pdb['spec'] ?? {}) as PdbSpec;
    const previous = (pdb['status'] ?? {}) as {
      disruptedPods?: Record<string, string>;
      conditions?: Array<Record<string, unknown>>;
    };
    const pods =
      spec.selector === undefined || spec.selector === null
        ? []
        : ctx.store
            .view(PODS, pdb.metadata.namespace)
            .filter((p) =>
              matchesLabels(
                parseLabelSelector(selectorString(spec.selector) || undefined),
                p.metadata.labels,
              ),
            );
    const now = ctx.now().getTime();
    const disruptedPods = Object.fromEntries(
      Object.entries(previous.disruptedPods ?? {}).filter(([name, at]) => {
        const pod = pods.find((p) => p.metadata.name === name);
        return (
          pod && !pod.metadata.deletionTimestamp && now - Date.parse(at) < DELETION_TIMEOUT_SECONDS * 1000
        );
      }),
    );
    const currentHealthy = pods.filter((p) => isHealthy(p) && !(p.metadata.name in disruptedPods)).length;
    const { expectedPods, desiredHealthy } = this.desired(ctx, spec, pods);
    const disruptionsAllowed = Math.max(0, currentHealthy - desiredHealthy);
    const allowed = disruptionsAllowed > 0;
    const old = previous.conditions?.find((c) => c['type'] === 'DisruptionAllowed');
    const same = old?.['status'] === (allowed ? 'True' : 'False');
    const status = {
      observedGeneration: pdb.metadata.generation ?? 1,
      ...(Object.keys(disruptedPods).length ? { disruptedPods } : {}),
      disruptionsAllowed,
      currentHealthy,
      desiredHealthy,
      expectedPods,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: allowed ? 'True' : 'False',
          reason: allowed ? 'SufficientPods' : 'InsufficientPods',
          message: '',
          observedGeneration: pdb.metadata.generation ?? 1,
          lastTransitionTime: same ? old['lastTransitionTime'] : ctx.now().toISOString(),
        },
      ],
    };
    saveStatusIfChanged(ctx.store, PDBS, pdb, status);
  }

  private desired(
    ctx: ControllerContext,
    spec: PdbSpec,
    pods: KubeObject[],
  ): { expectedPods: number; desiredHealthy: number } {
    if (typeof spec.minAvailable === 'number') {
      return { expectedPods: pods.length, desiredHealthy: spec.minAvailable };
    }
    const expectedPods = this.expectedReplicas(ctx, pods);
    if (spec.minAvailable !== undefined) {
      return { expectedPods, desiredHealthy: scaled(spec.minAvailable, expectedPods) };
    }
    if (spec.maxUnavailable !== undefined) {
      return {
        expectedPods,
        desiredHealthy: Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods)),
      };
    }
    return { expectedPods, desiredHealthy: 0 };
  }

  /** The replicas the pods' controllers want: a ReplicaSet's Deployment, or the StatefulSet / ReplicaSet itself. */
  private expectedReplicas(ctx: ControllerContext, pods: KubeObject[]): number {
    const seen = new Map<string, number>();
    const looked = new Set<string>();
    for (const pod of pods) {
      const owner = controllerOf(pod);
      // One lookup per owner: store.get copies the object.
      if (!owner || looked.has(owner.uid)) continue;
      looked.add(owner.uid);
      let scaleOwner: KubeObject | undefined;
      if (owner.kind === 'ReplicaSet') {
        const rs = ctx.store.get(REPLICA_SETS, pod.metadata.namespace, owner.name);
        const top = rs && controllerOf(rs);
        scaleOwner =
          top?.kind === 'Deployment' ? ctx.store.get(DEPLOYMENTS, pod.metadata.namespace, top.name) : rs;
      } else if (owner.kind === 'StatefulSet') {
        scaleOwner = ctx.store.get(STATEFUL_SETS, pod.metadata.namespace, owner.name);
      }
      if (scaleOwner)
        seen.set(
          scaleOwner.metadata.uid!,
          Number((scaleOwner['spec'] as { replicas?: number }).replicas ?? 0),
        );
    }
    return seen.size ? [...seen.values()].reduce((a, b) => a + b, 0) : pods.length;
  }
}

/** intstr.GetScaledValueFromIntOrPercent with rounding up, as the disruption controller calls it. */
function scaled(value: IntOrPercent, total: number): number {
  if (typeof value === 'number') return value;
  const pct = /^(\d+)%$/.exec(String(value));
  return pct ? Math.ceil((Number(pct[1]) / 100) * total) : Number(value) || 0;
}
