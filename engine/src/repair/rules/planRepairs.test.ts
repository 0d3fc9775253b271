import { describe, expect, it } from 'vitest';
import type {
  V1ControllerRevision,
  V1CronJob,
  V1Job,
  V1StatefulSet,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { ClusterSnapshot, PlannedAction, RecentAction, RepairPolicy } from '../types.js';
import { scanSnapshot } from '../detectors/index.js';
import {
  NOW,
  ago,
  deployment,
  event,
  node,
  pod,
  replicaSet,
  rollout,
  rsPod,
  workers,
} from '../../../test/fixtures/repair/kubeObjects.js';
import { defaultRepairPolicy, defaultRuleFile } from './defaultRules.js';
import { parseRuleFile } from './loadRules.js';
import { planRepairs, planRepairsWithReasons } from './planRepairs.js';

const crashing = {
  state: { waiting: 'CrashLoopBackOff' } as const,
  restarts: 8,
  lastTerminated: { reason: 'Error', exitCode: 1, finishedAgo: 30 },
};

function plan(
  snapshot: ClusterSnapshot,
  policy: Partial<RepairPolicy> = {},
  history: RecentAction[] = [],
): PlannedAction[] {
  return planRepairs(
    scanSnapshot(snapshot, NOW),
    snapshot,
    defaultRuleFile(),
    defaultRepairPolicy(policy),
    NOW,
    history,
  );
}
const types = (actions: PlannedAction[]) => actions.map((a) => a.type).sort();
const ACTING = [
  'restart-pod',
  'rollout-restart',
  'rollback',
  'raise-memory-limit',
  'scale',
  'cordon-node',
  'drain-node',
  'delete-evicted-pods',
  'raise-hpa-max',
];

function oomDeployment(limit: string, nodeMemory = '15125526Ki'): ClusterSnapshot {
  const dep = deployment('analytics', 'renderer', { container: { memoryLimit: limit } });
  const rs = replicaSet(dep, 'h1', { revision: 1, replicas: 3, available: 2 });
  const pods = ['p1', 'p2'].map((s) =>
    rsPod(rs, s, {
      restarts: 5,
      lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedAgo: 200 },
      container: { memoryLimit: limit },
    }),
  );
  return {
    nodes: [...workers(2, { memory: nodeMemory }), node('cp-1', { controlPlane: true, memory: '64Gi' })],
    deployments: [dep],
    replicaSets: [rs],
    pods,
  };
}

function hpaScenario(pendingPod: boolean, cpuRequest = '100m'): ClusterSnapshot {
  const dep = deployment('store', 'web', { replicas: 10, container: { cpuRequest } });
  const rs = replicaSet(dep, 'h1', { revision: 3, replicas: 10, available: 10 });
  const pods = Array.from({ length: 10 }, (_, i) => rsPod(rs, `p${i}`, { container: { cpuRequest } }));
  if (pendingPod)
    pods.push(
      rsPod(rs, 'px', { unschedulable: '0/3 nodes are available: 3 Insufficient cpu.', createdAgo: 900 }),
    );
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'store' },
    spec: {
      minReplicas: 4,
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } },
        },
      ],
    },
    status: {
      currentReplicas: 10,
      desiredReplicas: 10,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 92 } } }],
      conditions: [
        { type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', lastTransitionTime: ago(3000) },
      ],
    },
  } as unknown as V2HorizontalPodAutoscaler;
  return { nodes: workers(), deployments: [dep], replicaSets: [rs], pods, horizontalPodAutoscalers: [hpa] };
}

