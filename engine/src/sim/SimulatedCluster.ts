import { KubeConfig } from '@kubernetes/client-node';
import { ApiServer } from './apiserver/ApiServer.js';
import { ObjectStore } from './apiserver/ObjectStore.js';
import { settledSince, type ControllerTuning } from './controller/ControllerContext.js';
import { Controller } from './controller/Controller.js';
import type { NodePressure } from './controller/EvictionController.js';
import {
  breakServiceSelector,
  createClaim,
  createJob,
  rolloutMissingReference,
  rolloutWithReadinessGate,
} from './controller/configFaults.js';
import { createCronJob, createDaemonSet, createStatefulSet } from './controller/createWorkloads.js';
import { createRandom, uuidFrom } from './controller/random.js';
import { FaultLedger } from './faults.js';
import { seedShop } from './controller/seedShop.js';

export interface SimulatedClusterOptions {
  port?: number;
  host?: string;
  seed?: number;
  ledger?: FaultLedger;
  /** Create the demo shop (namespace, nodes, Deployments, Services, HPAs) and settle it before returning. */
  seedShop?: boolean;
  /** Milliseconds between controller ticks; 0 means only step() advances the cluster (tests). Default 1000. */
  tickMs?: number;
  /** When set, the API server demands this bearer token. */
  token?: string;
  tuning?: Partial<ControllerTuning>;
  /** Milliseconds between watch BOOKMARK events. */
  bookmarkIntervalMs?: number;
  /**
   * Milliseconds clock the controllers stamp statuses and events with (default Date.now). Tests and benchmarks move
   * it along with step(), so minutes of cluster time pass in milliseconds of wall time.
   */
  clock?: () => number;
  /** Called when a timer tick fails; the loop goes on. Defaults to one stderr line per distinct message. */
  onTickError?: (error: unknown) => void;
}

export const SIMULATED_CONTEXT = 'simulated';

/** How many ticks the seeded shop needs to reach all-ready (pull, start, readiness delay, status roll-up). */
const SETTLE_TICKS = 6;

/**
 * A Kubernetes cluster in the process: the REST API server, its store, and the controllers that run the demo shop
 * and turn FaultLedger entries into Kubernetes symptoms. client-node talks to it exactly as to a real cluster.
 */
export class SimulatedCluster {
  readonly ledger: FaultLedger;
  readonly store: ObjectStore;
  readonly controller: Controller;
  /** The cluster's clock (unix ms): what its controllers stamp statuses and events with. */
  readonly now: () => number;
  private readonly server: ApiServer;
  private readonly token: string;

