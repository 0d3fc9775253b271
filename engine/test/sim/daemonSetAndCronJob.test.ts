import { AppsV1Api, BatchV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { scanSnapshot } from '../../src/repair/detectors/index.js';
import { KubernetesActuator } from '../../src/repair/executor/KubernetesActuator.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { cronMatcher } from '../../src/sim/controller/CronJobController.js';

/** The simulated DaemonSet and CronJob controllers, driven and read through client-node. */
let cluster: SimulatedCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const ready = (p: V1Pod) =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

describe('DaemonSet controller', () => {
  it('runs one pod per node, keeps it on a cordoned or lost node, and rolls a new template out one node at a time', async () => {
    cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
    const kc = cluster.kubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const agents = async () =>
      (await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=node-agent' })).items.filter(
        (p) => !p.metadata?.deletionTimestamp,
      );
    cluster.createDaemonSet('shop', 'node-agent');
    cluster.step(6);
    let pods = await agents();
    expect(pods.map((p) => p.spec?.nodeName).sort()).toEqual(['sim-node-1', 'sim-node-2', 'sim-node-3']);
    expect(pods.every(ready)).toBe(true);
    expect(
      (await apps.readNamespacedDaemonSet({ namespace: 'shop', name: 'node-agent' })).status,
    ).toMatchObject({
      desiredNumberScheduled: 3,
      numberReady: 3,
      updatedNumberScheduled: 3,
    });

    await core.patchNode({
      name: 'sim-node-2',
      body: [{ op: 'add', path: '/spec/unschedulable', value: true }],
    });
    cluster.step(2);
    expect((await agents()).map((p) => p.spec?.nodeName).sort()).toEqual([
      'sim-node-1',
      'sim-node-2',
      'sim-node-3',
    ]);

    await apps.patchNamespacedDaemonSet({
      namespace: 'shop',
      name: 'node-agent',
      body: [
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/image',
          value: 'ghcr.io/ai-cloudops/node-agent:0.9.4',
        },
      ],
    });
    let mostUnavailable = 0;
    for (let i = 0; i < 20; i++) {
      cluster.step(1);
      pods = await agents();
      mostUnavailable = Math.max(mostUnavailable, 3 - pods.filter(ready).length);
    }
    expect(mostUnavailable).toBe(1);
    expect(
      pods.every((p) => p.spec?.containers[0]?.image === 'ghcr.io/ai-cloudops/node-agent:0.9.4' && ready(p)),
    ).toBe(true);
    // A node lost for longer than the eviction delay: its other pods are evicted, the daemon (tolerating
    // not-ready NoExecute) stays, as the taint manager leaves it.
    cluster.ledger.inject({
      type: 'node-not-ready',
      namespace: 'shop',
      service: 'frontend',
      node: 'sim-node-3',
    });
    cluster.step(35);
    const onNode3 = await core.listNamespacedPod({
      namespace: 'shop',
      fieldSelector: 'spec.nodeName=sim-node-3',
    });
    expect(onNode3.items.map((p) => p.metadata?.labels?.['app'])).toEqual(['node-agent']);
    const history = await apps.listNamespacedControllerRevision({
      namespace: 'shop',
      labelSelector: 'app=node-agent',
    });
    expect(history.items.map((r) => r.revision).sort()).toEqual([1, 2]);
  }, 30_000);
});

