import type { V1Node } from '@kubernetes/client-node';
import type { Finding, ObjectRef, RepairPolicy, RecentAction } from '../types.js';
import {
  allocatableMemory,
  isControlPlane,
  isPodReady,
  isSchedulableWorker,
  isTerminal,
  isTerminating,
  isWorkloadNode,
  podCondition,
} from '../snapshot/podStatus.js';
import { parseQuantity } from '../snapshot/quantity.js';
import {
  isFailingPod,
  revisionHolding,
  workloadRevisions,
  type RevisionInfo,
} from '../snapshot/revisions.js';
import { refKey, type AnyObject, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { toMillis } from '../snapshot/time.js';

export interface PlanContext {
  index: SnapshotIndex;
  policy: RepairPolicy;
  now: Date;
  history: RecentAction[];
}

export interface RolloutFacts {
  /** The failing pods belong to the newest revision, created within an hour before the failure began. */
  began: boolean;
  /** The revision before the failing one had available pods and none of its pods fail. */
  previousHealthy: boolean;
  failing?: RevisionInfo;
  previous?: RevisionInfo;
}

export interface MemoryChange {
  container: string;
  fromBytes: number;
  toBytes: number;
}

export interface MemoryRaise {
  fits: boolean;
  changes: MemoryChange[];
  largestNodeBytes: number;
  reason?: string;
}

/** A failure that starts more than this long after its revision was created did not come with the rollout. */
const ROLLOUT_WINDOW_MS = 3_600_000;
const POD_LEVEL = new Set([
  'CrashLoopBackOff',
  'OOMKilled',
  'ImagePullBackOff',
  'CreateContainerConfigError',
  'Unschedulable',
  'ProbeFailing',
  'Evicted',
]);

/**
 * What the planner knows about one finding, computed on first use from the snapshot index: the facts behind every
 * rule condition and every safety guard, so conditions and guards agree by construction.
 */
export class FindingFacts {
  private rolloutCache?: RolloutFacts;

  constructor(
    readonly finding: Finding,
    readonly ctx: PlanContext,
  ) {}

  get index(): SnapshotIndex {
    return this.ctx.index;
  }

  /** False for a pod nothing owns (a bare pod): the finding's object is then the pod itself. */
  get ownedByController(): boolean {
    const f = this.finding;
    if (!POD_LEVEL.has(f.type)) return true;
    return !(f.object.kind === 'Pod' && f.owners.length === 0);
  }

  get rollout(): RolloutFacts {
    this.rolloutCache ??= this.computeRollout();
    return this.rolloutCache;
  }

  private computeRollout(): RolloutFacts {
    const f = this.finding;
    const workload = f.type === 'RolloutStuck' ? f.object : f.workload;
    const revisions = workloadRevisions(this.index, workload);
    if (revisions.length < 2) return { began: false, previousHealthy: false };
    const newest = revisions[revisions.length - 1]!;
    const failing = f.details.pods?.length ? revisionHolding(revisions, f.details.pods) : newest;
    if (!failing) return { began: false, previousHealthy: false };
    const previous = revisions.filter((r) => r.revision < failing.revision).pop();
    const sinceMs = toMillis(f.since) ?? this.ctx.now.getTime();
    // Tied to the revision: the failure began soon after it was created, or the revision has never served while
    // the rollout is still under way (an older revision keeps pods), however long ago it started.
    const soonAfter = failing.createdMs > 0 && sinceMs - failing.createdMs <= ROLLOUT_WINDOW_MS;
    const neverServed = failing.available === 0 && revisions.some((r) => r !== failing && r.pods.length > 0);
    const began = failing === newest && (soonAfter || neverServed);
    const previousHealthy = Boolean(previous && previous.available > 0 && !previous.pods.some(isFailingPod));
    return { began, previousHealthy, failing, previous };
  }

  get newRevisionUnhealthy(): boolean {
    const pods = this.rollout.failing?.pods ?? [];
    return pods.length > 0 && pods.every((p) => Boolean(p.spec?.nodeName) && !isPodReady(p));
  }

  /** Ready nodes workloads can run on (a tainted control plane is not one; a single node's control plane is). */
  get readyWorkers(): V1Node[] {
    return this.index.nodes.filter(isWorkloadNode);
  }

  get largestReadyNodeBytes(): number {
    return Math.max(0, ...this.readyWorkers.map(allocatableMemory));
  }

  /**
   * The affected containers' limits times `factor`, and whether the whole pod (the other containers at their
   * limits, else requests) still fits the largest Ready worker's allocatable memory.
   */
  memoryRaise(factor: number): MemoryRaise {
    const largestNodeBytes = this.largestReadyNodeBytes;
    const containers = this.podTemplateContainers();
    const affected = new Set(
      this.finding.details.containers?.length
        ? this.finding.details.containers
        : containers.map((c) => c.name),
    );
    const changes: MemoryChange[] = [];
    let podTotal = 0;
    for (const c of containers) {
      const limit = parseQuantity(c.resources?.limits?.['memory']);
      const request = parseQuantity(c.resources?.requests?.['memory']) ?? 0;
      if (affected.has(c.name)) {
        if (limit === undefined)
          return {
            fits: false,
            changes: [],
            largestNodeBytes,
            reason: `container ${c.name} has no memory limit to raise`,
          };
        const toBytes = Math.ceil((limit * factor) / 2 ** 20) * 2 ** 20;
        changes.push({ container: c.name, fromBytes: limit, toBytes });
        podTotal += toBytes;
      } else podTotal += limit ?? request;
    }
    if (changes.length === 0)
      return {
        fits: false,
        changes,
        largestNodeBytes,
        reason: 'no affected container found in the pod template',
      };
    const fits = podTotal <= largestNodeBytes;
    return {
      fits,
      changes,
      largestNodeBytes,
      ...(fits ? {} : { reason: 'the raised pod would not fit the largest Ready node' }),
    };
  }

  private podTemplateContainers() {
    const w = this.finding.workload;
    const obj = this.index.get<
      AnyObject & {
        spec?: {
          template?: { spec?: { containers?: Container[] } };
          jobTemplate?: { spec?: { template?: { spec?: { containers?: Container[] } } } };
        };
      }
    >(w.kind, w.namespace, w.name);
    return (
      obj?.spec?.template?.spec?.containers ?? obj?.spec?.jobTemplate?.spec?.template?.spec?.containers ?? []
    );
  }

  /** The finding's workload (an HPA's scale target) has every desired pod scheduled and Ready. */
  get allPodsReady(): boolean {
    const target = this.scaleTarget;
    if (!target) return false;
    const obj = this.index.get<
      AnyObject & { spec?: { replicas?: number }; status?: { replicas?: number; readyReplicas?: number } }
    >(target.kind, target.namespace, target.name);
    if (!obj) return false;
    const desired = obj.spec?.replicas ?? 1;
    const ready = obj.status?.readyReplicas ?? 0;
    return ready >= desired && (obj.status?.replicas ?? 0) <= ready && !this.hasUnschedulablePods(target);
  }

  /** The workload an HPA scales, or the finding's workload. */
  get scaleTarget(): ObjectRef | undefined {
    const f = this.finding;
    if (f.type === 'HpaAtMax') return f.owners[0];
    return ['Deployment', 'StatefulSet'].includes(f.workload.kind) ? f.workload : undefined;
  }

  hasUnschedulablePods(workload: ObjectRef): boolean {
    return this.podsOf(workload).some(
      (p) => p.status?.phase === 'Pending' && podCondition(p, 'PodScheduled')?.reason === 'Unschedulable',
    );
  }

  podsOf(workload: ObjectRef) {
    const key = refKey(workload.kind, workload.namespace, workload.name);
    if (workload.kind !== 'Deployment') return this.index.podsByController.get(key) ?? [];
    return (this.index.replicaSetsByDeployment.get(key) ?? []).flatMap(
      (rs) =>
        this.index.podsByController.get(refKey('ReplicaSet', rs.metadata?.namespace, rs.metadata?.name)) ??
        [],
    );
  }

  get nodeName(): string | undefined {
    return this.finding.object.kind === 'Node'
      ? this.finding.object.name
      : (this.finding.details.node as string | undefined);
  }

  get controlPlane(): boolean {
    const node = this.nodeName ? this.index.get<V1Node>('Node', '', this.nodeName) : undefined;
    return node ? isControlPlane(node) : false;
  }

  /** Another Ready, schedulable worker exists to take the node's work. */
  get otherReadyWorker(): boolean {
    return this.index.nodes.some((n) => n.metadata?.name !== this.nodeName && isSchedulableWorker(n));
  }

  /** Whether the other schedulable workers' free memory and CPU (allocatable − requests) hold the node's pods. */
  get othersHaveRoom(): boolean {
    const onNode = (this.index.podsByNode.get(this.nodeName ?? '') ?? []).filter(
      (p) => !isTerminal(p) && !isTerminating(p) && p.metadata?.ownerReferences?.[0]?.kind !== 'DaemonSet',
    );
    const need = sumRequests(onNode);
    const free = this.freeCapacity(this.nodeName);
    return need.cpu <= free.cpu && need.memory <= free.memory;
  }

  /** Whether `extra` more pods of the finding's scale target fit the schedulable workers' free requests. */
  roomForReplicas(extra: number): boolean {
    const target = this.scaleTarget;
    if (!target || extra <= 0) return true;
    const obj = this.index.get<AnyObject & { spec?: { template?: { spec?: { containers?: Container[] } } } }>(
      target.kind,
      target.namespace,
      target.name,
    );
    const each = sumRequests([{ spec: { containers: obj?.spec?.template?.spec?.containers ?? [] } }]);
    const free = this.freeCapacity();
    return each.cpu * extra <= free.cpu && each.memory * extra <= free.memory;
  }

  /** Allocatable minus requested CPU and memory over the schedulable workers (one node left out, if named). */
  private freeCapacity(except?: string): { cpu: number; memory: number } {
    const free = { cpu: 0, memory: 0 };
    for (const n of this.index.nodes) {
      if (n.metadata?.name === except || !isSchedulableWorker(n)) continue;
      const used = sumRequests(
        (this.index.podsByNode.get(n.metadata?.name ?? '') ?? []).filter((p) => !isTerminal(p)),
      );
      free.cpu += (parseQuantity(n.status?.allocatable?.['cpu']) ?? 0) - used.cpu;
      free.memory += allocatableMemory(n) - used.memory;
    }
    return free;
  }

  get oomKilled(): boolean {
    return this.finding.type === 'OOMKilled' || this.finding.details['oomKilled'] === true;
  }

  get readyPods(): number {
    return this.podsOf(this.finding.workload).filter(isPodReady).length;
  }
}

type Container = {
  name: string;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
};

function sumRequests(pods: Array<{ spec?: { containers?: Container[] } }>) {
  let cpu = 0;
  let memory = 0;
  for (const p of pods) {
    for (const c of p.spec?.containers ?? []) {
      cpu += parseQuantity(c.resources?.requests?.['cpu']) ?? 0;
      memory += parseQuantity(c.resources?.requests?.['memory']) ?? 0;
    }
  }
  return { cpu, memory };
}
