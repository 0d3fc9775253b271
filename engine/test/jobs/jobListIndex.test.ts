import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { JobRecord } from '../../src/jobs/JobRunner.js';
import { readsOf, type RedisMonitor } from '../support/monitorRedis.js';
import { startRedisApp, type RedisApp } from '../support/startRedisApp.js';

const PREFIX = `joblist-${process.pid}:`;
const TOTAL = 5_000;
const BACKTESTS = 1_000;

/**
 * GET /jobs reads one page of records, not every stored one: 5,000 jobs in a real Redis, and MONITOR (Redis' own log
 * of the commands it runs) counts the job records the app reads for a page. Pages keep their documented semantics:
 * newest first, every job once across pages, `kind` filtering.
 */
describe('GET /jobs reads a page of records through the index', () => {
  let engine: Engine;
  let app: FastifyInstance;
  let monitor: RedisMonitor;
  let running: RedisApp;

  beforeAll(async () => {
    running = await startRedisApp({
      name: 'joblist',
      keyPrefix: PREFIX,
      config: { jobs: { concurrency: 64, maxQueued: 10_000 } },
    });
    ({ engine, app } = running);
    const { jobs } = engine.context;
    for (let i = 0; i < TOTAL; i += 250) {
      const started = await Promise.all(
        Array.from({ length: Math.min(250, TOTAL - i) }, (_, j) =>
          jobs.start(i + j < BACKTESTS ? 'forecast.backtest' : 'rca', { n: i + j }, async () => i + j),
        ),
      );
      await Promise.all(started.map((job) => jobs.wait(job.id)));
    }
    monitor = await running.startMonitor();
  }, 180_000);

  afterAll(async () => {
    await running?.close();
  });

  const commandsDuring = (action: () => Promise<void>) => monitor.during(action);
  const recordReads = (run: string[][]) => readsOf(run, `${PREFIX}jobs:`);

  it('a page of 20 of 5,000 stored jobs reads at most 40 records and scans no keys', async () => {
    let body: { items: JobRecord[]; nextCursor?: string } | undefined;
    const run = await commandsDuring(async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/jobs?limit=20' });
      expect(res.statusCode).toBe(200);
      body = res.json();
    });
    expect(body!.items).toHaveLength(20);
    expect(body!.nextCursor).toEqual(expect.any(String));
    expect(recordReads(run)).toBeLessThanOrEqual(40);
    expect(recordReads(run)).toBeGreaterThanOrEqual(20);
    expect(run.filter((c) => c[0]?.toLowerCase() === 'scan')).toEqual([]);

    const next = await commandsDuring(async () => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/jobs?limit=20&kind=forecast.backtest&cursor=${body!.nextCursor}`,
      });
      expect(res.statusCode).toBe(200);
    });
    expect(recordReads(next)).toBeLessThanOrEqual(40);
  }, 60_000);

  it('pages of one kind give every job of it once, newest first, as before', async () => {
    const seen: JobRecord[] = [];
    let cursor: string | undefined;
    do {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/jobs?kind=forecast.backtest&limit=300${cursor ? `&cursor=${cursor}` : ''}`,
      });
      const page = res.json() as { items: JobRecord[]; nextCursor?: string };
      expect(page.items.length).toBeLessThanOrEqual(300);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(BACKTESTS);
    expect(new Set(seen.map((j) => j.id)).size).toBe(BACKTESTS);
    expect(seen.every((j) => j.kind === 'forecast.backtest')).toBe(true);
    const keys = seen.map((j) => `${j.createdAt}|${j.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(new Set(seen.map((j) => (j.params as { n: number }).n))).toEqual(
      new Set(Array.from({ length: BACKTESTS }, (_, i) => i)),
    );
  }, 60_000);

  it('skips and drops index entries whose record expired, and still fills the page', async () => {
    const first = (await app.inject({ method: 'GET', url: '/api/v1/jobs?limit=5' })).json() as {
      items: JobRecord[];
    };
    const gone = first.items.slice(0, 3).map((j) => j.id);
    await engine.context.store.del(...gone.map((id) => `jobs:${id}`));
    const page = (await app.inject({ method: 'GET', url: '/api/v1/jobs?limit=5' })).json() as {
      items: JobRecord[];
    };
    expect(page.items.map((j) => j.id)).not.toEqual(expect.arrayContaining([gone[0]]));
    expect(page.items).toHaveLength(5);
    expect(page.items.slice(0, 2).map((j) => j.id)).toEqual(first.items.slice(3).map((j) => j.id));
    expect(await engine.context.store.zcard('jobindex:created')).toBe(TOTAL - 3);
  }, 60_000);
});
