import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import {
  PODS,
  isFinished,
  isPodReady,
  isTerminating,
  ownedBy,
  saveStatusIfChanged,
  type ControllerContext,
} from './ControllerContext.js';
import { templateHash } from './DeploymentController.js';
import { createOwnedPod, markPodDeleted, ownerRef } from './ownedPods.js';

export const STATEFUL_SETS = 'apps/statefulsets';
export const CONTROLLER_REVISIONS = 'apps/controllerrevisions';
export const REVISION_HASH = 'controller-revision-hash';

interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

/**
 * A workload's history as the StatefulSet and DaemonSet controllers keep it: one ControllerRevision per distinct pod
 * template (`<name>-<hash>`, `revision` counting up). Going back to an earlier template re-numbers that revision as
 * the newest instead of creating a copy, as the real controllers do; `kubectl rollout history/undo` read these.
 */
export function syncRevision(ctx: ControllerContext, workload: KubeObject, template: Template): KubeObject {
  const owned = ctx.store
    .view(CONTROLLER_REVISIONS, workload.metadata.namespace)
    .filter((cr) => ownedBy(cr, workload.metadata.uid));
  const hash = templateHash(template);
  const name = `${workload.metadata.name}-${hash}`;
  const max = Math.max(0, ...owned.map((cr) => Number(cr['revision'] ?? 0)));
  const existing = owned.find((cr) => cr.metadata.name === name);
  if (existing) {
    if (Number(existing['revision']) >= max) return existing;
    return ctx.store.update(CONTROLLER_REVISIONS, { ...clone(existing), revision: max + 1 });
  }
  const selector = (workload['spec'] as { selector?: { matchLabels?: Record<string, string> } }).selector;
  return ctx.store.create(CONTROLLER_REVISIONS, {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: workload.metadata.namespace,
      labels: { ...selector?.matchLabels, 'controller.kubernetes.io/hash': hash },
      ownerReferences: [ownerRef(workload)],
    },
    // The real data is a strategic-merge patch that replaces the template; `kubectl rollout undo` applies it.
    data: { spec: { template: { ...clone(template), $patch: 'replace' } } },
    revision: max + 1,
  });
}

const ordinalOf = (sts: KubeObject, pod: KubeObject): number =>
  Number(pod.metadata.name.slice(sts.metadata.name.length + 1));

/**
 * StatefulSet → Pods `<name>-0…<name>-(n-1)`, with the default OrderedReady policy and RollingUpdate strategy: a
 * pod is created only when every lower ordinal is Running and Ready, scale-down removes the highest ordinal first,
 * and an update replaces pods from the highest ordinal down, one at a time, each only after the previous is Ready.
 * Like the real controller (the "forced rollback" caveat in the StatefulSet docs), a pod of a bad revision that never
 * becomes Ready stalls everything: reverting the template alone does not replace it; the broken pod must be deleted.
 */
export class StatefulSetController {
  reconcile(ctx: ControllerContext): void {
    const pods = ctx.store.view(PODS);
    for (const sts of ctx.store.view(STATEFUL_SETS)) {
      if (sts.metadata.deletionTimestamp) continue;
      const spec = sts['spec'] as {
        replicas?: number;
        template: Template;
        updateStrategy?: { type?: string };
      };
      const update = syncRevision(ctx, sts, spec.template);
      const owned = pods.filter((p) => ownedBy(p, sts.metadata.uid) && !isFinished(p));
      this.step(ctx, sts, spec, update.metadata.name, owned);
      this.updateStatus(ctx, sts, update.metadata.name, owned);
    }
  }

  private step(
    ctx: ControllerContext,
    sts: KubeObject,
    spec: { replicas?: number; template: Template; updateStrategy?: { type?: string } },
    revision: string,
    owned: KubeObject[],
  ): void {
    const replicas = spec.replicas ?? 1;
    const byOrdinal = new Map(owned.map((p) => [ordinalOf(sts, p), p]));
    if (owned.some(isTerminating)) return;
    for (let i = 0; i < replicas; i++) {
      const pod = byOrdinal.get(i);
      if (!pod) {
        this.createPod(ctx, sts, spec.template, revision, i);
        return;
      }
      if (!isRunningAndReady(pod)) return;
    }
    const extra = [...byOrdinal.keys()].filter((i) => i >= replicas).sort((a, b) => b - a)[0];
    if (extra !== undefined) {
      this.deletePod(ctx, sts, byOrdinal.get(extra)!);
      return;
    }
    if (spec.updateStrategy?.type === 'OnDelete') return;
    for (let i = replicas - 1; i >= 0; i--) {
      const pod = byOrdinal.get(i)!;
      if (pod.metadata.labels?.[REVISION_HASH] !== revision) {
        this.deletePod(ctx, sts, pod);
        return;
      }
    }
  }

  private createPod(
    ctx: ControllerContext,
    sts: KubeObject,
    template: Template,
    revision: string,
    ordinal: number,
  ): void {
    const name = `${sts.metadata.name}-${ordinal}`;
    const serviceName = (sts['spec'] as { serviceName?: string }).serviceName;
    createOwnedPod(ctx, sts, template, {
      name,
      labels: {
        [REVISION_HASH]: revision,
        'statefulset.kubernetes.io/pod-name': name,
        'apps.kubernetes.io/pod-index': String(ordinal),
      },
      spec: { hostname: name, ...(serviceName ? { subdomain: serviceName } : {}) },
    });
    ctx.events.record(
      sts,
      'Normal',
      'SuccessfulCreate',
      `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`,
      { component: 'statefulset-controller' },
    );
  }

  private deletePod(ctx: ControllerContext, sts: KubeObject, pod: KubeObject): void {
    markPodDeleted(ctx, pod);
    ctx.events.record(
      sts,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`,
      { component: 'statefulset-controller' },
    );
  }

  private updateStatus(ctx: ControllerContext, sts: KubeObject, revision: string, owned: KubeObject[]): void {
    const live = owned.filter((p) => !isTerminating(p));
    const ready = live.filter(isPodReady).length;
    const updated = live.filter((p) => p.metadata.labels?.[REVISION_HASH] === revision).length;
    const replicas = Number((sts['spec'] as { replicas?: number }).replicas ?? 1);
    const previous = (sts['status'] ?? {}) as { currentRevision?: string };
    const done = updated === replicas && live.length === replicas && ready === replicas;
    const currentRevision = done ? revision : (previous.currentRevision ?? revision);
    const status = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      currentReplicas: live.filter((p) => p.metadata.labels?.[REVISION_HASH] === currentRevision).length,
      updatedReplicas: updated,
      currentRevision,
      updateRevision: revision,
      collisionCount: 0,
    };
    saveStatusIfChanged(ctx.store, STATEFUL_SETS, sts, status);
  }
}

/** The pod runs and passes readiness: what OrderedReady waits for before touching the next ordinal. */
function isRunningAndReady(pod: KubeObject): boolean {
  return (pod['status'] as { phase?: string } | undefined)?.phase === 'Running' && isPodReady(pod);
}
