import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';
import type { RcaResult } from '../../src/rca/schemas.js';
import { makeTempDir, startRedis, type RedisServer } from '../support/index.js';
import { monitorRedis, readsOf, type RedisMonitor } from '../support/monitorRedis.js';

const PREFIX = `rcalist-${process.pid}:`;
const STORED = 1_000;

/** A stored result as an earlier version wrote it: under `rca:<id>`, with no index entry. */
function storedResult(i: number): RcaResult {
  return {
    id: `old-${String(i).padStart(4, '0')}`,
    request: {},
    createdAt: new Date(Date.now() - (STORED - i) * 60_000).toISOString(),
    window: { baselineStart: 0, start: 3600, end: 4500 },
    candidates: [],
    serviceGraph: { services: [], edges: [] },
    narrative: `result ${i}`,
    narrativeSource: 'template',
    warnings: [],
    timings: {},
  };
}

/**
 * GET /rca reads one page of results through a time index, not every stored result: 1,000 results in a real Redis
 * (stored without an index, as before it existed, so the first listing indexes them once), then MONITOR counts the
 * results a page reads. A new analysis is listed first; a result that expired leaves the index.
 */
describe('GET /rca reads a page of results through the index', () => {
  let redis: RedisServer;
  let engine: Engine;
  let app: FastifyInstance;
  let monitor: RedisMonitor;
  let dir: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    redis = await startRedis();
    dir = await makeTempDir('rcalist');
    const seed = new Redis(redis.url);
    await seed.config('SET', 'appendfsync', 'no');
    const pipeline = seed.pipeline();
    for (let i = 0; i < STORED; i++) pipeline.set(`${PREFIX}rca:old-${String(i).padStart(4, '0')}`, JSON.stringify(storedResult(i)));
    await pipeline.exec();
    seed.disconnect();
    engine = await createEngine(
      configSchema.parse({
        profile: 'demo',
        dataDir: dir.path,
        cluster: { kind: 'simulated', injectFaults: false },
        store: { kind: 'redis', url: redis.url, keyPrefix: PREFIX },
        server: { auth: { enabled: false, tokens: [] } },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    app = await buildApp(engine);
    await app.ready();
    monitor = await monitorRedis(redis.url);
  }, 120_000);

  afterAll(async () => {
    monitor?.close();
    await app?.close();
    await engine?.close();
    await redis?.stop();
    await dir?.remove();
  });

  const list = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/rca${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: RcaResult[]; nextCursor?: string };
  };
  const resultReads = (run: string[][]) => readsOf(run, `${PREFIX}rca:`);

  it('indexes the results stored before the index once, then a page of 20 reads at most 40 results', async () => {
    const first = await list('?limit=20'); // indexes the 1,000 stored results
    expect(first.items.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `old-${String(STORED - 1 - i).padStart(4, '0')}`));
    let second: { items: RcaResult[]; nextCursor?: string } | undefined;
    const run = await monitor.during(async () => {
      second = await list(`?limit=20&cursor=${first.nextCursor}`);
    });
    expect(second!.items[0]!.id).toBe(`old-${String(STORED - 21).padStart(4, '0')}`);
    expect(resultReads(run)).toBeGreaterThanOrEqual(20);
    expect(resultReads(run)).toBeLessThanOrEqual(40);
  }, 60_000);

  it('lists a new analysis first, and drops a result that expired from the index', async () => {
    const rca = engine.services.rca;
    const fresh = await rca.analyze({ namespace: engine.demo!.namespace });
    expect((await list('?limit=1')).items[0]!.id).toBe(fresh.id);

    await engine.context.store.del('rca:old-0999');
    const page = await list('?limit=2');
    expect(page.items.map((r) => r.id)).toEqual([fresh.id, 'old-0998']);
    expect(await engine.context.store.zrangeByLex('rcaindex:created', { order: 'desc', limit: 3 })).not.toContainEqual(expect.stringContaining('old-0999'));
  }, 60_000);
});