describe('planRepairs with the default rules', () => {
  it('rolls a crash-looping rollout back to the healthy previous revision, and tells a person', () => {
    const actions = plan(rollout('shop', 'checkout', (rs, s) => rsPod(rs, s, crashing)));
    const rollback = actions.find((a) => a.type === 'rollback')!;
    expect(rollback).toMatchObject({
      target: { kind: 'Deployment', name: 'checkout' },
      params: { toRevision: 4, fromRevision: 5, toReplicaSet: 'checkout-oldhash' },
      ruleId: 'bad-rollout-rollback',
      mode: 'approve',
    });
    expect(types(actions)).toEqual(['notify', 'rollback']);
  });

  it('never rolls back when the previous revision fails too, or when there is none', () => {
    const bothFail = plan(
      rollout('shop', 'checkout', (rs, s) => rsPod(rs, s, crashing), { previousAvailable: 0 }),
    );
    expect(types(bothFail)).toEqual(['notify']);
    const dep = deployment('shop', 'solo', { available: 0 });
    const rs = replicaSet(dep, 'h1', { revision: 1, replicas: 3, available: 0 });
    expect(
      types(
        plan({ nodes: workers(), deployments: [dep], replicaSets: [rs], pods: [rsPod(rs, 'p1', crashing)] }),
      ),
    ).toEqual(['notify']);
  });

  it('rolls back a revision that references a missing ConfigMap, and only notifies without a healthy previous one', () => {
    const broken = (rs: Parameters<typeof rsPod>[0], s: string) =>
      rsPod(rs, s, {
        state: { waiting: 'CreateContainerConfigError', message: 'configmap "rules-v2" not found' },
        createdAgo: 900,
      });
    expect(types(plan(rollout('pricing', 'tariff', broken)))).toEqual(['notify', 'rollback']);
    expect(types(plan(rollout('pricing', 'tariff', broken, { previousAvailable: 0 })))).toEqual(['notify']);
  });

  it('rolls back a stuck rollout whose new pods run but never get Ready, not one whose pods cannot be scheduled', () => {
    const running = rollout('docs', 'portal', (rs, s) =>
      rsPod(rs, s, { state: { running: true, ready: false, startedAgo: 1400 } }),
    );
    expect(plan(running).find((a) => a.type === 'rollback')).toMatchObject({
      ruleId: 'stuck-rollout-rollback',
      params: { toRevision: 4 },
    });
    const pending = rollout('docs', 'portal', (rs, s) =>
      rsPod(rs, s, { unschedulable: '0/3 nodes are available: 3 Insufficient memory.', createdAgo: 1400 }),
    );
    expect(types(plan(pending))).toEqual(['notify']);
  });

  it('rolls back an image that cannot be pulled', () => {
    const actions = plan(
      rollout('notify', 'push', (rs, s) =>
        rsPod(rs, s, { state: { waiting: 'ImagePullBackOff' }, createdAgo: 900 }),
      ),
    );
    expect(types(actions)).toContain('rollback');
  });

  it('raises a repeatedly OOMKilled limit 2x within the largest Ready worker, else notifies', () => {
    const [raise] = plan(oomDeployment('512Mi'));
    expect(raise).toMatchObject({
      type: 'raise-memory-limit',
      target: { kind: 'Deployment', name: 'renderer' },
      params: { container: 'app', from: '512Mi', to: '1Gi', factor: 2 },
    });
    // 10Gi doubled is 20Gi: above the 14.4Gi workers (the control plane's 64Gi does not count).
    expect(types(plan(oomDeployment('10Gi')))).toEqual(['notify']);
  });

  it('only notifies about pods no node can take, never adds replicas', () => {
    const dep = deployment('ml', 'embed', { replicas: 5, available: 3 });
    const rs = replicaSet(dep, 'h1', { revision: 1, replicas: 5, available: 3 });
    const pods = ['p1', 'p2', 'p3']
      .map((s) => rsPod(rs, s))
      .concat(
        ['p4', 'p5'].map((s) => rsPod(rs, s, { unschedulable: '3 Insufficient cpu', createdAgo: 900 })),
      );
    expect(types(plan({ nodes: workers(), deployments: [dep], replicaSets: [rs], pods }))).toEqual([
      'notify',
    ]);
  });

  it('raises an HPA max within the cap when all pods are Ready, notifies when some cannot schedule, never scales', () => {
    const [raise] = plan(hpaScenario(false));
    expect(raise).toMatchObject({
      type: 'raise-hpa-max',
      target: { kind: 'HorizontalPodAutoscaler', name: 'web' },
      params: { fromMaxReplicas: 10, toMaxReplicas: 15 },
    });
    const blocked = plan(hpaScenario(true));
    expect(types(blocked)).toEqual(['notify']);
    // 5 more replicas of 1 CPU do not fit three 3.92-CPU workers that already run ten of them.
    expect(types(plan(hpaScenario(false, '1')))).toEqual(['notify']);
  });

  it('deletes Evicted pods and tells a person about the node behind them', () => {
    const dep = deployment('media', 'resizer');
    const rs = replicaSet(dep, 'h1', { revision: 1, replicas: 3, available: 3 });
    const pods = [rsPod(rs, 'r1'), rsPod(rs, 'e1', { node: 'worker-2', phase: 'Failed', reason: 'Evicted' })];
    const actions = plan({ nodes: workers(), deployments: [dep], replicaSets: [rs], pods });
    expect(actions.map((a) => `${a.type} ${a.target.kind}/${a.target.name}`)).toEqual([
      'delete-evicted-pods Deployment/resizer',
      'notify Node/worker-2',
    ]);
  });

  it('cordons a NotReady worker when others are Ready; never the last Ready worker, never a control-plane node', () => {
    const sick = node('worker-9', { ready: 'Unknown', readySince: 900 });
    expect(types(plan({ nodes: [...workers(2), sick] }))).toEqual(['cordon-node', 'notify']);
    expect(types(plan({ nodes: [node('cp-1', { controlPlane: true }), sick] }))).toEqual(['notify']);
    expect(
      types(
        plan({
          nodes: [...workers(2), node('cp-2', { controlPlane: true, ready: 'False', readySince: 900 })],
        }),
      ),
    ).toEqual(['notify']);
    expect(types(plan({ nodes: [...workers(2), node('worker-8', { pressure: ['DiskPressure'] })] }))).toEqual(
      ['cordon-node', 'notify'],
    );
  });

  it("counts workers with a team taint as room, and a single-node cluster's untainted control plane as a worker", () => {
    const dedicated = workers(2).map((n) => ({
      ...n,
      spec: { taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] },
    }));
    expect(
      types(plan({ nodes: [...dedicated, node('worker-9', { ready: 'Unknown', readySince: 900 })] })),
    ).toEqual(['cordon-node', 'notify']);
    const single = oomDeployment('512Mi');
    const lone = node('k3s-1', { memory: '8Gi' });
    lone.metadata!.labels!['node-role.kubernetes.io/control-plane'] = 'true';
    single.nodes = [lone];
    expect(types(plan(single))).toEqual(['raise-memory-limit']);
  });

  it('notifies about a failed Job, and raises the CronJob limit when OOM killed its pods', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'export', namespace: 'rep' },
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: { containers: [{ name: 'exporter', resources: { limits: { memory: '256Mi' } } }] },
            },
          },
        },
      },
    } as unknown as V1CronJob;
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'export-1',
        namespace: 'rep',
        ownerReferences: [{ kind: 'CronJob', name: 'export', controller: true }],
      },
      spec: { template: cron.spec!.jobTemplate.spec!.template },
      status: {
        conditions: [
          { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', lastTransitionTime: ago(600) },
        ],
      },
    } as unknown as V1Job;
    const failedPod = (reason: string) =>
      pod('rep', 'export-1-x', {
        phase: 'Failed',
        owner: { kind: 'Job', name: 'export-1' },
        state: { waiting: 'x' },
        lastTerminated: { reason, exitCode: 137, finishedAgo: 700 },
        container: { name: 'exporter' },
      });
    expect(
      types(plan({ nodes: workers(), cronJobs: [cron], jobs: [job], pods: [failedPod('Error')] })),
    ).toEqual(['notify']);
    const [raise] = plan({ nodes: workers(), cronJobs: [cron], jobs: [job], pods: [failedPod('OOMKilled')] });
    expect(raise).toMatchObject({
      type: 'raise-memory-limit',
      target: { kind: 'CronJob', name: 'export' },
      params: { to: '512Mi' },
    });
  });

  it('only notifies in protected namespaces and about pods no controller owns', () => {
    const system = plan(rollout('kube-system', 'coredns', (rs, s) => rsPod(rs, s, crashing)));
    expect(types(system)).toEqual(['notify']);
    const bare = plan({ nodes: workers(), pods: [pod('tools', 'debug', { ...crashing, node: 'worker-1' })] });
    expect(bare).toMatchObject([
      { type: 'notify', target: { kind: 'Pod', name: 'debug' }, ruleId: 'unowned-notify' },
    ]);
  });

  it('rolls a StatefulSet back to the ControllerRevision its Ready pods still run', () => {
    const owner = [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'cache', uid: 'u-sts', controller: true },
    ];
    const cr = (name: string, revision: number, createdAgo: number) =>
      ({
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name, namespace: 'db', creationTimestamp: ago(createdAgo), ownerReferences: owner },
        revision,
      }) as unknown as V1ControllerRevision;
    const member = (i: number, rev: string, o: Parameters<typeof pod>[2] = {}) =>
      pod('db', `cache-${i}`, {
        node: 'worker-1',
        owner: { kind: 'StatefulSet', name: 'cache', uid: 'u-sts' },
        labels: { 'controller-revision-hash': rev },
        ...o,
      });
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'cache', namespace: 'db', uid: 'u-sts' },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'app' }] } } },
      status: { replicas: 3, readyReplicas: 2 },
    } as unknown as V1StatefulSet;
    const snapshot: ClusterSnapshot = {
      nodes: workers(),
      statefulSets: [sts],
      controllerRevisions: [cr('cache-v1', 1, 30 * 86_400), cr('cache-v2', 2, 1200)],
      pods: [
        member(0, 'cache-v1'),
        member(1, 'cache-v1'),
        member(2, 'cache-v2', { ...crashing, createdAgo: 1100 }),
      ],
    };
    const rollback = plan(snapshot).find((a) => a.type === 'rollback');
    expect(rollback).toMatchObject({
      target: { kind: 'StatefulSet', name: 'cache' },
      params: { toRevision: 1, fromRevision: 2, toControllerRevision: 'cache-v1' },
    });
    // The same failure with every pod on the new revision: nothing healthy to go back to. (A new snapshot object:
    // scans treat snapshots as immutable and cache their index.)
    const allNew: ClusterSnapshot = {
      ...snapshot,
      pods: [
        member(0, 'cache-v2', crashing),
        member(1, 'cache-v2', crashing),
        member(2, 'cache-v2', crashing),
      ],
      controllerRevisions: [cr('cache-v1', 1, 30 * 86_400), cr('cache-v2', 2, 20 * 86_400)],
    };
    expect(types(plan(allNew))).toEqual(['notify']);
  });

  it('plans nothing for a healthy cluster', () => {
    const dep = deployment('shop', 'cart');
    const rs = replicaSet(dep, 'h1', { revision: 2, replicas: 3, available: 3 });
    const pods = ['a', 'b', 'c'].map((s) =>
      rsPod(
        rs,
        s,
        s === 'a'
          ? { restarts: 2, lastTerminated: { reason: 'Error', exitCode: 1, finishedAgo: 3 * 86_400 } }
          : {},
      ),
    );
    expect(plan({ nodes: workers(), deployments: [dep], replicaSets: [rs], pods })).toEqual([]);
  });
});

