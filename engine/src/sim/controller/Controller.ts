import type { ObjectStore } from '../apiserver/ObjectStore.js';
import type { FaultLedger } from '../faults.js';
import {
  DEFAULT_TUNING,
  DEPLOYMENTS,
  type ControllerContext,
  type ControllerTuning,
} from './ControllerContext.js';
import { DeploymentController } from './DeploymentController.js';
import { EventRecorder } from './EventRecorder.js';
import { EndpointsController } from './EndpointsController.js';
import { ClaimController } from './ClaimController.js';
import { JobController } from './JobController.js';
import { CronJobController } from './CronJobController.js';
import { DaemonSetController } from './DaemonSetController.js';
import { DisruptionController } from './DisruptionController.js';
import { StatefulSetController } from './StatefulSetController.js';
import { EvictionController, type NodePressure } from './EvictionController.js';
import { parseQuantity } from './quantity.js';
import { FaultRollouts } from './faultRollouts.js';
import { endRepairedFaults } from './repairedFaults.js';
import { FaultView } from './FaultView.js';
import { nodeOfFirstPod } from './faultNode.js';
import { GarbageCollector } from './GarbageCollector.js';
import { HpaController } from './HpaController.js';
import { Kubelet } from './Kubelet.js';
import { LogBook } from './LogBook.js';
import { NodeController } from './NodeController.js';
import { createRandom } from './random.js';
import { ReplicaSetController } from './ReplicaSetController.js';
import { RestartBook } from './RestartBook.js';
import { Scheduler } from './Scheduler.js';

/** How often expired events and the state of vanished pods are swept. */
const EVENT_SWEEP_TICKS = 60;

export interface ControllerOptions {
  store: ObjectStore;
  ledger: FaultLedger;
  seed?: number;
  tuning?: Partial<ControllerTuning>;
  /** Wall clock in ms; timestamps and fault activity are read from it. */
  clock?: () => number;
}

/**
 * The control plane behind the simulated API server. Each tick runs, in order: fault rollouts, node health,
 * garbage collection, deployments, replica sets, stateful sets, daemon sets, cron jobs, the scheduler, the kubelets,
 * jobs, then status roll-ups (PodDisruptionBudgets last, from this tick's readiness). Delays are in
 * ticks, so tests can `step()` deterministically while the demo ticks on a timer.
 */
export class Controller {
  readonly logs = new LogBook();
  readonly restarts = new RestartBook();
  readonly events: EventRecorder;
  readonly faults: FaultView;
  private readonly ctx: ControllerContext;
  private readonly rollouts = new FaultRollouts();
  private readonly nodes = new NodeController();
  private readonly gc = new GarbageCollector();
  private readonly deployments = new DeploymentController();
  private readonly replicaSets = new ReplicaSetController();
  private readonly scheduler = new Scheduler();
  private readonly kubelet = new Kubelet();
  private readonly hpas = new HpaController();
  private readonly evictions = new EvictionController();
  private readonly endpoints = new EndpointsController();
  private readonly claims = new ClaimController();
  private readonly jobs = new JobController();
  private readonly cronJobs = new CronJobController();
  private readonly statefulSets = new StatefulSetController();
  private readonly daemonSets = new DaemonSetController();
  private readonly disruption = new DisruptionController();
  private timer?: NodeJS.Timeout;

  constructor(options: ControllerOptions) {
    const clock = options.clock ?? Date.now;
    const tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.events = new EventRecorder(options.store, () => new Date(clock()), tuning.eventTtlSeconds);
    this.faults = new FaultView(options.ledger);
    const seed = options.seed ?? 42;
    this.ctx = {
      store: options.store,
      ledger: options.ledger,
      faults: this.faults,
      events: this.events,
      logs: this.logs,
      restarts: this.restarts,
      random: createRandom(seed),
      seed,
      tick: 0,
      settling: false,
      now: () => new Date(clock()),
      tuning,
      rolloutTimes: new Map(),
    };
  }

