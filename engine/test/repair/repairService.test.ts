import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repairConfigSchema, type RepairConfig } from '../../src/repair/config.js';
import { MemoryAuditLog } from '../../src/repair/audit/MemoryAuditLog.js';
import { RedisAuditLog } from '../../src/repair/audit/RedisAuditLog.js';
import { KubernetesActuator } from '../../src/repair/executor/KubernetesActuator.js';
import { RepairService } from '../../src/repair/RepairService.js';
import { RuleBook, parseRuleFile } from '../../src/repair/rules/loadRules.js';
import { defaultRuleFile } from '../../src/repair/rules/defaultRules.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { KubernetesLeaderLease } from '../../src/sources/cluster/KubernetesLeaderLease.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import type { Store } from '../../src/store/Store.js';
import type { AuditLog } from '../../src/repair/audit/AuditLog.js';
import { startRedis, type RedisServer } from '../support/index.js';

/** RepairService end to end on the simulated cluster: shadow mode by default, and one acting replica of two. */
const logger = pino({ level: 'silent' });
let cluster: SimulatedCluster;
let redis: RedisServer;
let prefix = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());
beforeEach(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
});
afterEach(() => cluster?.stop());

const AUTO_RULES = `apiVersion: repair.aicloudops.io/v1
kind: RepairRules
rules:
  - id: bad-rollout-rollback
    match: { types: [CrashLoopBackOff] }
    conditions: { ownedByController: true, beganWithRollout: true, previousRevisionHealthy: true }
    action: { type: rollback }
    mode: auto
    verify: { kubernetes: [deploymentAvailable], interval: 10s, for: 30s, deadline: 10m }
`;

function service(options: {
  identity: string;
  store: Store;
  audit: AuditLog;
  config?: Partial<RepairConfig>;
  rules?: string;
  clock: { now: number };
}) {
  const config = repairConfigSchema.parse({ namespaces: ['shop'], ...options.config });
  return new RepairService({
    cluster: new KubernetesActuator('simulated', cluster.kubeConfig()),
    lease: new KubernetesLeaderLease(cluster.kubeConfig(), {
      namespace: 'shop',
      name: 'aicloudops-repair',
      identity: options.identity,
      now: () => options.clock.now,
    }),
    store: options.store,
    audit: options.audit,
    rules: new RuleBook(options.rules ? parseRuleFile(options.rules) : defaultRuleFile()),
    config,
    logger,
    now: () => new Date(options.clock.now),
  });
}

const paymentImage = async () => {
  const d = (await new KubernetesActuator('simulated', cluster.kubeConfig()).read({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'payment',
  })) as {
    spec: { template: { spec: { containers: Array<{ image: string }> } } };
  };
  return d.spec.template.spec.containers[0]!.image;
};