describe('planRepairs policy and guards', () => {
  const crashRollout = () => rollout('shop', 'checkout', (rs, s) => rsPod(rs, s, crashing));

  it('caps modes by the policy (shadow mode) and turns everything to observe under the kill switch', () => {
    // By default acting waits for approval; telling a person does not.
    expect(
      plan(crashRollout())
        .map((a) => `${a.type}:${a.mode}`)
        .sort(),
    ).toEqual(['notify:auto', 'rollback:approve']);
    expect(new Set(plan(crashRollout(), { maxMode: 'recommend' }).map((a) => a.mode))).toEqual(
      new Set(['recommend']),
    );
    expect(new Set(plan(crashRollout(), { killSwitch: true }).map((a) => a.mode))).toEqual(
      new Set(['observe']),
    );
  });

  it('holds an action back during its cooldown and once the namespace budget is spent, notifying instead', () => {
    const target = { kind: 'Deployment', namespace: 'shop', name: 'checkout' };
    const recent = [{ type: 'rollback' as const, target, ruleId: 'bad-rollout-rollback', at: ago(600) }];
    expect(types(plan(crashRollout(), {}, recent))).toEqual(['notify']);
    const spent = [1, 2, 3].map((i) => ({
      type: 'rollback' as const,
      target: { ...target, name: `other-${i}` },
      ruleId: 'bad-rollout-rollback',
      at: ago(1200),
    }));
    const { actions, skipped } = planRepairsWithReasons(
      scanSnapshot(crashRollout(), NOW),
      crashRollout(),
      defaultRuleFile(),
      defaultRepairPolicy(),
      NOW,
      spent,
    );
    expect(types(actions)).toEqual(['notify']);
    expect(skipped.map((s) => s.reason).join()).toContain('budget: 3 rollback actions per hour');
  });

  it('downgrades acting outside the maintenance windows to recommend', () => {
    const rules = parseRuleFile(`apiVersion: repair.aicloudops.io/v1
kind: RepairRules
rules:
  - id: rollback-at-night
    match: { types: [CrashLoopBackOff] }
    action: { type: rollback }
    mode: auto
    maintenanceWindows: [{ start: "22:00", end: "04:00" }]`);
    const s = crashRollout();
    const [noon] = planRepairs(scanSnapshot(s, NOW), s, rules, defaultRepairPolicy({ maxMode: 'auto' }), NOW);
    expect(noon!.mode).toBe('recommend');
    const night = new Date('2025-03-01T23:30:00Z');
    const [late] = planRepairs(
      scanSnapshot(s, night),
      s,
      rules,
      defaultRepairPolicy({ maxMode: 'auto' }),
      night,
    );
    expect(late!.mode).toBe('auto');
  });

  it('refuses what a careless rule file asks for: drain the last Ready worker, scale unschedulable pods, roll back without history', () => {
    const rules = parseRuleFile(`apiVersion: repair.aicloudops.io/v1
kind: RepairRules
rules:
  - id: drain-everything
    match: { types: [NodeNotReady, NodePressure] }
    action: { type: drain-node }
  - id: scale-pending
    match: { types: [Unschedulable] }
    action: { type: scale, params: { addReplicas: 3 } }
  - id: always-rollback
    match: { types: [CrashLoopBackOff] }
    action: { type: rollback }`);
    const dep = deployment('ml', 'embed', { replicas: 4, available: 3 });
    const rs = replicaSet(dep, 'h1', { revision: 1, replicas: 4, available: 3 });
    const snapshot: ClusterSnapshot = {
      // worker-1 is the last Ready worker (and tainted by its pressure); worker-2's pods have nowhere to go.
      nodes: [
        node('worker-1', { pressure: ['MemoryPressure'] }),
        node('worker-2', { ready: 'Unknown', readySince: 900 }),
      ],
      deployments: [dep],
      replicaSets: [rs],
      pods: [
        rsPod(rs, 'p1', crashing),
        rsPod(rs, 'p4', { unschedulable: '1 Insufficient memory', createdAgo: 900 }),
      ],
      events: [event({ kind: 'Node', name: 'worker-2' }, 'NodeNotReady', 'NodeNotReady')],
    };
    const { actions, skipped } = planRepairsWithReasons(
      scanSnapshot(snapshot, NOW),
      snapshot,
      rules,
      defaultRepairPolicy(),
      NOW,
    );
    expect(actions.filter((a) => ACTING.includes(a.type))).toEqual([]);
    const reasons = skipped.map((s) => s.reason).join('\n');
    expect(reasons).toContain('last-ready-worker');
    expect(reasons).toContain('no-pods-that-cannot-schedule');
    expect(reasons).toContain('no previous revision');
  });
});
