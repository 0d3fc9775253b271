import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { ActionRecord } from '../../src/repair/executor/ActionRecord.js';
import { ActionStore } from '../../src/repair/executor/ActionStore.js';
import type { RepairActionDto } from '../../src/repair/repairSchemas.js';
import { readsOf, type RedisMonitor } from '../support/monitorRedis.js';
import { startRedisApp, type RedisApp } from '../support/startRedisApp.js';

const PREFIX = `repairpage-${process.pid}:`;
const STORED = 5_000;

/**
 * GET /repair/actions reads one page of action records, not every stored one, and /repair/approvals only the open
 * ones. The engine's real app on a real Redis: one action made by the demo's repair loop, then 5,000 finished ones
 * written through the engine's ActionStore, and Redis' MONITOR counting the records each request reads.
 */
describe('repair actions are listed through an index', () => {
  let engine: Engine;
  let app: FastifyInstance;
  let monitor: RedisMonitor;
  let running: RedisApp;
  let real: RepairActionDto;

  beforeAll(async () => {
    running = await startRedisApp({
      name: 'repairpage',
      keyPrefix: PREFIX,
      config: { profile: 'demo', repair: { maxMode: 'approve', namespaces: ['shop'] } },
    });
    ({ engine, app } = running);
    engine.demo!.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    for (let i = 0; i < 40; i++) {
      await engine.services.repair!.runOnce();
      const pending = (await app.inject({ method: 'GET', url: '/api/v1/repair/approvals' })).json<{
        items: RepairActionDto[];
      }>();
      if (pending.items.length > 0) {
        real = pending.items[0]!;
        break;
      }
      engine.demo!.cluster.step(1);
    }
    expect(real).toBeDefined();
    // Older, finished copies of it, as a week of repairs leaves them.
    const actions = new ActionStore(engine.context.store);
    const stored = JSON.parse(JSON.stringify(real)) as ActionRecord;
    const base = Date.parse(real.createdAt) - 1_000 * STORED;
    for (let i = 0; i < STORED; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => {
          const at = new Date(base + (i + j) * 1_000).toISOString();
          return actions.save({
            ...stored,
            id: randomUUID(),
            state: i + j < 10 ? 'rejected' : 'verified',
            createdAt: at,
            updatedAt: at,
          });
        }),
      );
    }
    monitor = await running.startMonitor();
  }, 180_000);

  afterAll(async () => {
    await running?.close();
  });

  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, url).toBe(200);
    return res.json<{ items: RepairActionDto[]; nextCursor?: string }>();
  };
  const reads = (run: string[][]) => readsOf(run, `${PREFIX}repair:action:`);

  it('a page of 20 of 5,001 actions reads at most 40 records; the approvals read the open ones', async () => {
    let page: Awaited<ReturnType<typeof get>> | undefined;
    const run = await monitor.during(async () => {
      page = await get('/api/v1/repair/actions?limit=20');
    });
    expect(page!.items).toHaveLength(20);
    expect(page!.items[0]!.id).toBe(real.id);
    expect(page!.nextCursor).toEqual(expect.any(String));
    expect(reads(run)).toBeLessThanOrEqual(40);
    expect(run.filter((c) => c[0]?.toLowerCase() === 'scan')).toEqual([]);

    let approvals: Awaited<ReturnType<typeof get>> | undefined;
    const open = await monitor.during(async () => {
      approvals = await get('/api/v1/repair/approvals');
    });
    expect(approvals!.items.map((a) => a.id)).toEqual([real.id]);
    expect(reads(open)).toBeLessThanOrEqual(5);
  }, 60_000);

  it('pages every action once, newest first, and filters by state across pages', async () => {
    const seen: RepairActionDto[] = [];
    let cursor: string | undefined;
    do {
      const page = await get(`/api/v1/repair/actions?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(500);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(STORED + 1);
    expect(new Set(seen.map((a) => a.id)).size).toBe(STORED + 1);
    const keys = seen.map((a) => `${a.createdAt}|${a.id}`);
    expect(keys).toEqual([...keys].sort().reverse());

    const rejected = await get('/api/v1/repair/actions?state=rejected&limit=4');
    expect(rejected.items).toHaveLength(4);
    const rest = await get(`/api/v1/repair/actions?state=rejected&limit=500&cursor=${rejected.nextCursor}`);
    expect([...rejected.items, ...rest.items].map((a) => a.state)).toEqual(Array(10).fill('rejected'));
    expect(rest.nextCursor).toBeUndefined();
  }, 60_000);
});
