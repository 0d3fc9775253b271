import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { RcaResult } from '../../src/rca/schemas.js';
import { readsOf, type RedisMonitor } from '../support/monitorRedis.js';
import { startRedisApp, type RedisApp } from '../support/startRedisApp.js';

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
  let engine: Engine;
  let app: FastifyInstance;
  let monitor: RedisMonitor;
  let running: RedisApp;

  beforeAll(async () => {
    running = await startRedisApp({
      name: 'rcalist',
      keyPrefix: PREFIX,
      config: { profile: 'demo' },
      seed: async (redis) => {
        const pipeline = redis.pipeline();
        for (let i = 0; i < STORED; i++)
          pipeline.set(`${PREFIX}rca:old-${String(i).padStart(4, '0')}`, JSON.stringify(storedResult(i)));
        await pipeline.exec();
      },
    });
    ({ engine, app } = running);
    monitor = await running.startMonitor();
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  const list = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/rca${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: RcaResult[]; nextCursor?: string };
  };
  const resultReads = (run: string[][]) => readsOf(run, `${PREFIX}rca:`);

  it('indexes the results stored before the index once, then a page of 20 reads at most 40 results', async () => {
    const first = await list('?limit=20'); // indexes the 1,000 stored results
    expect(first.items.map((r) => r.id)).toEqual(
      Array.from({ length: 20 }, (_, i) => `old-${String(STORED - 1 - i).padStart(4, '0')}`),
    );
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
    expect(
      await engine.context.store.zrangeByLex('rcaindex:created', { order: 'desc', limit: 3 }),
    ).not.toContainEqual(expect.stringContaining('old-0999'));
  }, 60_000);
});
