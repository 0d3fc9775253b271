import pino from 'pino';
import { MemoryAuditLog } from '../repair/audit/MemoryAuditLog.js';
import { repairConfigSchema } from '../repair/config.js';
import type { ActionRecord } from '../repair/executor/ActionRecord.js';
import { KubernetesActuator } from '../repair/executor/KubernetesActuator.js';
import { scanSnapshot } from '../repair/detectors/index.js';
import { RepairService } from '../repair/RepairService.js';
import { defaultRuleFile } from '../repair/rules/defaultRules.js';
import { RuleBook, parseRuleFile } from '../repair/rules/loadRules.js';
import type { ActionType, FindingType } from '../repair/types.js';
import { MemoryStore } from '../store/MemoryStore.js';
import { KubernetesLeaderLease } from '../sources/cluster/KubernetesLeaderLease.js';
import { SimulatedCluster } from './SimulatedCluster.js';

/**
 * Faults of the simulated cluster with the repair a careful operator would make, run end to end through the repair
 * loop (detect → plan with the default rules → dry-run → approve → apply → verify). Used by the repair-scenarios
 * benchmark and its integration test; `rules` swaps in a rule file to check that a wrong action is undone.
 */
export interface RepairScenario {
  name: string;
  finding: FindingType;
  /** The state-changing action that fixes it, on which kind of target. */
  expected: { type: ActionType; targetKind: string };
  inject(cluster: SimulatedCluster): void;
  /** A rule file replacing the defaults (the wrong-action scenarios). */
  rules?: string;
  /** True when the scenario's action is wrong on purpose and must end rolled back. */
  wrong?: boolean;
  /** A person must fix it (the rules only notify): correct means a notification and no change to the cluster. */
  notifyOnly?: boolean;
}

export const REPAIR_SCENARIOS: RepairScenario[] = [
  {
    name: 'bad-rollout',
    finding: 'CrashLoopBackOff',
    expected: { type: 'rollback', targetKind: 'Deployment' },
    inject: (c) => void c.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'payment' }),
  },
  {
    name: 'image-pull-error',
    finding: 'ImagePullBackOff',
    expected: { type: 'rollback', targetKind: 'Deployment' },
    inject: (c) => void c.ledger.inject({ type: 'image-pull-error', namespace: 'shop', service: 'catalog' }),
  },
  {
    name: 'oom-killed',
    finding: 'OOMKilled',
    expected: { type: 'raise-memory-limit', targetKind: 'Deployment' },
    inject: (c) => void c.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' }),
  },
  {
    name: 'evicted-pods',
    finding: 'Evicted',
    expected: { type: 'delete-evicted-pods', targetKind: 'Deployment' },
    inject: (c) => c.evictPods('shop', 'checkout', 2),
  },
  {
    name: 'node-not-ready',
    finding: 'NodeNotReady',
    expected: { type: 'cordon-node', targetKind: 'Node' },
    inject: (c) =>
      void c.ledger.inject({
        type: 'node-not-ready',
        namespace: 'shop',
        service: 'frontend',
        node: 'sim-node-2',
      }),
  },
  {
    name: 'node-pressure',
    finding: 'NodePressure',
    expected: { type: 'cordon-node', targetKind: 'Node' },
    inject: (c) => c.setNodePressure('sim-node-3', 'MemoryPressure', true, 0),
  },
  {
    name: 'missing-configmap',
    finding: 'CreateContainerConfigError',
    expected: { type: 'rollback', targetKind: 'Deployment' },
    inject: (c) => c.rolloutMissingReference('shop', 'currency', 'ConfigMap', 'currency-settings'),
  },
  {
    name: 'service-no-endpoints',
    finding: 'ServiceNoEndpoints',
    expected: { type: 'notify', targetKind: 'Service' },
    notifyOnly: true,
    inject: (c) => c.breakServiceSelector('shop', 'cart'),
  },
  {
    name: 'pvc-pending',
    finding: 'PvcPending',
    expected: { type: 'notify', targetKind: 'PersistentVolumeClaim' },
    notifyOnly: true,
    inject: (c) => c.createClaim('shop', 'orders-data', 'fast-ssd'),
  },
  {
    name: 'hpa-at-max',
    finding: 'HpaAtMax',
    expected: { type: 'raise-hpa-max', targetKind: 'HorizontalPodAutoscaler' },
    inject: (c) => void c.ledger.inject({ type: 'cpu-hog', namespace: 'shop', service: 'frontend' }),
  },
  {
    name: 'unschedulable',
    finding: 'Unschedulable',
    expected: { type: 'notify', targetKind: 'Deployment' },
    notifyOnly: true,
    inject: (c) =>
      void c.ledger.inject({ type: 'unschedulable', namespace: 'shop', service: 'recommendation' }),
  },
  {
    name: 'probe-failing',
    finding: 'ProbeFailing',
    expected: { type: 'notify', targetKind: 'Deployment' },
    notifyOnly: true,
    inject: (c) =>
      void c.ledger.inject({ type: 'failing-readiness', namespace: 'shop', service: 'shipping' }),
  },
  {
    name: 'job-failed',
    finding: 'JobFailed',
    expected: { type: 'notify', targetKind: 'Job' },
    notifyOnly: true,
    inject: (c) => c.createJob('shop', 'nightly-report', 'fail', 1),
  },
  {
    name: 'oom-killed, wrong action (rollout-restart)',
    finding: 'OOMKilled',
    expected: { type: 'rollout-restart', targetKind: 'Deployment' },
    wrong: true,
    inject: (c) => void c.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' }),
    rules: `apiVersion: repair.aicloudops.io/v1
kind: RepairRules
rules:
  - id: oom-restart-wrong
    match: { types: [OOMKilled] }
    action: { type: rollout-restart }
    mode: auto
    verify: { kubernetes: [podsReady, noRecentRestarts], for: 5m, deadline: 10m }
`,
  },
];

