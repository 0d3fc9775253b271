import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { ActionRecord } from '../../src/repair/executor/ActionRecord.js';
import { ActionStore } from '../../src/repair/executor/ActionStore.js';
import type { RepairPlanResult } from '../../src/repair/RepairService.js';
import { readsOf, type RedisMonitor } from '../support/monitorRedis.js';
import { startRedisApp, type RedisApp } from '../support/startRedisApp.js';

const PREFIX = `repairhistory-${process.pid}:`;
const OLD = 2_000;

/**
 * The planner's cooldowns and budgets read the actions applied in the hours they look back over, through an index
 * by applied time: a plan read every action kept for a week (OLD here, applied days ago) before. The engine's real
 * app on a real Redis, MONITOR counting the action records a plan reads; the cooldown itself still holds.
 */
describe('a repair plan reads the recent applied actions, not all of them', () => {
  let engine: Engine;
  let app: FastifyInstance;
  let running: RedisApp;
  let monitor: RedisMonitor;
  let proposed: RepairPlanResult['actions'][number];

  const plan = async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/repair/plans?namespace=shop' });
    expect(res.statusCode).toBe(200);
    return res.json<RepairPlanResult>();
  };

  /** A finished action for the plan's own proposal, applied `agoSeconds` before now. */
  const applied = (agoSeconds: number): ActionRecord => {
    const at = new Date(Date.now() - agoSeconds * 1000).toISOString();
    return {
      id: randomUUID(),
      state: 'verified',
      planned: proposed,
      finding: { fingerprint: proposed.findingFingerprint } as unknown as ActionRecord['finding'],
      createdAt: at,
      updatedAt: at,
      applied: { at, resourceVersions: ['1'], requests: 1 },
    };
  };

  beforeAll(async () => {
    running = await startRedisApp({
      name: 'repairhistory',
      keyPrefix: PREFIX,
      config: { profile: 'demo', repair: { maxMode: 'approve', namespaces: ['shop'] } },
    });
    ({ engine, app } = running);
    engine.demo!.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    for (let i = 0; i < 40 && !proposed; i++) {
      proposed = (await plan()).actions.find((a) => a.type !== 'notify')!;
      engine.demo!.cluster.step(1);
    }
    expect(proposed).toBeDefined();
    const actions = new ActionStore(engine.context.store);
    // A week of the same repair, each applied two to six days ago: far outside any cooldown of the default rules.
    for (let i = 0; i < OLD; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => actions.save(applied(2 * 86_400 + (i + j) * 170))),
      );
    }
    monitor = await running.startMonitor();
  }, 180_000);

  afterAll(async () => {
    await running?.close();
  });

  const reads = (run: string[][]) => readsOf(run, `${PREFIX}repair:action:`);

  it('plans past days-old actions reading none of them, and holds the same action back once one ran minutes ago', async () => {
    let free: RepairPlanResult | undefined;
    const quiet = await monitor.during(async () => {
      free = await plan();
    });
    expect(free!.actions.map((a) => a.type)).toContain(proposed.type);
    expect(reads(quiet)).toBeLessThanOrEqual(2);

    await new ActionStore(engine.context.store).save(applied(600));
    let held: RepairPlanResult | undefined;
    const recent = await monitor.during(async () => {
      held = await plan();
    });
    expect(held!.actions.filter((a) => a.type === proposed.type)).toEqual([]);
    expect(held!.skipped.map((s) => s.reason)).toContainEqual(expect.stringMatching(/^cooldown: /));
    expect(reads(recent)).toBeLessThanOrEqual(3);
  }, 60_000);

  it('back-fills the index from a store written before it existed', async () => {
    const admin = new Redis(running.redis.url);
    const indexes = await admin.keys(`${PREFIX}repair:index:*`);
    expect(indexes.map((k) => k.slice(PREFIX.length))).toContain('repair:index:applied');
    await admin.del(...indexes);
    admin.disconnect();
    // A fresh store object, as in an engine started after the upgrade: the version key is gone, so it indexes again.
    const upgraded = new ActionStore(engine.context.store);
    const lastHour = await upgraded.appliedSince(new Date(Date.now() - 3_600_000), new Date());
    expect(lastHour.map((r) => r.applied!.at)).toEqual([expect.any(String)]);
    expect(await upgraded.appliedSince(new Date(Date.now() - 7 * 86_400_000), new Date())).toHaveLength(
      OLD + 1,
    );
  }, 60_000);
});