describe('RepairService', () => {
  it('in the default shadow mode recommends a rollback, writes nothing, and later reports the condition cleared by itself', async () => {
    const clock = { now: Date.now() };
    const repair = service({
      identity: 'engine-a',
      store: new MemoryStore(),
      audit: new MemoryAuditLog(),
      clock,
    });
    const healthy = await paymentImage();
    const fault = cluster.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'payment' });
    cluster.step(10);
    const faulty = await paymentImage();
    await repair.runOnce();
    const recommended = await repair.listActions({ state: 'recommended' });
    const rollback = recommended.find((a) => a.planned.type === 'rollback');
    expect(rollback?.planned.target.name).toBe('payment');
    expect(rollback?.plan?.summary).toContain('roll back shop/payment');
    expect(await paymentImage()).toBe(faulty);
    cluster.ledger.resolve(fault.id);
    cluster.step(15);
    expect(await paymentImage()).toBe(healthy);
    await repair.runOnce({ scan: false });
    expect((await repair.getAction(rollback!.id)).state).toBe('cleared');
    const outcome = (await repair.audit({ actionId: rollback!.id })).find((r) => r.kind === 'shadow-outcome');
    expect(outcome?.data).toMatchObject({ clearedByItself: true });
  });

  it('in approve mode a notification is sent once per target within its cooldown, not on every scan', async () => {
    const clock = { now: Date.now() };
    const repair = service({
      identity: 'engine-a',
      store: new MemoryStore(),
      audit: new MemoryAuditLog(),
      config: { maxMode: 'approve' },
      clock,
    });
    // A crash loop that did not begin with a rollout: the shipped rules only notify about it (no rollback).
    cluster.ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'shipping' });
    cluster.step(10);
    const notifications = async () =>
      (await repair.listActions()).filter(
        (a) => a.planned.type === 'notify' && a.planned.target.name.startsWith('shipping'),
      );
    for (let round = 0; round < 12; round++) {
      await repair.runOnce();
      cluster.step(2);
      clock.now += 10_000;
    }
    const sent = await notifications();
    expect(sent.map((a) => a.state)).toEqual(['notified']);
    expect(sent[0]!.applied?.requests).toBe(0);
    const plan = await repair.plan('shop');
    expect(plan.skipped.map((s) => s.reason)).toContainEqual(expect.stringMatching(/^cooldown: notify on /));
    // After the rule's cooldown (the default half hour), a finding still there is notified again.
    clock.now += 31 * 60_000;
    for (let round = 0; round < 3; round++) {
      await repair.runOnce();
      clock.now += 10_000;
    }
    expect((await notifications()).map((a) => a.state)).toEqual(['notified', 'notified']);
  });

  it('two replicas against one cluster: exactly one acts', async () => {
    const clock = { now: Date.now() };
    const p = `two-${++prefix}:`;
    const storeA = new RedisStore({ url: redis.url, keyPrefix: p });
    const storeB = new RedisStore({ url: redis.url, keyPrefix: p });
    try {
      const auditA = new RedisAuditLog({ client: storeA.client, key: `${p}repair:audit` });
      const auditB = new RedisAuditLog({ client: storeB.client, key: `${p}repair:audit` });
      const config = { maxMode: 'auto' as const };
      const a = service({
        identity: 'engine-a',
        store: storeA,
        audit: auditA,
        config,
        rules: AUTO_RULES,
        clock,
      });
      const b = service({
        identity: 'engine-b',
        store: storeB,
        audit: auditB,
        config,
        rules: AUTO_RULES,
        clock,
      });
      const healthy = await paymentImage();
      cluster.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'payment' });
      cluster.step(10);
      const leaders = new Set<string>();
      for (let round = 0; round < 20; round++) {
        const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
        expect(Number(ra.leader) + Number(rb.leader)).toBeLessThanOrEqual(1);
        if (ra.leader) leaders.add('engine-a');
        if (rb.leader) leaders.add('engine-b');
        cluster.step(2);
        clock.now += 10_000;
      }
      expect(leaders.size).toBe(1);
      const actions = await a.listActions();
      expect(actions.map((x) => x.planned.type)).toEqual(['rollback']);
      expect(actions[0]!.state).toBe('verified');
      expect(actions[0]!.actor).toBe(`${[...leaders][0]}`);
      expect(await paymentImage()).toBe(healthy);
      const writers = new Set((await auditA.query({ actionId: actions[0]!.id })).map((r) => r.actor));
      expect(writers).toEqual(new Set([`engine:${[...leaders][0]}`]));
      expect(await auditB.verify()).toMatchObject({ ok: true });
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });

  it('the kill switch set through the service stops acting on every replica and is audited', async () => {
    const clock = { now: Date.now() };
    const store = new MemoryStore();
    const audit = new MemoryAuditLog();
    const a = service({
      identity: 'engine-a',
      store,
      audit,
      config: { maxMode: 'auto' },
      rules: AUTO_RULES,
      clock,
    });
    const b = service({
      identity: 'engine-b',
      store,
      audit,
      config: { maxMode: 'auto' },
      rules: AUTO_RULES,
      clock,
    });
    await b.setKillSwitch(true, 'admin-alice');
    cluster.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'payment' });
    cluster.step(10);
    const faulty = await paymentImage();
    await a.runOnce();
    await a.runOnce();
    expect(await paymentImage()).toBe(faulty);
    expect((await a.listActions()).every((x) => x.state === 'stopped')).toBe(true);
    expect(await a.killSwitch()).toMatchObject({ on: true, source: 'api', by: 'admin-alice' });
    expect((await audit.query()).some((r) => r.kind === 'kill-switch' && r.actor === 'admin-alice')).toBe(
      true,
    );
    await expect(a.approve('any-id', { name: 'vera', role: 'viewer' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const configured = service({ identity: 'engine-c', store, audit, config: { killSwitch: true }, clock });
    await expect(configured.setKillSwitch(false, 'admin-alice')).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