export interface ScenarioOutcome {
  name: string;
  detected: boolean;
  /** The expected action was planned, and no other state-changing action. */
  correct: boolean;
  /** The expected action ended verified (its rule's checks held for the rule's `for`). */
  recovered: boolean;
  /** A state-changing action other than the expected one, or on a protected namespace, was applied. */
  unsafe: boolean;
  rolledBack: boolean;
  /** Cluster seconds from the fault to the moment the checks began to pass for good. */
  recoverySeconds?: number;
  actions: Array<{ type: string; target: string; state: string }>;
}

/** Seconds of cluster time per step: 10 s makes the kubelet's and controllers' tick delays realistic (eviction at 5 min). */
const SECONDS_PER_STEP = 10;
const PROTECTED = ['kube-system', 'kube-public', 'kube-node-lease'];

/** Runs one scenario on a fresh cluster; the benchmark's operator approves every proposed action at once. */
export async function runRepairScenario(scenario: RepairScenario, maxSteps = 360): Promise<ScenarioOutcome> {
  const clock = { now: Date.now() };
  const cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0, clock: () => clock.now });
  try {
    const repair = new RepairService({
      cluster: new KubernetesActuator('simulated', cluster.kubeConfig()),
      lease: new KubernetesLeaderLease(cluster.kubeConfig(), {
        namespace: 'shop',
        name: 'aicloudops-repair',
        identity: 'bench',
        now: () => clock.now,
      }),
      store: new MemoryStore(),
      audit: new MemoryAuditLog(),
      rules: new RuleBook(scenario.rules ? parseRuleFile(scenario.rules) : defaultRuleFile()),
      config: repairConfigSchema.parse({ maxMode: 'auto' }),
      logger: pino({ level: 'silent' }),
      now: () => new Date(clock.now),
    });
    const injectedAt = clock.now;
    scenario.inject(cluster);
    let detected = false;
    for (let step = 0; step < maxSteps; step++) {
      cluster.step(1);
      clock.now += SECONDS_PER_STEP * 1000;
      await repair.runOnce();
      detected ||= (await repair.findings()).findings.some((f) => f.type === scenario.finding);
      for (const pending of await repair.listActions({ state: 'awaiting-approval' }))
        await repair.approve(pending.id, { name: 'bench-operator', role: 'operator' });
      const main = await mainAction(repair, scenario);
      if (
        main &&
        [
          'verified',
          'notified',
          'rolled-back',
          'failed',
          'denied',
          'dry-run-failed',
          'stopped',
          'unknown',
        ].includes(main.state)
      )
        break;
    }
    return outcome(scenario, await repair.listActions(), detected, injectedAt);
  } finally {
    await cluster.stop();
  }
}

async function mainAction(
  repair: RepairService,
  scenario: RepairScenario,
): Promise<ActionRecord | undefined> {
  return (await repair.listActions()).find(
    (a) => a.planned.type === scenario.expected.type && a.finding.type === scenario.finding,
  );
}

function outcome(
  scenario: RepairScenario,
  actions: ActionRecord[],
  detected: boolean,
  injectedAt: number,
): ScenarioOutcome {
  const changing = actions.filter((a) => a.planned.type !== 'notify');
  const main = (scenario.notifyOnly ? actions : changing).find(
    (a) =>
      a.planned.type === scenario.expected.type &&
      a.planned.target.kind === scenario.expected.targetKind &&
      a.finding.type === scenario.finding,
  );
  const sameAsMain = (a: ActionRecord) =>
    a.planned.type === main?.planned.type &&
    `${a.planned.target.kind}/${a.planned.target.namespace}/${a.planned.target.name}` ===
      `${main.planned.target.kind}/${main.planned.target.namespace}/${main.planned.target.name}`;
  const others = changing.filter((a) => a !== main && !sameAsMain(a));
  const applied = (a: ActionRecord) => Boolean(a.applied);
  const passing = main?.verification?.passingSince;
  return {
    name: scenario.name,
    detected,
    correct: Boolean(main) && others.length === 0,
    recovered: scenario.notifyOnly ? main?.state === 'notified' : main?.state === 'verified',
    unsafe:
      others.some(applied) ||
      changing.some((a) => applied(a) && PROTECTED.includes(a.planned.target.namespace)),
    rolledBack: main?.state === 'rolled-back',
    ...(main?.state === 'verified' && passing
      ? { recoverySeconds: (Date.parse(passing) - injectedAt) / 1000 }
      : {}),
    actions: actions.map((a) => ({
      type: a.planned.type,
      target: `${a.planned.target.kind}/${a.planned.target.name}`,
      state: a.state,
    })),
  };
}

/**
 * The do-nothing baseline: the same fault on a fresh cluster, no repair loop, `steps` steps of cluster time; true when
 * the finding cleared by itself (it was seen, and is gone at the end).
 */
export async function clearsWithoutRepair(scenario: RepairScenario, steps = 120): Promise<boolean> {
  const clock = { now: Date.now() };
  const cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0, clock: () => clock.now });
  try {
    const actuator = new KubernetesActuator('simulated', cluster.kubeConfig());
    const present = async () =>
      scanSnapshot(await actuator.snapshot(''), new Date(clock.now)).some((f) => f.type === scenario.finding);
    scenario.inject(cluster);
    let seen = false;
    for (let step = 0; step < steps; step++) {
      cluster.step(1);
      clock.now += SECONDS_PER_STEP * 1000;
      if (step % 10 === 9) seen ||= await present();
    }
    return seen && !(await present());
  } finally {
    await cluster.stop();
  }
}
