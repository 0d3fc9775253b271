import type { ClusterSnapshot, Finding, PlannedAction, VerifySpec } from '../../src/repair/types.js';
import { scanSnapshot } from '../../src/repair/detectors/index.js';
import { MemoryAuditLog } from '../../src/repair/audit/MemoryAuditLog.js';
import type { AuditLog } from '../../src/repair/audit/AuditLog.js';
import { ActionStore } from '../../src/repair/executor/ActionStore.js';
import { KubernetesActuator } from '../../src/repair/executor/KubernetesActuator.js';
import { RepairExecutor, type RepairNotification } from '../../src/repair/executor/RepairExecutor.js';
import { leaseFence } from '../../src/repair/executor/leaseFence.js';
import type { ClusterWriter } from '../../src/repair/executor/ClusterActuator.js';
import { KubernetesLeaderLease } from '../../src/sources/cluster/KubernetesLeaderLease.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import type { Store } from '../../src/store/Store.js';
import type { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';

/** One engine replica's repair executor against a simulated cluster, with a clock the test moves. */
export interface Replica {
  executor: RepairExecutor;
  audit: AuditLog;
  actions: ActionStore;
  notifications: RepairNotification[];
  clock: { now: number };
  kill: { on: boolean };
}

export function replica(
  cluster: SimulatedCluster,
  options: {
    identity?: string;
    store?: Store;
    audit?: AuditLog;
    writer?: ClusterWriter;
    clock?: { now: number };
    approvalTtlSeconds?: number;
  } = {},
): Replica {
  const clock = options.clock ?? { now: Date.now() };
  const kill = { on: false };
  const identity = options.identity ?? 'engine-a';
  const actuator = new KubernetesActuator('simulated', cluster.kubeConfig());
  const lease = new KubernetesLeaderLease(cluster.kubeConfig(), {
    namespace: 'shop',
    name: 'aicloudops-repair',
    identity,
    now: () => clock.now,
  });
  const actions = new ActionStore(options.store ?? new MemoryStore());
  const audit = options.audit ?? new MemoryAuditLog();
  const notifications: RepairNotification[] = [];
  const executor = new RepairExecutor({
    reader: actuator,
    writer: options.writer ?? actuator,
    actions,
    audit,
    fence: leaseFence(lease),
    killSwitch: async () => kill.on,
    stillHolds: stillHolds,
    notify: (n) => void notifications.push(n),
    settings: {
      approvalTtlSeconds: options.approvalTtlSeconds ?? 600,
      loopBreaker: { maxActions: 3, windowSeconds: 3600 },
      shadowHorizonSeconds: 600,
    },
    identity,
    now: () => new Date(clock.now),
  });
  return { executor, audit, actions, notifications, clock, kill };
}

export function stillHolds(finding: Finding, snapshot: ClusterSnapshot): boolean {
  return scanSnapshot(snapshot, new Date()).some((f) => f.fingerprint === finding.fingerprint);
}

/** Steps the cluster (up to `maxTicks`) until the detectors report the finding. */
export async function findingOf(
  cluster: SimulatedCluster,
  type: string,
  name: string,
  maxTicks = 20,
): Promise<{ finding: Finding; snapshot: ClusterSnapshot }> {
  const actuator = new KubernetesActuator('simulated', cluster.kubeConfig());
  let seen: Finding[] = [];
  for (let tick = 0; tick <= maxTicks; tick++) {
    const snapshot = await actuator.snapshot('shop');
    seen = scanSnapshot(snapshot, new Date());
    const finding = seen.find((f) => f.type === type && f.workload.name === name);
    if (finding) return { finding, snapshot };
    cluster.step(1);
  }
  throw new Error(
    `no ${type} finding for ${name} after ${maxTicks} ticks; found ${seen.map((f) => `${f.type}/${f.workload.name}`).join(', ')}`,
  );
}

export function plannedFor(
  finding: Finding,
  type: PlannedAction['type'],
  mode: PlannedAction['mode'],
  params: Record<string, unknown> = {},
  target = finding.workload,
): PlannedAction {
  return {
    type,
    target,
    params,
    mode,
    ruleId: `test-${type}`,
    ruleVersion: 1,
    findingFingerprint: finding.fingerprint,
    reason: finding.message,
  };
}

export const FAST_VERIFY: VerifySpec = { kubernetes: [], interval: 10, for: 30, failures: 2, deadline: 300 };

/** Steps the cluster and the executor together (10 s of executor clock per round) until the action is final. */
export async function driveUntilFinal(
  cluster: SimulatedCluster,
  r: Replica,
  id: string,
  rounds = 60,
): Promise<string> {
  for (let i = 0; i < rounds; i++) {
    await r.executor.tick();
    const record = await r.actions.require(id);
    if (!['pending', 'approved', 'applying', 'verifying'].includes(record.state)) return record.state;
    cluster.step(2);
    r.clock.now += 10_000;
  }
  return (await r.actions.require(id)).state;
}
