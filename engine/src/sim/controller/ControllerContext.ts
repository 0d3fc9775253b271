import type { KubeObject } from '../apiserver/KubeObject.js';
import type { ObjectStore } from '../apiserver/ObjectStore.js';
import type { FaultLedger } from '../faults.js';
import type { EventRecorder } from './EventRecorder.js';
import type { FaultView } from './FaultView.js';
import type { LogBook } from './LogBook.js';
import type { RestartBook } from './RestartBook.js';
import type { Random } from './random.js';

export const PODS = '/pods';
export const NODES = '/nodes';
export const NAMESPACES = '/namespaces';
export const SERVICES = '/services';
export const DEPLOYMENTS = 'apps/deployments';
export const REPLICA_SETS = 'apps/replicasets';
export const HPAS = 'autoscaling/horizontalpodautoscalers';

/** Timings of the simulated kubelet and controllers: in ticks, or in seconds of cluster time where named so. */
export interface ControllerTuning {
  /** Ticks from container start until the readiness probe first passes. */
  readyAfterTicks: number;
  /** Ticks a faulty container runs before it dies. */
  crashAfterTicks: number;
  /**
   * First CrashLoopBackOff / ImagePullBackOff wait in seconds; each failure doubles it (the kubelet's 10 s). In seconds
   * of cluster time, not ticks, so the demo's restarts and BackOff counts match a real cluster's whatever a tick is.
   */
  backoffInitialSeconds: number;
  /** Longest back-off wait in seconds (the kubelet's 5 minute cap). */
  backoffMaxSeconds: number;
  /** Seconds a container must run without failing before its back-off starts again from the first wait (10 min). */
  backoffResetSeconds: number;
  /**
   * Seconds between the kubelet's retries of a pod in back-off (its pod worker requeues a failed sync after 10 s):
   * each retry records another BackOff event, so a 15-minute crash loop shows tens of them, not one per tick.
   */
  backoffRetrySeconds: number;
  /** Ticks without rollout progress before Progressing=False (ProgressDeadlineExceeded). */
  progressDeadlineTicks: number;
  /** Ticks a node stays NotReady before its pods are evicted. */
  evictAfterTicks: number;
  /** Seconds an Event lives after it was last seen (kube-apiserver's --event-ttl, 1h). */
  eventTtlSeconds: number;
  /**
   * Seconds of cluster time one tick stands for (the demo ticks every second): how many ticks a back-off lasts
   * (backoff.ts), and how many ticks a fault that began before the kubelet saw it (backdated, or older than the
   * cluster) has already run for (crashLoopReplay.ts).
   */
  secondsPerTick: number;
}

export const DEFAULT_TUNING: ControllerTuning = {
  readyAfterTicks: 2,
  crashAfterTicks: 1,
  backoffInitialSeconds: 10,
  backoffMaxSeconds: 300,
  backoffResetSeconds: 600,
  backoffRetrySeconds: 10,
  progressDeadlineTicks: 30,
  evictAfterTicks: 30,
  eventTtlSeconds: 3600,
  secondsPerTick: 1,
};

export interface ControllerContext {
  store: ObjectStore;
  ledger: FaultLedger;
  faults: FaultView;
  events: EventRecorder;
  logs: LogBook;
  /** When containers restarted: pod statuses and the demo's restart metric read it. */
  restarts: RestartBook;
  /** Seeded stream for names and log noise. */
  random: Random;
  seed: number;
  tick: number;
  /**
   * True while the cluster settles its seeded workloads: their ReplicaSets, pods and containers count as created and
   * running since SETTLED_AGE_SECONDS before the cluster's clock began (settledSince).
   */
  settling: boolean;
  now(): Date;
  tuning: ControllerTuning;
  /**
   * When a fault's rollout began, by `namespace/deployment`: a backdated fault (the demo opens on an incident already
   * under way) gets a ReplicaSet created at the fault's start, so "recent change" evidence lines up with the metrics.
   */
  rolloutTimes: Map<string, string>;
}

/**
 * How long the seeded workloads had been running when the cluster's clock began: two days, longer than the kubelet
 * catches up on (a day), so every crash loop a settled pod replays happened after the pod was created, and kubectl
 * shows `AGE 2d` beside its restarts, not seconds.
 */
export const SETTLED_AGE_SECONDS = 2 * 24 * 3600;

/** When the seeded workloads were created (ISO time). */
export function settledSince(now: Date): string {
  return new Date(now.getTime() - SETTLED_AGE_SECONDS * 1000).toISOString();
}

/**
 * When a pod's startup (scheduling, image pull, container start) happened: now, or for a pod the cluster settles with,
 * when it was created. Its startup events carry that time, so a two-day-old pod's are not shown seconds old, and the
 * event TTL drops them as a real API server would have long ago.
 */
export function startupTime(ctx: ControllerContext, pod: KubeObject): Date {
  const created = Date.parse(pod.metadata.creationTimestamp ?? '');
  return ctx.settling && Number.isFinite(created) ? new Date(created) : ctx.now();
}

/**
 * Writes a new status (and annotations) only when they changed, so an idle cluster does not churn resourceVersions
 * and watches. Compares before copying: copying every object every tick is what made ticks slow.
 */
export function saveStatusIfChanged(
  store: ObjectStore,
  key: string,
  obj: KubeObject,
  status: unknown,
  annotations?: Record<string, string>,
): void {
  const sameStatus = JSON.stringify(status) === JSON.stringify(obj['status']);
  const sameAnnotations =
    !annotations || JSON.stringify(annotations) === JSON.stringify(obj.metadata.annotations);
  if (sameStatus && sameAnnotations) return;
  store.update(key, {
    ...obj,
    metadata: { ...obj.metadata, ...(annotations ? { annotations } : {}) },
    status,
  });
}

export function ownedBy(obj: KubeObject, uid: string | undefined): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.controller);
}

export function controllerOf(obj: KubeObject): { kind: string; name: string; uid: string } | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
}

export function isPodReady(pod: KubeObject): boolean {
  const conditions =
    (pod['status'] as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export const isTerminating = (obj: KubeObject): boolean => Boolean(obj.metadata.deletionTimestamp);

/** Failed or Succeeded: the pod runs nothing and its controller no longer counts it (an Evicted pod, say). */
export const isFinished = (pod: KubeObject): boolean => {
  const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
  return phase === 'Failed' || phase === 'Succeeded';
};