  get tick(): number {
    return this.ctx.tick;
  }

  step(ticks = 1): void {
    for (let i = 0; i < ticks; i++) this.reconcileOnce();
  }

  /**
   * Settles seeded workloads: containers started now count as running since long before the cluster's clock began,
   * so a fault already under way (the demo's backdated opening fault) has been failing them since it began.
   */
  settle(ticks: number): void {
    this.ctx.settling = true;
    try {
      this.step(ticks);
    } finally {
      this.ctx.settling = false;
    }
  }

  private reconcileOnce(): void {
    const ctx = this.ctx;
    ctx.tick += 1;
    this.faults.refresh(ctx.now().getTime() / 1000);
    this.rollouts.reconcile(ctx);
    this.pickFaultNodes();
    this.pickOomNeeds();
    endRepairedFaults(ctx);
    this.nodes.reconcile(ctx);
    this.evictions.reconcile(ctx);
    this.gc.reconcile(ctx);
    this.deployments.reconcile(ctx);
    this.replicaSets.reconcile(ctx);
    this.statefulSets.reconcile(ctx);
    this.daemonSets.reconcile(ctx);
    this.cronJobs.reconcile(ctx);
    this.scheduler.reconcile(ctx);
    this.kubelet.reconcile(ctx);
    this.jobs.reconcile(ctx);
    this.replicaSets.updateStatuses(ctx);
    this.deployments.updateStatuses(ctx);
    this.hpas.reconcile(ctx);
    this.endpoints.reconcile(ctx);
    this.claims.reconcile(ctx);
    this.disruption.reconcile(ctx);
    if (ctx.tick % EVENT_SWEEP_TICKS === 0) {
      this.events.expire(new Date(ctx.now().getTime() - ctx.tuning.eventTtlSeconds * 1000));
      this.kubelet.sweep(ctx);
    }
  }

  /** A node-not-ready fault that names no node hits the node running the service's first pod. */
  private pickFaultNodes(): void {
    for (const fault of this.faults.activeFaults()) {
      if (fault.type !== 'node-not-ready' || fault.node || this.faults.faultNodes.has(fault.id)) continue;
      const node = nodeOfFirstPod(this.ctx.store, fault.namespace, fault.service);
      if (node) this.faults.faultNodes.set(fault.id, node);
    }
    this.faults.refresh(this.ctx.now().getTime() / 1000);
  }

  /** An oom-killed fault's service needs 1.5x the memory limit its Deployment had when the fault began. */
  private pickOomNeeds(): void {
    for (const fault of this.faults.activeFaults()) {
      if (fault.type !== 'oom-killed' || this.faults.oomNeeds.has(fault.id)) continue;
      const deployment = this.ctx.store.get(DEPLOYMENTS, fault.namespace, fault.service);
      const containers =
        (
          deployment?.['spec'] as {
            template?: { spec?: { containers?: Array<{ resources?: { limits?: { memory?: string } } }> } };
          }
        )?.template?.spec?.containers ?? [];
      const limit = parseQuantity(containers[0]?.resources?.limits?.memory);
      if (Number.isFinite(limit)) this.faults.oomNeeds.set(fault.id, limit * 1.5);
    }
  }

  /** Puts a node under pressure (condition, taint) and evicts up to `evict` of its pods at the next tick. */
  setNodePressure(node: string, pressure: NodePressure, on: boolean, evict = 0): void {
    this.evictions.setPressure(node, pressure, on, evict);
  }

  /** Evicts `count` running pods of a service at the next tick (they stay as Failed/Evicted records). */
  evictPods(namespace: string, service: string, count: number): void {
    this.evictions.evictPods(namespace, service, count);
  }

  /** Ticks on a timer until stop(); an error in one tick is reported and the loop goes on. */
  start(tickMs: number, onError: (error: unknown) => void = () => {}): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.reconcileOnce();
      } catch (error) {
        onError(error);
      }
    }, tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
