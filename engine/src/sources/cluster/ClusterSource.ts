import type { HealthCheck } from '../../health/HealthCheck.js';
import type { ClusterActuator } from '../../repair/executor/ClusterActuator.js';

/**
 * The engine's view of one Kubernetes cluster. KubernetesClusterSource implements it with @kubernetes/client-node,
 * against a real API server or the in-process simulated one (sim/), so the same code drives both.
 * Times are ISO-8601 strings as the API returns them.
 */

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

export interface Workload extends WorkloadRef {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The pod selector as a label-selector string, e.g. `app=cart`. */
  selector: string;
  replicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  /** `deployment.kubernetes.io/revision` for Deployments. */
  revision?: string;
  images: string[];
  generation: number;
  observedGeneration: number;
  conditions: Array<{
    type: string;
    status: string;
    reason?: string;
    message?: string;
    lastTransitionTime?: string;
  }>;
  createdAt?: string;
}

export interface ContainerState {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  /** `running`, `waiting` or `terminated`, with the reason Kubernetes gives (CrashLoopBackOff, OOMKilled, ...). */
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  reason?: string;
  message?: string;
  lastTerminationReason?: string;
  lastTerminatedAt?: string;
}

export interface PodInfo {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  phase: string;
  nodeName?: string;
  ready: boolean;
  restarts: number;
  containers: ContainerState[];
  conditions: Array<{ type: string; status: string; reason?: string; message?: string }>;
  ownerKind?: string;
  ownerName?: string;
  startedAt?: string;
  createdAt?: string;
}

export interface EventInfo {
  namespace: string;
  type: 'Normal' | 'Warning' | string;
  reason: string;
  message: string;
  involvedKind: string;
  involvedName: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
}

export interface NodeInfo {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  conditions: Array<{ type: string; status: string; reason?: string; message?: string }>;
  labels: Record<string, string>;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface LogOptions {
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  /** Stop after this many bytes, reading forward from sinceSeconds (how a window in the past is read: no "until"). */
  limitBytes?: number;
  timestamps?: boolean;
  previous?: boolean;
}

export type PatchType = 'merge' | 'strategic' | 'json';

export interface MutationOptions {
  /** Server-side dry run (`dryRun=All`): the API server validates and answers but persists nothing. */
  dryRun: boolean;
  fieldManager?: string;
}

export interface WatchEvent<T = unknown> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  /** PodInfo / EventInfo / Workload for the watched resource; the raw object (a Status for ERROR) otherwise. */
  object: T;
  /** The object's resourceVersion: pass the last one seen as `resourceVersion` to resume a watch. */
  resourceVersion?: string;
}

export interface WatchHandle {
  stop(): void;
}

/** A rollout revision (a Deployment's ReplicaSet), used as "recent change" evidence and for rollback. */
export interface RolloutRevision {
  revision: string;
  replicaSet: string;
  images: string[];
  createdAt?: string;
  replicas: number;
  /** Hash of the pod template (`pod-template-hash`). */
  templateHash?: string;
  /**
   * The revision's pod template as plain JSON, without the `pod-template-hash` label: rolling back is replacing the
   * workload's `/spec/template` with it, as `kubectl rollout undo` does.
   */
  podTemplate?: Record<string, unknown>;
}

export interface HorizontalPodAutoscalerInfo {
  namespace: string;
  name: string;
  target: WorkloadRef;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
}

/**
 * Leader election over a coordination.k8s.io/v1 Lease, so only one engine replica runs a loop (e.g. auto-repair).
 * Conflicts on the Lease's resourceVersion decide races between replicas.
 */
export interface LeaderLease {
  readonly identity: string;
  /** Becomes or stays leader; true while this identity holds an unexpired lease. Never throws on a lost race. */
  tryAcquireOrRenew(): Promise<boolean>;
  /** Gives the lease up if this identity holds it, so another replica can take over at once. */
  release(): Promise<void>;
}

export interface ClusterSource {
  /** The kubeconfig context name (or `simulated`). */
  readonly name: string;
  listNamespaces(): Promise<string[]>;
  listNodes(): Promise<NodeInfo[]>;
  listWorkloads(namespace: string, options?: ListOptions): Promise<Workload[]>;
  getWorkload(ref: WorkloadRef): Promise<Workload>;
  listPods(namespace: string, options?: ListOptions): Promise<PodInfo[]>;
  listEvents(namespace: string, options?: ListOptions): Promise<EventInfo[]>;
  podLogs(namespace: string, pod: string, options?: LogOptions): Promise<string>;
  rolloutHistory(ref: WorkloadRef): Promise<RolloutRevision[]>;
  listHorizontalPodAutoscalers(namespace: string): Promise<HorizontalPodAutoscalerInfo[]>;
  patchWorkload(
    ref: WorkloadRef,
    patch: unknown,
    type: PatchType,
    options: MutationOptions,
  ): Promise<Workload>;
  scaleWorkload(ref: WorkloadRef, replicas: number, options: MutationOptions): Promise<{ replicas: number }>;
  deletePod(namespace: string, name: string, options: MutationOptions): Promise<void>;
  /** Watches pods (or events) in a namespace; resumes from `resourceVersion` when given. */
  watch(
    resource: 'pods' | 'events' | 'deployments',
    namespace: string,
    options: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
    onError?: (error: unknown) => void,
  ): Promise<WatchHandle>;
  check(): Promise<HealthCheck>;
  /** A leader lease in a namespace (optional: sources without Leases leave it out). */
  leaderLease?(namespace: string, name: string, identity: string, leaseDurationSeconds?: number): LeaderLease;
  /** The repair loop's read/act port on this cluster (optional: read-only sources leave it out). */
  repairActuator?(): ClusterActuator;
}

/** Several named clusters (kubeconfig contexts); capabilities name the cluster they act on. */
export interface ClusterRegistry {
  names(): string[];
  get(name?: string): ClusterSource;
}
