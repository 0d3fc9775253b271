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
import type { FaultType } from './faults.js';
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

type Inject = RepairScenario['inject'];
type Extra = Pick<RepairScenario, 'rules' | 'wrong' | 'notifyOnly'>;

/** One row of the table: the fault, the finding it must raise, and the action (on which kind) that fixes it. */
const scenario = (
  name: string,
  finding: FindingType,
  [type, targetKind]: [ActionType, string],
  inject: Inject,
  extra: Extra = {},
): RepairScenario => ({ name, finding, expected: { type, targetKind }, inject, ...extra });

/** A fault from the ledger on one shop service (the controllers turn it into Kubernetes state). */
const fault =
  (type: FaultType, service: string, node?: string): Inject =>
  (c) =>
    void c.ledger.inject({ type, namespace: 'shop', service, ...(node ? { node } : {}) });

/** A rule file that answers `finding` with the wrong `action`, in auto mode: the loop must notice and undo it. */
function wrongRule(finding: FindingType, action: ActionType): Extra {
  return {
    wrong: true,
    rules: `apiVersion: repair.aicloudops.io/v1
kind: RepairRules
rules:
  - id: ${finding.toLowerCase()}-${action}-wrong
    match: { types: [${finding}] }
    action: { type: ${action} }
    mode: auto
    verify: { kubernetes: [podsReady, noRecentRestarts], for: 5m, deadline: 10m }
`,
  };
}

/** A person must fix it: the rules only notify. */
const NOTIFY: Extra = { notifyOnly: true };

/**
 * A StatefulSet that settles (three Ready pods, one revision), then a release whose pods crash: the rollout stalls at
 * the highest ordinal with the older revision still serving, so rolling back (and replacing the stuck pod) fixes it.
 */
const statefulSetBadRollout: Inject = (c) => {
  c.createStatefulSet('shop', 'orders-db', 3);
  c.step(20);
  c.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'orders-db' });
};

/** Each of the 14 finding types of the issue at least once, with the action a careful operator would take. */
export const REPAIR_SCENARIOS: RepairScenario[] = [
  scenario('bad-rollout', 'CrashLoopBackOff', ['rollback', 'Deployment'], fault('bad-rollout', 'payment')),
  scenario(
    'image-pull-error',
    'ImagePullBackOff',
    ['rollback', 'Deployment'],
    fault('image-pull-error', 'catalog'),
  ),
  scenario('oom-killed', 'OOMKilled', ['raise-memory-limit', 'Deployment'], fault('oom-killed', 'cart')),
  scenario('evicted-pods', 'Evicted', ['delete-evicted-pods', 'Deployment'], (c) =>
    c.evictPods('shop', 'checkout', 2),
  ),
  scenario(
    'node-not-ready',
    'NodeNotReady',
    ['cordon-node', 'Node'],
    fault('node-not-ready', 'frontend', 'sim-node-2'),
  ),
  scenario('node-pressure', 'NodePressure', ['cordon-node', 'Node'], (c) =>
    c.setNodePressure('sim-node-3', 'MemoryPressure', true, 0),
  ),
  scenario('missing-configmap', 'CreateContainerConfigError', ['rollback', 'Deployment'], (c) =>
    c.rolloutMissingReference('shop', 'currency', 'ConfigMap', 'currency-settings'),
  ),
  scenario('rollout-stuck', 'RolloutStuck', ['rollback', 'Deployment'], (c) =>
    c.rolloutWithReadinessGate('shop', 'ads'),
  ),
  scenario('statefulset-bad-rollout', 'CrashLoopBackOff', ['rollback', 'StatefulSet'], statefulSetBadRollout),
  scenario(
    'hpa-at-max',
    'HpaAtMax',
    ['raise-hpa-max', 'HorizontalPodAutoscaler'],
    fault('cpu-hog', 'frontend'),
  ),
  scenario(
    'service-no-endpoints',
    'ServiceNoEndpoints',
    ['notify', 'Service'],
    (c) => c.breakServiceSelector('shop', 'cart'),
    NOTIFY,
  ),
  scenario(
    'pvc-pending',
    'PvcPending',
    ['notify', 'PersistentVolumeClaim'],
    (c) => c.createClaim('shop', 'orders-data', 'fast-ssd'),
    NOTIFY,
  ),
  scenario(
    'unschedulable',
    'Unschedulable',
    ['notify', 'Deployment'],
    fault('unschedulable', 'recommendation'),
    NOTIFY,
  ),
  scenario(
    'probe-failing',
    'ProbeFailing',
    ['notify', 'Deployment'],
    fault('failing-readiness', 'shipping'),
    NOTIFY,
  ),
  scenario(
    'job-failed',
    'JobFailed',
    ['notify', 'Job'],
    (c) => c.createJob('shop', 'nightly-report', 'fail', 1),
    NOTIFY,
  ),
  scenario(
    'cronjob-run-failed',
    'JobFailed',
    ['notify', 'CronJob'],
    (c) => c.createCronJob('shop', 'invoice-export', '*/5 * * * *', 'fail'),
    NOTIFY,
  ),
  scenario(
    'oom-killed, wrong action (rollout-restart)',
    'OOMKilled',
    ['rollout-restart', 'Deployment'],
    fault('oom-killed', 'cart'),
    wrongRule('OOMKilled', 'rollout-restart'),
  ),
  scenario(
    'statefulset-bad-rollout, wrong action (rollout-restart)',
    'CrashLoopBackOff',
    ['rollout-restart', 'StatefulSet'],
    statefulSetBadRollout,
    wrongRule('CrashLoopBackOff', 'rollout-restart'),
  ),
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

/**
 * A cluster stepped by hand whose tick stands for SECONDS_PER_STEP of its clock: the kubelet's back-off (10 s doubling
 * to 5 minutes) is counted in seconds of cluster time, so it must know what a tick is (1 s when not told).
 */
async function steppedCluster(clock: { now: number }): Promise<SimulatedCluster> {
  return SimulatedCluster.start({
    seedShop: true,
    tickMs: 0,
    clock: () => clock.now,
    tuning: { secondsPerTick: SECONDS_PER_STEP },
  });
}
const PROTECTED = ['kube-system', 'kube-public', 'kube-node-lease'];

/** Runs one scenario on a fresh cluster; the benchmark's operator approves every proposed action at once. */
export async function runRepairScenario(scenario: RepairScenario, maxSteps = 360): Promise<ScenarioOutcome> {
  const clock = { now: Date.now() };
  const cluster = await steppedCluster(clock);
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
    // A notify-only scenario counts when the person was told and nothing in the cluster was changed.
    recovered: scenario.notifyOnly
      ? main?.state === 'notified' && !changing.some(applied)
      : main?.state === 'verified',
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
  const cluster = await steppedCluster(clock);
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
