import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';
import { startRedis, type RedisServer } from '../support/index.js';

/**
 * Two engine replicas on one Redis: a source removed through one leaves the other's search and status too, by the
 * stored version the replicas already poll for each other's ingests (every 2 s), and stays out of a third replica
 * started afterwards.
 */
describe('removing a knowledge-base source with replicas sharing Redis', () => {
  const top = mkdtempSync(join(tmpdir(), 'kb-remove-redis-'));
  const docs = join(top, 'docs');
  let redis: RedisServer;
  const replicas: Array<{ engine: Engine; app: Awaited<ReturnType<typeof buildApp>> }> = [];

  const config = () =>
    configSchema.parse({
      logLevel: 'silent',
      dataDir: join(top, 'data'),
      cluster: { kind: 'simulated', injectFaults: false },
      store: { kind: 'redis', url: redis.url, keyPrefix: 'kbremove:' },
      assistant: { ingest: { roots: [top] } },
      server: { auth: { enabled: false, tokens: [] } },
    });
  const replica = async () => {
    const engine = await createEngine(config());
    const app = await buildApp(engine);
    await app.ready();
    replicas.push({ engine, app });
    return app;
  };
  type App = Awaited<ReturnType<typeof replica>>;
  const found = async (app: App) => {
    const res = await app.inject({ url: '/api/v1/assistant/search?q=quokkabridge&k=10' });
    return (res.json() as { results: Array<{ source: string }> }).results.map((r) => r.source);
  };
  const listed = async (app: App) =>
    (
      (await app.inject({ url: '/api/v1/assistant/status' })).json() as { sources: Array<{ name: string }> }
    ).sources.map((s) => s.name);

  beforeAll(async () => {
    redis = await startRedis();
    mkdirSync(docs);
    writeFileSync(
      join(docs, 'page.md'),
      '# Docs\n\nHow to rotate the quokkabridge credentials, step by step.\n',
    );
  }, 60_000);
  afterAll(async () => {
    for (const { app, engine } of replicas) {
      await app.close();
      await engine.close();
    }
    await redis?.stop();
    rmSync(top, { recursive: true, force: true });
  });

  it('leaves the other replica at its next refresh and a later one from the start', async () => {
    const a = await replica();
    const b = await replica();
    const ingest = await a.inject({
      method: 'POST',
      url: '/api/v1/assistant/ingest',
      payload: { paths: [docs] },
    });
    expect(ingest.statusCode).toBe(202);
    const job = await replicas[0]!.engine.context.jobs.wait(ingest.json<{ id: string }>().id);
    expect(job.status).toBe('succeeded');
    const name = (job.result as Array<{ source: string }>)[0]!.source;
    // B learns of A's ingest the way it will learn of the removal.
    await vi.waitFor(async () => expect(await found(b)).toContain(name), { timeout: 10_000, interval: 250 });
    expect(await listed(b)).toContain(name);

    const removed = await b.inject({ method: 'DELETE', url: `/api/v1/assistant/sources/${name}` });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ name, root: docs });
    expect(await found(b)).not.toContain(name);
    // Status first: it refreshes on its own, not only after a search did.
    await vi.waitFor(async () => expect(await listed(a)).not.toContain(name), {
      timeout: 10_000,
      interval: 250,
    });
    expect(await found(a)).not.toContain(name);
    expect(await listed(a)).toContain('runbooks');

    const c = await replica();
    expect(await listed(c)).not.toContain(name);
    expect(await found(c)).not.toContain(name);
    // Already gone, whichever replica is asked.
    expect((await a.inject({ method: 'DELETE', url: `/api/v1/assistant/sources/${name}` })).statusCode).toBe(
      404,
    );
  }, 120_000);
});
