import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { actionFor } from '../../src/repair/actions/index.js';
import { KubernetesActuator } from '../../src/repair/executor/KubernetesActuator.js';
import type { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { simulatedClusterPerTest } from '../support/simulatedClusterPerTest.js';

/** The simulated StatefulSet controller, driven and read through client-node. */
const startCluster = simulatedClusterPerTest();

async function start() {
  const cluster = await startCluster();
  const kc = cluster.kubeConfig();
  return { c: cluster, apps: kc.makeApiClient(AppsV1Api), core: kc.makeApiClient(CoreV1Api) };
}

const ready = (p: V1Pod) =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

async function pods(core: CoreV1Api, app = 'orders-db') {
  const list = await core.listNamespacedPod({ namespace: 'shop', labelSelector: `app=${app}` });
  return list.items
    .filter((p) => !p.metadata?.deletionTimestamp)
    .map((p) => ({
      name: p.metadata!.name!,
      revision: p.metadata!.labels!['controller-revision-hash']!,
      ready: ready(p),
      restarts: p.status?.containerStatuses?.[0]?.restartCount ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const revisions = async (apps: AppsV1Api) =>
  (await apps.listNamespacedControllerRevision({ namespace: 'shop', labelSelector: 'app=orders-db' })).items
    .map((r) => ({ name: r.metadata!.name!, revision: r.revision }))
    .sort((a, b) => a.revision - b.revision);

async function settled(c: SimulatedCluster, apps: AppsV1Api) {
  c.step(20);
  return (await apps.readNamespacedStatefulSet({ namespace: 'shop', name: 'orders-db' })).status!;
}

describe('StatefulSet controller', () => {
  it('creates pods in ordinal order, each after the previous is Ready, and records a ControllerRevision', async () => {
    const { c, apps, core } = await start();
    c.createStatefulSet('shop', 'orders-db', 3);
    c.step(1);
    expect((await pods(core)).map((p) => p.name)).toEqual(['orders-db-0']);
    c.step(2);
    expect((await pods(core)).map((p) => p.name)).toEqual(['orders-db-0']);
    const status = await settled(c, apps);
    const all = await pods(core);
    expect(all.map((p) => p.name)).toEqual(['orders-db-0', 'orders-db-1', 'orders-db-2']);
    expect(all.every((p) => p.ready)).toBe(true);
    const [rev] = await revisions(apps);
    expect(rev!.revision).toBe(1);
    expect(all.every((p) => p.revision === rev!.name)).toBe(true);
    expect(status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      updatedReplicas: 3,
      currentRevision: rev!.name,
      updateRevision: rev!.name,
    });
    const pod = await core.readNamespacedPod({ namespace: 'shop', name: 'orders-db-1' });
    expect(pod.spec).toMatchObject({ hostname: 'orders-db-1', subdomain: 'orders-db' });
    // Scale down removes the highest ordinal.
    await apps.patchNamespacedStatefulSetScale({
      namespace: 'shop',
      name: 'orders-db',
      body: [{ op: 'replace', path: '/spec/replicas', value: 2 }],
    });
    c.step(4);
    expect((await pods(core)).map((p) => p.name)).toEqual(['orders-db-0', 'orders-db-1']);
  }, 30_000);

  it('a bad revision stalls at the highest ordinal; reverting the template alone does not replace the broken pod (forced rollback)', async () => {
    const { c, apps, core } = await start();
    c.createStatefulSet('shop', 'orders-db', 3);
    await settled(c, apps);
    const [good] = await revisions(apps);
    c.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'orders-db' });
    // Long enough for the new pod to crash, wait out the kubelet's 10 s back-off and crash again.
    c.step(25);
    const [, bad] = await revisions(apps);
    expect(bad).toMatchObject({ revision: 2 });
    let now = await pods(core);
    expect(now.map((p) => [p.name, p.revision === bad!.name, p.ready])).toEqual([
      ['orders-db-0', false, true],
      ['orders-db-1', false, true],
      ['orders-db-2', true, false],
    ]);
    expect(now[2]!.restarts).toBeGreaterThan(1);
    // kubectl rollout undo's patch: the template goes back, the good revision becomes revision 3 ...
    const data = (await apps.readNamespacedControllerRevision({ namespace: 'shop', name: good!.name }))
      .data as {
      spec: { template: Record<string, unknown> };
    };
    const { $patch: _replace, ...template } = data.spec.template;
    await apps.patchNamespacedStatefulSet({
      namespace: 'shop',
      name: 'orders-db',
      body: [{ op: 'replace', path: '/spec/template', value: template }],
    });
    c.step(20);
    expect((await revisions(apps)).find((r) => r.name === good!.name)!.revision).toBe(3);
    // ... but OrderedReady waits for the broken pod to become Ready, which it never does.
    now = await pods(core);
    expect(now[2]).toMatchObject({ name: 'orders-db-2', revision: bad!.name, ready: false });
    await core.deleteNamespacedPod({ namespace: 'shop', name: 'orders-db-2', gracePeriodSeconds: 0 });
    const status = await settled(c, apps);
    expect((await pods(core)).every((p) => p.ready && p.revision === good!.name)).toBe(true);
    expect(status).toMatchObject({
      readyReplicas: 3,
      currentRevision: good!.name,
      updateRevision: good!.name,
    });
  }, 30_000);

  it('the rollback action reverts the template and deletes the stuck pod, so the StatefulSet recovers', async () => {
    const { c, apps, core } = await start();
    c.createStatefulSet('shop', 'orders-db', 3);
    await settled(c, apps);
    const [good] = await revisions(apps);
    c.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'orders-db' });
    c.step(12);
    const actuator = new KubernetesActuator('simulated', c.kubeConfig());
    const action = actionFor('rollback');
    const target = { kind: 'StatefulSet', namespace: 'shop', name: 'orders-db' };
    const plan = action.plan(target, action.validate({}), await actuator.snapshot('shop'));
    expect(plan.details).toMatchObject({ fromRevision: 2, toRevision: 1, deletedPods: ['orders-db-2'] });
    expect(plan.requests.map((r) => r.verb)).toEqual(['patch', 'delete']);
    for (const r of plan.requests) await actuator.send(r, { dryRun: true });
    for (const r of plan.requests) await actuator.send(r, { dryRun: false });
    const status = await settled(c, apps);
    expect((await pods(core)).every((p) => p.ready && p.revision === good!.name)).toBe(true);
    expect(status.currentRevision).toBe(good!.name);
  }, 30_000);

  it('rollout restart replaces pods from the highest ordinal down, one at a time', async () => {
    const { c, apps, core } = await start();
    c.createStatefulSet('shop', 'orders-db', 3);
    await settled(c, apps);
    const actuator = new KubernetesActuator('simulated', c.kubeConfig());
    const action = actionFor('rollout-restart');
    const target = { kind: 'StatefulSet', namespace: 'shop', name: 'orders-db' };
    const plan = action.plan(target, {}, await actuator.snapshot('shop'));
    await actuator.send(plan.requests[0]!, { dryRun: false });
    const seen: string[][] = [];
    for (let i = 0; i < 30; i++) {
      c.step(1);
      const [, next] = await revisions(apps);
      if (!next) continue;
      seen.push((await pods(core)).filter((p) => p.revision === next.name).map((p) => p.name));
    }
    const orders = [...new Set(seen.map((s) => s.join(',')))];
    expect(orders).toEqual([
      '',
      'orders-db-2',
      'orders-db-1,orders-db-2',
      'orders-db-0,orders-db-1,orders-db-2',
    ]);
    expect((await pods(core)).every((p) => p.ready)).toBe(true);
  }, 30_000);
});
