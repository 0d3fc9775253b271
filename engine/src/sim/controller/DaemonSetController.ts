import { type KubeObject } from '../apiserver/KubeObject.js';
import {
  NODES,
  PODS,
  isFinished,
  isPodReady,
  isTerminating,
  ownedBy,
  saveStatusIfChanged,
  type ControllerContext,
} from './ControllerContext.js';
import { createOwnedPod, markPodDeleted } from './ownedPods.js';
import { REVISION_HASH, syncRevision } from './StatefulSetController.js';

export const DAEMON_SETS = 'apps/daemonsets';

/** The tolerations the DaemonSet controller adds to every daemon pod, so node trouble does not evict it. */
const DAEMON_TOLERATIONS = [
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/unschedulable',
].map((key) => ({
  key,
  operator: 'Exists',
  effect: key.endsWith('reachable') || key.endsWith('not-ready') ? 'NoExecute' : 'NoSchedule',
}));

interface DaemonSpec {
  template: { metadata?: { labels?: Record<string, string> }; spec: Record<string, unknown> };
  updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
}

/**
 * DaemonSet → one pod per node its nodeSelector admits, bound to the node directly (daemon pods tolerate cordons and
 * node trouble). RollingUpdate (default maxUnavailable 1): pods of an older revision that are not Ready go first at
 * no cost, Ready ones only while fewer than maxUnavailable daemon pods are unavailable, so a bad template stops after
 * one node and reverting the template replaces that pod at once.
 */
export class DaemonSetController {
  reconcile(ctx: ControllerContext): void {
    const pods = ctx.store.view(PODS);
    const nodes = ctx.store.view(NODES);
    for (const ds of ctx.store.view(DAEMON_SETS)) {
      if (ds.metadata.deletionTimestamp) continue;
      const spec = ds['spec'] as DaemonSpec;
      const hash = syncRevision(ctx, ds, spec.template).metadata.name.slice(ds.metadata.name.length + 1);
      const owned = pods.filter((p) => ownedBy(p, ds.metadata.uid) && !isFinished(p));
      const wanted = nodes.filter((n) => admits(spec, n));
      for (const node of wanted) {
        if (!owned.some((p) => nodeOf(p) === node.metadata.name))
          this.createPod(ctx, ds, spec, hash, node.metadata.name);
      }
      for (const pod of owned) {
        if (!wanted.some((n) => n.metadata.name === nodeOf(pod)) && !isTerminating(pod))
          this.deletePod(ctx, ds, pod);
      }
      if (spec.updateStrategy?.type !== 'OnDelete') this.rollOut(ctx, ds, spec, hash, owned, wanted.length);
      this.updateStatus(ctx, ds, hash, wanted.length, owned);
    }
  }

  private rollOut(
    ctx: ControllerContext,
    ds: KubeObject,
    spec: DaemonSpec,
    hash: string,
    owned: KubeObject[],
    desired: number,
  ): void {
    const live = owned.filter((p) => !isTerminating(p));
    const old = live.filter((p) => p.metadata.labels?.[REVISION_HASH] !== hash);
    for (const pod of old.filter((p) => !isPodReady(p))) this.deletePod(ctx, ds, pod);
    const maxUnavailable = Number(spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1) || 1;
    // Unavailable counts against the nodes that should run a daemon: a pod created this tick is not Ready yet.
    let budget = maxUnavailable - (desired - live.filter(isPodReady).length);
    for (const pod of old.filter(isPodReady)) {
      if (budget-- <= 0) break;
      this.deletePod(ctx, ds, pod);
    }
  }

  private createPod(
    ctx: ControllerContext,
    ds: KubeObject,
    spec: DaemonSpec,
    hash: string,
    node: string,
  ): void {
    const tolerations = [...((spec.template.spec['tolerations'] as unknown[]) ?? []), ...DAEMON_TOLERATIONS];
    const pod = createOwnedPod(ctx, ds, spec.template, {
      labels: { [REVISION_HASH]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
      spec: { nodeName: node, tolerations },
    });
    ctx.events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
      component: 'daemonset-controller',
    });
  }

  private deletePod(ctx: ControllerContext, ds: KubeObject, pod: KubeObject): void {
    markPodDeleted(ctx, pod);
    ctx.events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, {
      component: 'daemonset-controller',
    });
  }

  private updateStatus(
    ctx: ControllerContext,
    ds: KubeObject,
    hash: string,
    desired: number,
    owned: KubeObject[],
  ): void {
    const live = owned.filter((p) => !isTerminating(p));
    const ready = live.filter(isPodReady).length;
    const status = {
      observedGeneration: ds.metadata.generation ?? 1,
      desiredNumberScheduled: desired,
      currentNumberScheduled: live.length,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}),
      updatedNumberScheduled: live.filter((p) => p.metadata.labels?.[REVISION_HASH] === hash).length,
    };
    saveStatusIfChanged(ctx.store, DAEMON_SETS, ds, status);
  }
}

const nodeOf = (pod: KubeObject) => (pod['spec'] as { nodeName?: string }).nodeName;

/** The template's nodeSelector against the node's labels (no affinity: the sim's daemons run everywhere else). */
function admits(spec: DaemonSpec, node: KubeObject): boolean {
  const selector = (spec.template.spec['nodeSelector'] ?? {}) as Record<string, string>;
  return Object.entries(selector).every(([k, v]) => node.metadata.labels?.[k] === v);
}
