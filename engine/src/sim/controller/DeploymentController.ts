import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import {
  DEPLOYMENTS,
  REPLICA_SETS,
  ownedBy,
  saveStatusIfChanged,
  settledSince,
  type ControllerContext,
} from './ControllerContext.js';
import { hashString, safeEncode } from './random.js';
import { stableJson } from './stableJson.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const TEMPLATE_HASH = 'pod-template-hash';

interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: unknown;
  };
  strategy?: {
    type?: string;
    rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
  };
  paused?: boolean;
}

interface RsStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

/** `pod-template-hash`: a stable hash of the pod template, as the deployment controller computes it. */
export function templateHash(template: unknown): string {
  if (typeof template !== 'object' || template === null) return safeEncode(hashString(stableJson(template)));
  let hash = HASHES.get(template);
  if (hash === undefined) {
    hash = safeEncode(hashString(stableJson(dropEmpty(template))));
    HASHES.set(template, hash);
  }
  return hash;
}

/**
 * The hash is taken over what Go would marshal: fields tagged omitempty vanish when zero, so a template kubectl sends
 * back (`kubectl rollout undo`) without `initialDelaySeconds: 0` or with `creationTimestamp: null` is the same template.
 */
function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? value.map(dropEmpty) : undefined;
  if (value === null || value === 0 || value === false || value === '') return undefined;
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const kept = dropEmpty(v);
    if (kept !== undefined) out[k] = kept;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Stored objects are replaced, never changed in place, so a template object's hash can be remembered. */
const HASHES = new WeakMap<object, string>();

export const revisionOf = (obj: KubeObject): number => Number(obj.metadata.annotations?.[REVISION] ?? 0);
const replicasOf = (rs: KubeObject): number => Number((rs['spec'] as { replicas?: number }).replicas ?? 0);
const statusOf = (rs: KubeObject): RsStatus => (rs['status'] ?? {}) as RsStatus;

