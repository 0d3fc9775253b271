import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import type { ActionRecord } from '../../src/repair/executor/ActionRecord.js';
import { ActionStore } from '../../src/repair/executor/ActionStore.js';
import type { RepairActionDto } from '../../src/repair/repairSchemas.js';
import { buildApp } from '../../src/server/app.js';
import { makeTempDir, startRedis, type RedisServer } from '../support/index.js';
import { monitorRedis, readsOf, type RedisMonitor } from '../support/monitorRedis.js';

const PREFIX = `repairpage-${process.pid}:`;
const STORED = 5_000;

/**
 * GET /repair/actions reads one page of action records, not every stored one, and /repair/approvals only the open
 * ones. The engine's real app on a real Redis: one action made by the demo's repair loop, then 5,000 finished ones
 * written through the engine's ActionStore, and Redis' MONITOR counting the records each request reads.
 */
describe('repair actions are listed through an index', () => {
  let redis: RedisServer;
  let engine: Engine;
  let app: FastifyInstance;
  let monitor: RedisMonitor;
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let real: RepairActionDto;

  beforeAll(async () => {
    redis = await startRedis();
    dir = await makeTempDir('repairpage');
    const admin = new Redis(redis.url);
    await admin.config('SET', 'appendfsync', 'no');
    admin.disconnect();
    engine = await createEngine(
      parseConfig({
        profile: 'demo',
        logLevel: 'silent',
        dataDir: dir.path,
        cluster: { kind: 'simulated', injectFaults: false },
        store: { kind: 'redis', url: redis.url, keyPrefix: PREFIX },
        server: { auth: { enabled: false, tokens: [] } },
        repair: { maxMode: 'approve', namespaces: ['shop'] },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    app = await buildApp(engine);
    await app.ready();
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
    monitor = await monitorRedis(redis.url);
  }, 180_000);

  afterAll(async () => {
    monitor?.close();
    await app?.close();
    await engine?.close();
    await redis?.stop();
    await dir?.remove();
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