  private constructor(options: SimulatedClusterOptions) {
    const seed = options.seed ?? 42;
    this.ledger = options.ledger ?? new FaultLedger();
    this.now = options.clock ?? Date.now;
    const uids = createRandom(seed ^ 0x5eed);
    this.store = new ObjectStore({ uid: () => uuidFrom(uids) });
    this.controller = new Controller({
      store: this.store,
      ledger: this.ledger,
      seed,
      // A timer tick stands for its own length of cluster time; step()-driven clusters keep the nominal second.
      tuning: {
        ...(options.tickMs ? { secondsPerTick: options.tickMs / 1000 } : {}),
        ...options.tuning,
      },
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.token = options.token ?? 'simulated-token';
    this.server = new ApiServer({
      store: this.store,
      logs: this.controller.logs,
      token: options.token,
      bookmarkIntervalMs: options.bookmarkIntervalMs,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  static async start(options: SimulatedClusterOptions = {}): Promise<SimulatedCluster> {
    const cluster = new SimulatedCluster(options);
    if (options.seedShop) {
      // The shop has been running since long before the cluster's clock began, like the pods it settles.
      seedShop(cluster.store, undefined, settledSince(new Date(cluster.now())));
      cluster.controller.settle(SETTLE_TICKS);
    }
    await cluster.server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
    const tickMs = options.tickMs ?? 1_000;
    if (tickMs > 0) cluster.controller.start(tickMs, options.onTickError ?? reportOnce());
    return cluster;
  }

  get url(): string {
    return this.server.url;
  }

  /** The cluster's node names, as `kubectl get nodes` lists them. */
  nodeNames(): string[] {
    return this.store.view('/nodes').map((node) => node.metadata.name);
  }

  /**
   * When the cluster's history begins (unix seconds): its oldest namespace's creation (for the seeded demo, two days
   * before its clock began). Nothing happened in it before then, so no fault can have started earlier.
   */
  historyStart(): number {
    let oldest = this.now() / 1000;
    for (const ns of this.store.view('/namespaces')) {
      const created = Date.parse(ns.metadata.creationTimestamp ?? '') / 1000;
      if (Number.isFinite(created) && created < oldest) oldest = created;
    }
    return oldest;
  }

  /** Advances the controllers by n ticks (default 1). */
  step(n = 1): void {
    this.controller.step(n);
  }

  /** Evicts `count` running pods of a service at the next tick; they stay as Failed/Evicted until deleted. */
  evictPods(namespace: string, service: string, count = 2): void {
    this.controller.evictPods(namespace, service, count);
  }

  /** Puts a node under pressure (condition + NoSchedule taint), evicting up to `evict` of its pods; `on: false` lifts it. */
  setNodePressure(node: string, pressure: NodePressure, on = true, evict = 0): void {
    this.controller.setNodePressure(node, pressure, on, evict);
  }

  /** Rolls the Deployment out to a revision that reads a ConfigMap or Secret that does not exist. */
  rolloutMissingReference(
    namespace: string,
    service: string,
    kind: 'ConfigMap' | 'Secret' = 'ConfigMap',
    name = `${service}-settings`,
  ): void {
    rolloutMissingReference(this.store, namespace, service, kind, name);
  }

  /** Rolls the Deployment out to a revision with a readiness gate nothing satisfies: the rollout stalls (RolloutStuck). */
  rolloutWithReadinessGate(namespace: string, service: string): void {
    rolloutWithReadinessGate(this.store, namespace, service);
  }

  /** Points a Service's selector at a label no pod has, so it has no endpoints. */
  breakServiceSelector(namespace: string, service: string): void {
    breakServiceSelector(this.store, namespace, service);
  }

  /** Creates a PersistentVolumeClaim on a StorageClass; it binds only if the class exists (`createClass`). */
  createClaim(namespace: string, name: string, storageClassName: string, createClass = false): void {
    createClaim(this.store, namespace, name, storageClassName, createClass);
  }

  /** Creates a Job whose pods succeed, fail (exit 1) or are OOMKilled; a failing one ends BackoffLimitExceeded. */
  createJob(namespace: string, name: string, outcome: 'succeed' | 'fail' | 'oom', backoffLimit = 1): void {
    createJob(this.store, namespace, name, outcome, backoffLimit);
  }

  /** Creates a StatefulSet `<name>-0…` (OrderedReady, RollingUpdate) with its headless Service. */
  createStatefulSet(namespace: string, name: string, replicas = 3): void {
    createStatefulSet(this.store, namespace, name, replicas);
  }

  /** Creates a DaemonSet that runs one pod on every node. */
  createDaemonSet(namespace: string, name: string): void {
    createDaemonSet(this.store, namespace, name);
  }

  /** Creates a CronJob (UTC five-field schedule) whose runs succeed, fail or are OOMKilled. */
  createCronJob(
    namespace: string,
    name: string,
    schedule: string,
    outcome: 'succeed' | 'fail' | 'oom',
  ): void {
    createCronJob(this.store, namespace, name, schedule, outcome);
  }

  /** A KubeConfig whose current context (`simulated`) points at this server. */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: SIMULATED_CONTEXT, server: this.url, skipTLSVerify: true }],
      users: [{ name: SIMULATED_CONTEXT, token: this.token }],
      contexts: [
        { name: SIMULATED_CONTEXT, cluster: SIMULATED_CONTEXT, user: SIMULATED_CONTEXT, namespace: 'shop' },
      ],
      currentContext: SIMULATED_CONTEXT,
    });
    return kc;
  }

  async stop(): Promise<void> {
    this.controller.stop();
    await this.server.close();
  }
}

function reportOnce(): (error: unknown) => void {
  const seen = new Set<string>();
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    if (seen.has(message)) return;
    seen.add(message);
    process.stderr.write(`simulated cluster: controller tick failed: ${message}\n`);
  };
}