/** maxSurge / maxUnavailable: ints or percentages of the desired count (surge rounds up, unavailable down). */
export function rollingBounds(spec: DeploymentSpec): { maxSurge: number; maxUnavailable: number } {
  if (spec.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: spec.replicas };
  const resolve = (value: number | string | undefined, fallback: string, roundUp: boolean): number => {
    const v = value ?? fallback;
    if (typeof v === 'number') return v;
    const pct = /^(\d+)%$/.exec(v);
    if (!pct) return Number(v) || 0;
    const exact = (Number(pct[1]) / 100) * spec.replicas;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  };
  const maxSurge = resolve(spec.strategy?.rollingUpdate?.maxSurge, '25%', true);
  let maxUnavailable = resolve(spec.strategy?.rollingUpdate?.maxUnavailable, '25%', false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/**
 * Deployment → ReplicaSets: one ReplicaSet per distinct pod template, the newest revision scaled up within maxSurge,
 * older ones scaled down while availability stays above desired − maxUnavailable; then the Deployment's status.
 */
export class DeploymentController {
  /** Tick of the last progress per deployment uid, for ProgressDeadlineExceeded. */
  private readonly lastProgress = new Map<string, { tick: number; signature: string }>();

  reconcile(ctx: ControllerContext): void {
    const replicaSets = ctx.store.view(REPLICA_SETS);
    for (const deployment of ctx.store.view(DEPLOYMENTS)) {
      if (deployment.metadata.deletionTimestamp) continue;
      const owned = replicaSets.filter((rs) => ownedBy(rs, deployment.metadata.uid));
      this.reconcileOne(ctx, deployment, owned);
    }
  }

  private reconcileOne(ctx: ControllerContext, deployment: KubeObject, owned: KubeObject[]): void {
    const spec = deployment['spec'] as DeploymentSpec;
    const hash = templateHash(spec.template);
    const maxRevision = Math.max(0, ...owned.map(revisionOf));
    let newRs = owned.find((rs) => rs.metadata.labels?.[TEMPLATE_HASH] === hash);
    if (!newRs) {
      newRs = this.createReplicaSet(ctx, deployment, spec, hash, maxRevision + 1);
    } else if (revisionOf(newRs) < maxRevision) {
      // The template went back to an older one (rollback): that ReplicaSet becomes the newest revision again.
      const next = clone(newRs);
      next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: String(maxRevision + 1) };
      newRs = ctx.store.update(REPLICA_SETS, next);
    }
    const oldSets = owned
      .filter((rs) => rs.metadata.uid !== newRs!.metadata.uid)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    if (!spec.paused) this.scale(ctx, deployment, spec, newRs, oldSets);
  }

  /** Runs after the kubelet, so the status reflects this tick's pods. */
  updateStatuses(ctx: ControllerContext): void {
    const replicaSets = ctx.store.view(REPLICA_SETS);
    for (const deployment of ctx.store.view(DEPLOYMENTS)) {
      const spec = deployment['spec'] as DeploymentSpec;
      const owned = replicaSets.filter((rs) => ownedBy(rs, deployment.metadata.uid));
      const hash = templateHash(spec.template);
      const newRs = owned.find((rs) => rs.metadata.labels?.[TEMPLATE_HASH] === hash);
      if (!newRs) continue;
      const oldSets = owned.filter((rs) => rs.metadata.uid !== newRs.metadata.uid);
      this.updateStatus(ctx, deployment, spec, newRs, oldSets);
    }
  }

  private createReplicaSet(
    ctx: ControllerContext,
    deployment: KubeObject,
    spec: DeploymentSpec,
    hash: string,
    revision: number,
  ): KubeObject {
    const labels = { ...spec.template.metadata?.labels, [TEMPLATE_HASH]: hash };
    const template = clone(spec.template);
    template.metadata = { ...template.metadata, labels };
    const changeCause = deployment.metadata.annotations?.['kubernetes.io/change-cause'];
    const rolloutKey = `${deployment.metadata.namespace}/${deployment.metadata.name}`;
    // A backdated fault's rollout is dated when it began; the seeded shop's first ReplicaSets when the shop was.
    const createdAt =
      ctx.rolloutTimes.get(rolloutKey) ?? (ctx.settling ? settledSince(ctx.now()) : undefined);
    ctx.rolloutTimes.delete(rolloutKey);
    return ctx.store.create(REPLICA_SETS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${deployment.metadata.name}-${hash}`,
        namespace: deployment.metadata.namespace,
        labels,
        annotations: {
          [REVISION]: String(revision),
          'deployment.kubernetes.io/desired-replicas': String(spec.replicas),
          'deployment.kubernetes.io/max-replicas': String(spec.replicas + rollingBounds(spec).maxSurge),
          ...(changeCause ? { 'kubernetes.io/change-cause': changeCause } : {}),
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: deployment.metadata.name,
            uid: deployment.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        generation: 1,
        ...(createdAt ? { creationTimestamp: createdAt } : {}),
      },
      spec: {
        replicas: 0,
        selector: { ...spec.selector, matchLabels: { ...spec.selector.matchLabels, [TEMPLATE_HASH]: hash } },
        template,
      },
      status: { replicas: 0 },
    });
  }

  private scale(
    ctx: ControllerContext,
    deployment: KubeObject,
    spec: DeploymentSpec,
    newRs: KubeObject,
    oldSets: KubeObject[],
  ): void {
    const desired = spec.replicas;
    const { maxSurge, maxUnavailable } = rollingBounds(spec);
    const oldTotal = oldSets.reduce((n, rs) => n + replicasOf(rs), 0);
    let newTarget: number;
    if (oldTotal === 0) {
      newTarget = desired;
    } else if (spec.strategy?.type === 'Recreate') {
      newTarget = 0;
    } else {
      const total = oldTotal + replicasOf(newRs);
      newTarget = Math.min(desired, replicasOf(newRs) + Math.max(0, desired + maxSurge - total));
      newTarget = Math.max(newTarget, Math.min(replicasOf(newRs), desired));
    }
    this.setReplicas(ctx, deployment, newRs, newTarget);

    if (oldTotal === 0) return;
    const available = [newRs, ...oldSets].reduce((n, rs) => n + (statusOf(rs).availableReplicas ?? 0), 0);
    let removable =
      spec.strategy?.type === 'Recreate' ? oldTotal : Math.max(0, available - (desired - maxUnavailable));
    for (const rs of oldSets) {
      const current = replicasOf(rs);
      if (current === 0) continue;
      // Unavailable old pods go first and cost no availability; available ones only within the budget.
      const unhealthy = Math.max(0, current - (statusOf(rs).availableReplicas ?? 0));
      const healthyToRemove = Math.min(current - unhealthy, removable);
      removable -= healthyToRemove;
      this.setReplicas(ctx, deployment, rs, current - unhealthy - healthyToRemove);
    }
  }

  private setReplicas(
    ctx: ControllerContext,
    deployment: KubeObject,
    rs: KubeObject,
    replicas: number,
  ): void {
    const current = replicasOf(rs);
    if (current === replicas) return;
    const next = clone(rs);
    (next['spec'] as { replicas: number }).replicas = replicas;
    next.metadata.generation = (rs.metadata.generation ?? 1) + 1;
    next.metadata.annotations = {
      ...next.metadata.annotations,
      'deployment.kubernetes.io/desired-replicas': String((deployment['spec'] as DeploymentSpec).replicas),
    };
    ctx.store.update(REPLICA_SETS, next);
    const verb = replicas > current ? 'up' : 'down';
    ctx.events.record(
      deployment,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${verb} replica set ${rs.metadata.name} from ${current} to ${replicas}`,
      { component: 'deployment-controller' },
    );
  }

  private updateStatus(
    ctx: ControllerContext,
    deployment: KubeObject,
    spec: DeploymentSpec,
    newRs: KubeObject,
    oldSets: KubeObject[],
  ): void {
    const all = [newRs, ...oldSets];
    const sum = (f: (s: RsStatus) => number | undefined) =>
      all.reduce((n, rs) => n + (f(statusOf(rs)) ?? 0), 0);
    const replicas = sum((s) => s.replicas);
    const readyReplicas = sum((s) => s.readyReplicas);
    const availableReplicas = sum((s) => s.availableReplicas);
    const updatedReplicas = statusOf(newRs).replicas ?? 0;
    const { maxUnavailable } = rollingBounds(spec);
    const time = ctx.now().toISOString();
    const previous = (deployment['status'] as { conditions?: Condition[] })?.conditions ?? [];
    const condition = (type: string, status: string, reason: string, message: string): Condition => {
      const old = previous.find((c) => c.type === type);
      const same = old && old.status === status && old.reason === reason;
      return {
        type,
        status,
        reason,
        message,
        lastUpdateTime: same ? old.lastUpdateTime : time,
        lastTransitionTime: old && old.status === status ? old.lastTransitionTime : time,
      };
    };
    const available =
      availableReplicas >= spec.replicas - maxUnavailable
        ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : condition(
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
          );
    const complete =
      updatedReplicas === spec.replicas &&
      replicas === spec.replicas &&
      availableReplicas === spec.replicas &&
      oldSets.every((rs) => (statusOf(rs).replicas ?? 0) === 0);
    const signature = `${newRs.metadata.name}|${updatedReplicas}|${availableReplicas}|${replicas}`;
    const progress = this.lastProgress.get(deployment.metadata.uid!);
    if (!progress || progress.signature !== signature) {
      this.lastProgress.set(deployment.metadata.uid!, { tick: ctx.tick, signature });
    }
    const stalledTicks = ctx.tick - (this.lastProgress.get(deployment.metadata.uid!)?.tick ?? ctx.tick);
    const rsName = newRs.metadata.name;
    // As the real controller (DeploymentTimedOut): a rollout that completed never times out afterwards; pods that
    // later go unready (a node lost) do not make a finished rollout "stuck". Only a new ReplicaSet starts the clock.
    const before = previous.find((c) => c.type === 'Progressing');
    // The seeded shop's first ReplicaSets finished rolling out when the shop was created, days before a fault began
    // (settledSince): a crash loop under way when the cluster starts made them "time out" 30 ticks later, a
    // RolloutStuck finding and a second incident for a Deployment nobody had changed (found walking the demo).
    const seeded =
      ctx.settling &&
      Date.parse(newRs.metadata.creationTimestamp ?? '') <= Date.parse(settledSince(ctx.now()));
    const settled =
      seeded || (before?.reason === 'NewReplicaSetAvailable' && before.message?.includes(`"${rsName}"`));
    let progressing: Condition;
    if (complete || settled) {
      progressing = condition(
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${rsName}" has successfully progressed.`,
      );
    } else if (stalledTicks >= ctx.tuning.progressDeadlineTicks) {
      progressing = condition(
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${rsName}" has timed out progressing.`,
      );
    } else {
      progressing = condition(
        'Progressing',
        'True',
        'ReplicaSetUpdated',
        `ReplicaSet "${rsName}" is progressing.`,
      );
    }
    const annotations = { ...deployment.metadata.annotations, [REVISION]: String(revisionOf(newRs)) };
    const status = {
      observedGeneration: deployment.metadata.generation ?? 1,
      replicas,
      updatedReplicas,
      readyReplicas,
      availableReplicas,
      ...(replicas - availableReplicas > 0 || spec.replicas - availableReplicas > 0
        ? { unavailableReplicas: Math.max(0, spec.replicas - availableReplicas) }
        : {}),
      conditions: [available, progressing],
    };
    saveStatusIfChanged(ctx.store, DEPLOYMENTS, deployment, status, annotations);
  }
}
