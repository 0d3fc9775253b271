import { CoreV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubernetesActuator } from '../../src/repair/executor/KubernetesActuator.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { FAST_VERIFY, driveUntilFinal, findingOf, plannedFor, replica } from './support.js';

/**
 * The ACT pipeline against the simulated API server through client-node: fault → finding → action → dry-run →
 * (approval) → re-check → apply → verify → audit, and every way an action is stopped or undone.
 */
let cluster: SimulatedCluster;
beforeEach(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
});
afterEach(() => cluster?.stop());

const auditKinds = async (r: ReturnType<typeof replica>, actionId: string) =>
  (await r.audit.query({ actionId })).map((a) => a.kind);
const image = async (name: string) => {
  const d = await new KubernetesActuator('simulated', cluster.kubeConfig()).read({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'shop',
    name,
  });
  return (
    d as {
      spec: {
        template: {
          spec: { containers: Array<{ image: string; resources?: { limits?: { memory?: string } } }> };
        };
      };
    }
  ).spec.template.spec.containers[0]!;
};

describe('RepairExecutor', () => {
  it('bad rollout → CrashLoopBackOff → rollback (auto): dry-run, apply, recovered, audited', async () => {
    const before = (await image('payment')).image;
    const fault = cluster.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'payment' });
    cluster.step(6);
    const { finding } = await findingOf(cluster, 'CrashLoopBackOff', 'payment');
    const r = replica(cluster);
    const record = await r.executor.submit(plannedFor(finding, 'rollback', 'auto'), finding, {
      ...FAST_VERIFY,
      kubernetes: ['deploymentAvailable'],
    });
    expect(await driveUntilFinal(cluster, r, record.id)).toBe('verified');
    expect((await image('payment')).image).toBe(before);
    expect(cluster.ledger.all().find((f) => f.id === fault.id)?.endedAt).toEqual(expect.any(Number));
    const done = await r.actions.require(record.id);
    expect(done.dryRun?.ok).toBe(true);
    expect(done.dryRun?.diff.some((d) => d.path.endsWith('/image'))).toBe(true);
    expect(await auditKinds(r, record.id)).toEqual([
      'finding',
      'dry-run',
      'approved',
      'recheck',
      'applied',
      'verified',
    ]);
    const applied = (await r.audit.query({ actionId: record.id })).find((a) => a.kind === 'applied')!;
    expect(JSON.stringify(applied.data)).toContain('/spec/template');
    expect(await r.audit.verify()).toMatchObject({ ok: true });
    expect(await findingOf(cluster, 'CrashLoopBackOff', 'payment', 0).catch(() => 'gone')).toBe('gone');
  });

  it('an approved action whose finding is gone at the re-check waits two minutes before it is dropped unapplied', async () => {
    const fault = cluster.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'payment' });
    cluster.step(6);
    const { finding } = await findingOf(cluster, 'CrashLoopBackOff', 'payment');
    const r = replica(cluster);
    const record = await r.executor.submit(plannedFor(finding, 'rollback', 'approve'), finding, FAST_VERIFY);
    await r.executor.tick();
    expect((await r.actions.require(record.id)).state).toBe('awaiting-approval');
    cluster.ledger.resolve(fault.id);
    cluster.step(15);
    await r.executor.approve(record.id, 'alice');
    const imageBefore = (await image('payment')).image;
    await r.executor.tick();
    const waiting = await r.actions.require(record.id);
    expect(waiting.state).toBe('approved');
    expect(waiting.clearSince).toEqual(expect.any(String));
    r.clock.now += 100_000;
    await r.executor.tick();
    expect((await r.actions.require(record.id)).state).toBe('approved');
    r.clock.now += 30_000;
    await r.executor.tick();
    const dropped = await r.actions.require(record.id);
    expect(dropped.state).toBe('cleared');
    const skipped = (await r.audit.query({ actionId: record.id })).find((a) => a.kind === 'skipped')!;
    expect(JSON.stringify(skipped.data)).toContain('stayed cleared for 120s');
    expect((await image('payment')).image).toBe(imageBefore);
    expect((await auditKinds(r, record.id)).slice(-3)).toEqual(['approved', 'recheck', 'skipped']);
  });

  it('OOMKilled → raise-memory-limit waits for an operator, then applies and recovers', async () => {
    const fault = cluster.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    cluster.step(6);
    const { finding } = await findingOf(cluster, 'OOMKilled', 'cart');
    const r = replica(cluster);
    const record = await r.executor.submit(
      plannedFor(finding, 'raise-memory-limit', 'approve', { factor: 2 }),
      finding,
      FAST_VERIFY,
    );
    await r.executor.tick();
    expect((await r.actions.require(record.id)).state).toBe('awaiting-approval');
    const limitBefore = (await image('cart')).resources?.limits?.memory;
    await r.executor.tick();
    expect((await image('cart')).resources?.limits?.memory).toBe(limitBefore);
    await r.executor.approve(record.id, 'alice');
    await expect(r.executor.approve(record.id, 'bob')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await driveUntilFinal(cluster, r, record.id)).toBe('verified');
    expect((await image('cart')).resources?.limits?.memory).toBe(`${parseInt(limitBefore!, 10) * 2}Mi`);
    // The right change ends the fault itself, so the demo's metrics (which read the same ledger) recover too.
    expect(cluster.ledger.all().find((f) => f.id === fault.id)?.endedAt).toEqual(expect.any(Number));
    const approved = (await r.audit.query({ actionId: record.id })).find((a) => a.kind === 'approved')!;
    expect(approved.actor).toBe('alice');
  });

  it('a wrong action (rollout-restart for OOMKilled) does not recover and is rolled back and escalated', async () => {
    const fault = cluster.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    cluster.step(6);
    const { finding } = await findingOf(cluster, 'OOMKilled', 'cart');
    const r = replica(cluster);
    const record = await r.executor.submit(plannedFor(finding, 'rollout-restart', 'auto'), finding, {
      ...FAST_VERIFY,
      deadline: 120,
    });
    expect(await driveUntilFinal(cluster, r, record.id)).toBe('rolled-back');
    const template = (await new KubernetesActuator('simulated', cluster.kubeConfig()).read({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'cart',
    })) as {
      spec: { template: { metadata?: { annotations?: Record<string, string> } } };
    };
    expect(
      template.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'],
    ).toBeUndefined();
    expect(await auditKinds(r, record.id)).toEqual(
      expect.arrayContaining(['applied', 'rolled-back', 'escalated']),
    );
    expect(r.notifications.some((n) => n.kind === 'escalation' && n.actionId === record.id)).toBe(true);
    // A restart does not give the service the memory it needs: the fault goes on.
    expect(cluster.ledger.all().find((f) => f.id === fault.id)?.endedAt).toBeUndefined();
  });

  it('the kill switch stops an action before the dry-run and again before the write', async () => {
    cluster.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'payment' });
    cluster.step(6);
    const { finding } = await findingOf(cluster, 'CrashLoopBackOff', 'payment');
    const r = replica(cluster);
    r.kill.on = true;
    const first = await r.executor.submit(plannedFor(finding, 'rollback', 'auto'), finding, FAST_VERIFY);
    await r.executor.tick();
    expect(await r.actions.require(first.id)).toMatchObject({
      state: 'stopped',
      reason: 'the kill switch is on',
    });
    r.kill.on = false;
    const second = await r.executor.submit(plannedFor(finding, 'rollback', 'approve'), finding, FAST_VERIFY);
    await r.executor.tick();
    await r.executor.approve(second.id, 'alice');
    r.kill.on = true;
    const imageBefore = (await image('payment')).image;
    await r.executor.tick();
    expect((await r.actions.require(second.id)).state).toBe('stopped');
    expect((await image('payment')).image).toBe(imageBefore);
  });

  it('the loop breaker stops acting on a target changed k times within T', async () => {
    cluster.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    const { finding } = await findingOf(cluster, 'OOMKilled', 'cart');
    const r = replica(cluster);
    // Three earlier writes to the Deployment within the hour (the replica's limit is 3 per 3600 s).
    for (let i = 0; i < 3; i++)
      await r.actions.touch('Deployment/shop/cart', new Date(r.clock.now - i * 60_000), 3600);
    const limitBefore = (await image('cart')).resources?.limits?.memory;
    const record = await r.executor.submit(
      plannedFor(finding, 'raise-memory-limit', 'auto'),
      finding,
      FAST_VERIFY,
    );
    await r.executor.tick();
    expect(await r.actions.require(record.id)).toMatchObject({
      state: 'stopped',
      reason: expect.stringMatching(/^loop breaker: 3 changes/),
    });
    expect((await image('cart')).resources?.limits?.memory).toBe(limitBefore);
    expect(r.notifications.some((n) => n.kind === 'escalation' && n.actionId === record.id)).toBe(true);
    // Once the window has passed, acting is allowed again.
    r.clock.now += 3_601_000;
    const later = await r.executor.submit(
      plannedFor(finding, 'raise-memory-limit', 'auto'),
      finding,
      FAST_VERIFY,
    );
    await r.executor.tick();
    expect((await r.actions.require(later.id)).state).not.toBe('stopped');
  });

  it('an approval that expired cannot be used', async () => {
    cluster.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    cluster.step(6);
    const { finding } = await findingOf(cluster, 'OOMKilled', 'cart');
    const r = replica(cluster, { approvalTtlSeconds: 60 });
    const record = await r.executor.submit(
      plannedFor(finding, 'raise-memory-limit', 'approve'),
      finding,
      FAST_VERIFY,
    );
    await r.executor.tick();
    r.clock.now += 61_000;
    await expect(r.executor.approve(record.id, 'alice')).rejects.toThrow(/expired/);
    expect((await r.actions.require(record.id)).state).toBe('expired');
  });

  it('a dry-run the API server refuses stops the action and nothing is written', async () => {
    const guarded = await SimulatedCluster.start({
      seedShop: true,
      tickMs: 0,
      token: 'right-token-1234567890',
    });
    try {
      guarded.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
      guarded.step(6);
      const { finding } = await findingOf(guarded, 'OOMKilled', 'cart');
      const readOnly = guarded.kubeConfig();
      readOnly.users[0] = { ...readOnly.users[0]!, token: 'a-credential-without-write-access' };
      const r = replica(guarded, { writer: new KubernetesActuator('simulated', readOnly) });
      const record = await r.executor.submit(
        plannedFor(finding, 'raise-memory-limit', 'auto'),
        finding,
        FAST_VERIFY,
      );
      await r.executor.tick();
      const done = await r.actions.require(record.id);
      expect(done.state).toBe('dry-run-failed');
      expect(done.dryRun?.ok).toBe(false);
      expect(await auditKinds(r, record.id)).toEqual(['finding', 'dry-run', 'escalated']);
    } finally {
      await guarded.stop();
    }
  });

  it('a denying policy stops the action: a control-plane node is never cordoned', async () => {
    const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    const node = await core.readNode({ name: 'sim-node-1' });
    node.metadata!.labels!['node-role.kubernetes.io/control-plane'] = '';
    await core.replaceNode({ name: 'sim-node-1', body: node });
    cluster.ledger.inject({
      type: 'node-not-ready',
      namespace: 'shop',
      service: 'frontend',
      node: 'sim-node-1',
    });
    cluster.step(3);
    const r = replica(cluster);
    const nodeFinding = {
      fingerprint: 'node-sim-node-1',
      type: 'NodeNotReady',
      object: { kind: 'Node', namespace: '', name: 'sim-node-1' },
      owners: [],
      workload: { kind: 'Node', namespace: '', name: 'sim-node-1' },
      evidence: { statuses: [], events: [], logTail: [] },
      since: new Date().toISOString(),
      heldSeconds: 30,
      severity: 'critical',
      message: 'node sim-node-1 is NotReady',
      details: { node: 'sim-node-1' },
    } as const;
    const record = await r.executor.submit(
      plannedFor(nodeFinding as never, 'cordon-node', 'auto'),
      nodeFinding as never,
      FAST_VERIFY,
    );
    await r.executor.tick();
    expect(await r.actions.require(record.id)).toMatchObject({
      state: 'denied',
      reason: expect.stringMatching(/control-plane/),
    });
    expect((await core.readNode({ name: 'sim-node-1' })).spec?.unschedulable).toBeFalsy();
  });

  it('a restart mid-action loses nothing: a landed write is verified, a lost one is re-applied', async () => {
    cluster.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'payment' });
    cluster.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    cluster.step(6);
    const store = new (await import('../../src/store/MemoryStore.js')).MemoryStore();
    const audit = new (await import('../../src/repair/audit/MemoryAuditLog.js')).MemoryAuditLog();
    const a = replica(cluster, { store, audit });
    const payment = (await findingOf(cluster, 'CrashLoopBackOff', 'payment')).finding;
    const cart = (await findingOf(cluster, 'OOMKilled', 'cart')).finding;
    const landed = await a.executor.submit(plannedFor(payment, 'rollback', 'auto'), payment, {
      ...FAST_VERIFY,
      kubernetes: ['deploymentAvailable'],
    });
    const lost = await a.executor.submit(plannedFor(cart, 'raise-memory-limit', 'auto'), cart, FAST_VERIFY);
    await a.executor.tick(); // both dry-run and approved by policy
    // The engine persists `applying`, then dies: one write reached the API server, the other never left.
    const actuator = new KubernetesActuator('simulated', cluster.kubeConfig());
    for (const id of [landed.id, lost.id]) {
      const record = await a.actions.require(id);
      record.state = 'applying';
      await a.actions.save(record);
    }
    const landedRecord = await a.actions.require(landed.id);
    await actuator.send(landedRecord.plan!.requests[0]!, { dryRun: false });
    const b = replica(cluster, { store, audit, clock: a.clock });
    const recovered = await b.executor.recover();
    expect(Object.fromEntries(recovered.map((r) => [r.id, r.state]))).toEqual({
      [landed.id]: 'verifying',
      [lost.id]: 'approved',
    });
    expect(await driveUntilFinal(cluster, b, landed.id)).toBe('verified');
    expect(await driveUntilFinal(cluster, b, lost.id)).toBe('verified');
    expect(await audit.verify()).toMatchObject({ ok: true });
  });
});
