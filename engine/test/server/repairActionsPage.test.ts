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
/** Two old copies act on other workloads, ~4,980 actions below the newest: a filter must find them, not the first page. */
const OLD_PAYMENTS = 20;
const OLD_PAYMENTS_DB = 30;

/** The copy at `index` (oldest first) with its finding's workload or its target renamed, for the name filter. */
function renamed(stored: ActionRecord, index: number): Partial<ActionRecord> {
  if (index === OLD_PAYMENTS)
    return {
      finding: { ...stored.finding, workload: { ...stored.finding.workload, name: 'payments' } },
      planned: { ...stored.planned, target: { ...stored.planned.target, name: 'payments' } },
    };
  // Found on the cart workload, acting on another object: matched by its target's name.
  if (index === OLD_PAYMENTS_DB)
    return { planned: { ...stored.planned, target: { ...stored.planned.target, name: 'payments-db' } } };
  return {};
}

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
  let base: number;

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
    base = Date.parse(real.createdAt) - 1_000 * STORED;
    for (let i = 0; i < STORED; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => {
          const at = new Date(base + (i + j) * 1_000).toISOString();
          return actions.save({
            ...stored,
            ...renamed(stored, i + j),
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

  it('finds by name the actions the newest page misses, whether the name is the workload or the target', async () => {
    const newest = await get('/api/v1/repair/actions?limit=100');
    const payments = (a: RepairActionDto) => a.planned.target.name.startsWith('payments');
    expect(newest.items.filter(payments)).toEqual([]);

    const both = await get('/api/v1/repair/actions?name=payments,payments-db');
    expect(both.items.map((a) => a.planned.target.name)).toEqual(['payments-db', 'payments']);
    expect(both.items.map((a) => a.createdAt)).toEqual([
      new Date(base + OLD_PAYMENTS_DB * 1_000).toISOString(),
      new Date(base + OLD_PAYMENTS * 1_000).toISOString(),
    ]);
    expect(both.nextCursor).toBeUndefined();
    const byWorkload = await get('/api/v1/repair/actions?name=payments');
    expect(byWorkload.items.map((a) => a.finding.workload.name)).toEqual(['payments']);
    const byTarget = await get('/api/v1/repair/actions?name=payments-db');
    expect(byTarget.items.map((a) => [a.finding.workload.name, a.planned.target.name])).toEqual([
      [real.finding.workload.name, 'payments-db'],
    ]);
    // The newest action is on cart: a name matches whole, not as a prefix.
    expect((await get('/api/v1/repair/actions?name=car')).items).toEqual([]);
  }, 60_000);

  it('stops the scan at since: the actions since then are read, not the history below', async () => {
    const since = new Date(base + (STORED - 50) * 1_000).toISOString();
    let page: Awaited<ReturnType<typeof get>> | undefined;
    const run = await monitor.during(async () => {
      page = await get(`/api/v1/repair/actions?limit=500&since=${since}`);
    });
    // The 50 newest copies from `since` on (inclusive) and the demo's real action.
    expect(page!.items).toHaveLength(51);
    expect(page!.items.every((a) => a.createdAt >= since)).toBe(true);
    expect(page!.nextCursor).toBeUndefined();
    expect(reads(run)).toBeLessThanOrEqual(60);

    // A name that matches nothing since then reads as little: without `since` it read all 5,001.
    let none: Awaited<ReturnType<typeof get>> | undefined;
    const bounded = await monitor.during(async () => {
      none = await get(`/api/v1/repair/actions?name=payments&since=${encodeURIComponent(since)}`);
    });
    expect(none!.items).toEqual([]);
    expect(reads(bounded)).toBeLessThanOrEqual(60);

    // An offset time is the same instant: the bound is compared as time, not as text.
    const offset = new Date(Date.parse(since) + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    const same = await get(`/api/v1/repair/actions?limit=500&since=${encodeURIComponent(offset)}`);
    expect(same.items.map((a) => a.id)).toEqual(page!.items.map((a) => a.id));
  }, 60_000);
});
