import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { allPages, EngineApiError, EngineClient, type Page } from '@ai-cloudops/engine-client';

/**
 * Issue 9: list endpoints had no pagination (10 MB responses) and job submission no admission control. Lists here
 * answer pages of `limit` (default 2, ceiling 3 in this config) with an opaque cursor; RCA jobs queue at most one.
 */

let server: RunningServer;
let client: EngineClient;

beforeAll(async () => {
  server = await startServer({
    config: {
      logLevel: 'silent',
      server: { port: 0 },
      cluster: { kind: 'simulated', injectFaults: false },
      pagination: { defaultLimit: 2, maxLimit: 3 },
      jobs: { perKind: { rca: { concurrency: 1, maxQueued: 1 } } },
    },
    logger: pino({ level: 'silent' }),
  });
  client = new EngineClient({ baseUrl: server.url });
});
afterAll(async () => {
  await server?.close();
});

async function collect<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<{ items: T[]; pages: number[] }> {
  const items: T[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    pages.push(page.items.length);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return { items, pages };
}

describe('pagination', () => {
  it('pages jobs newest first with an opaque cursor: every job once, no page above the limit', async () => {
    const { jobs } = server.engine.context;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const job = await jobs.start('forecast.backtest', { i }, async () => i);
      await jobs.wait(job.id);
      ids.push(job.id);
      await new Promise((r) => setTimeout(r, 5)); // distinct createdAt, so newest-first is well defined
    }
    const { items, pages } = await collect((cursor) =>
      client.jobs({ kind: 'forecast.backtest', ...(cursor ? { cursor } : {}) }),
    );
    expect(items.map((j) => j.id)).toEqual([...ids].reverse());
    expect(pages).toEqual([2, 2, 1]);
    const byThree = await collect((cursor) =>
      client.jobs({ kind: 'forecast.backtest', limit: 3, ...(cursor ? { cursor } : {}) }),
    );
    expect(byThree.pages).toEqual([3, 2]);
    // A job added between pages neither repeats an item nor shifts the rest: the cursor is a position, not an offset.
    const first = await client.jobs({ kind: 'forecast.backtest' });
    const late = await jobs.start('forecast.backtest', {}, async () => 'late');
    await jobs.wait(late.id);
    const second = await client.jobs({ kind: 'forecast.backtest', cursor: first.nextCursor! });
    expect(second.items.map((j) => j.id)).toEqual([ids[2], ids[1]]);
  });

  it('refuses a limit above the ceiling and a cursor it did not issue, naming the field', async () => {
    const tooMany = await client.jobs({ limit: 4 }).catch((e: unknown) => e as EngineApiError);
    expect(tooMany).toMatchObject({ status: 400 });
    expect((tooMany as EngineApiError).issues.map((i) => i.field)).toContain('querystring.limit');
    // Every wrong limit says what a limit is: `abc` was "Invalid input: expected number, received NaN".
    for (const limit of ['abc', '0', '1.5', '4']) {
      const response = await fetch(`${server.url}/api/v1/jobs?limit=${limit}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { issues: unknown[] } }).error.issues).toEqual([
        { field: 'querystring.limit', message: 'must be a whole number from 1 to 3' },
      ]);
    }
    const forged = await client.jobs({ cursor: 'not-a-cursor' }).catch((e: unknown) => e as EngineApiError);
    expect(forged).toMatchObject({
      status: 400,
      issues: [{ field: 'querystring.cursor', message: expect.any(String) }],
    });
    // A real cursor of another list is refused too, rather than serving that list's first page.
    const jobsCursor = (await client.jobs({ kind: 'forecast.backtest', limit: 1 })).nextCursor!;
    expect(jobsCursor).toBeDefined();
    const crossed = await client
      .workloads({ namespace: 'shop', cursor: jobsCursor })
      .catch((e: unknown) => e as EngineApiError);
    expect(crossed).toMatchObject({
      status: 400,
      issues: [{ field: 'querystring.cursor', message: expect.stringContaining('came from /api/v1/jobs') }],
    });
  });

  it('pages workloads, events and knowledge documents the same way, whatever the page size', async () => {
    const workloads2 = await collect((cursor) =>
      client.workloads({ namespace: 'shop', ...(cursor ? { cursor } : {}) }),
    );
    const workloads3 = await collect((cursor) =>
      client.workloads({ namespace: 'shop', limit: 3, ...(cursor ? { cursor } : {}) }),
    );
    expect(workloads2.items.length).toBeGreaterThan(3);
    expect(workloads2.items.map((w) => w.name)).toEqual(workloads3.items.map((w) => w.name));
    expect(new Set(workloads2.items.map((w) => `${w.kind}/${w.name}`)).size).toBe(workloads2.items.length);

    const events = await collect((cursor) =>
      client.events({ namespace: 'shop', ...(cursor ? { cursor } : {}) }),
    );
    expect(events.items.length).toBeGreaterThan(0);
    const stamps = events.items.map((e) => e.lastTimestamp ?? '');
    expect(stamps).toEqual([...stamps].sort().reverse());

    const docs: string[] = [];
    for await (const doc of allPages((cursor) =>
      client.knowledgeDocuments({ maxChars: 100, ...(cursor ? { cursor } : {}) }),
    )) {
      docs.push(`${doc.source}:${doc.path}`);
    }
    expect(docs.length).toBeGreaterThan(3);
    expect(new Set(docs).size).toBe(docs.length);
  });

  it('pages RCA results and forecast models', async () => {
    const rca = server.engine.services.rca;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await rca.analyze({})).id);
    const { items, pages } = await collect((cursor) => client.listRca(cursor ? { cursor } : {}));
    expect(new Set(items.map((r) => r.id))).toEqual(new Set(ids));
    expect(pages).toEqual([2, 1]);
    const models = (await (
      await fetch(`${server.url}/api/v1/forecast/models?limit=3`)
    ).json()) as Page<unknown>;
    expect(models.items).toEqual([]);
    expect(models.nextCursor).toBeUndefined();
  }, 60_000);
});

describe('admission control', () => {
  it("answers 429 RATE_LIMITED with Retry-After when the kind's queue is full", async () => {
    const { jobs } = server.engine.context;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = await jobs.start('rca', {}, () => gate);
    const queued = await client.startRca({});
    expect(queued.status).toBe('queued');
    const refused = await client.startRca({}).catch((e: unknown) => e as EngineApiError);
    expect(refused).toBeInstanceOf(EngineApiError);
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect((refused as EngineApiError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    release();
    await jobs.wait(running.id);
    expect(['succeeded', 'failed']).toContain((await jobs.wait(queued.id)).status);
    await expect(client.startRca({})).resolves.toMatchObject({ status: 'running' });
  }, 60_000);
});