describe('CronJob controller', () => {
  it('matches five-field schedules and macros in UTC', () => {
    const at = (iso: string) => new Date(iso);
    expect(cronMatcher('*/5 * * * *')(at('2026-12-06T10:15:00Z'))).toBe(true);
    expect(cronMatcher('*/5 * * * *')(at('2026-12-06T10:16:00Z'))).toBe(false);
    expect(cronMatcher('0 2 * * 1-5')(at('2026-12-07T02:00:00Z'))).toBe(true); // a Monday
    expect(cronMatcher('0 2 * * 1-5')(at('2026-12-06T02:00:00Z'))).toBe(false); // a Sunday
    expect(cronMatcher('30 1,13 * * *')(at('2026-12-06T13:30:00Z'))).toBe(true);
    expect(cronMatcher('@hourly')(at('2026-12-06T13:00:00Z'))).toBe(true);
    expect(cronMatcher('0 0 * * 7')(at('2026-12-06T00:00:00Z'))).toBe(true); // 7 is Sunday too
    expect(() => cronMatcher('* * *')).toThrow(/five fields/);
  });

  it('starts a Job per scheduled minute, keeps the failed history limit, and a failed run is a JobFailed finding owned by the CronJob', async () => {
    // Half a minute into the next minute: objects are stamped with the wall clock, the controllers read this one.
    const nextMinute = () => (Math.floor(Date.now() / 60_000) + 1) * 60_000 + 30_000;
    const clock = { now: nextMinute() };
    cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0, clock: () => clock.now });
    const batch = cluster.kubeConfig().makeApiClient(BatchV1Api);
    // Taken again once the cluster is up: a start that crossed a minute boundary stamped the CronJob in the minute
    // of the first run, which is then not due (failed in CI under load).
    const start = nextMinute();
    clock.now = start;
    cluster.createCronJob('shop', 'nightly-report', '*/2 * * * *', 'fail');
    const names = new Set<string>();
    // 5 s a tick: a failing run (two pods, backoffLimit 1) ends well before the next one is due (Forbid).
    for (let i = 0; i < 144; i++) {
      clock.now += 5_000;
      cluster.step(1);
      for (const j of (await batch.listNamespacedJob({ namespace: 'shop' })).items)
        names.add(j.metadata!.name!);
    }
    // Created in the minute before `start`; 12 minutes pass: a run at each even minute from start's minute on,
    // named by minutes since the epoch.
    const first = Math.floor(start / 60_000);
    const even = Array.from({ length: 13 }, (_, i) => first + i).filter((m) => m % 2 === 0);
    expect([...names].sort()).toEqual(even.map((m) => `nightly-report-${m}`));
    // The clock stands still (no new run is due) while the last run finishes and the history is trimmed.
    cluster.step(12);
    const jobs = (await batch.listNamespacedJob({ namespace: 'shop' })).items;
    const failed = jobs.filter((j) =>
      j.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True'),
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]!.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'CronJob',
      name: 'nightly-report',
    });
    const cj = await batch.readNamespacedCronJob({ namespace: 'shop', name: 'nightly-report' });
    expect(cj.status?.lastScheduleTime?.getTime()).toBe(even[even.length - 1]! * 60_000);

    const actuator = new KubernetesActuator('simulated', cluster.kubeConfig());
    const findings = scanSnapshot(await actuator.snapshot('shop'), new Date(clock.now)).filter(
      (f) => f.type === 'JobFailed',
    );
    expect(findings.map((f) => f.object.name)).toEqual([failed[0]!.metadata!.name]);
    expect(findings[0]!.owners.map((o) => o.kind)).toContain('CronJob');
  }, 30_000);

  it('a succeeding schedule keeps three completed runs and records lastSuccessfulTime; suspend stops new runs', async () => {
    const clock = { now: (Math.floor(Date.now() / 60_000) + 1) * 60_000 + 30_000 };
    cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0, clock: () => clock.now });
    const batch = cluster.kubeConfig().makeApiClient(BatchV1Api);
    cluster.createCronJob('shop', 'cache-warm', '* * * * *', 'succeed');
    for (let i = 0; i < 40; i++) {
      clock.now += 15_000;
      cluster.step(1);
    }
    const complete = (await batch.listNamespacedJob({ namespace: 'shop' })).items.filter((j) =>
      j.status?.conditions?.some((c) => c.type === 'Complete'),
    );
    expect(complete).toHaveLength(3);
    const cj = await batch.readNamespacedCronJob({ namespace: 'shop', name: 'cache-warm' });
    expect(cj.status?.lastSuccessfulTime).toBeDefined();
    await batch.patchNamespacedCronJob({
      namespace: 'shop',
      name: 'cache-warm',
      body: [{ op: 'add', path: '/spec/suspend', value: true }],
    });
    const before = (await batch.readNamespacedCronJob({ namespace: 'shop', name: 'cache-warm' })).status
      ?.lastScheduleTime;
    for (let i = 0; i < 12; i++) {
      clock.now += 15_000;
      cluster.step(1);
    }
    expect(
      (await batch.readNamespacedCronJob({ namespace: 'shop', name: 'cache-warm' })).status?.lastScheduleTime,
    ).toEqual(before);
  }, 30_000);
});
