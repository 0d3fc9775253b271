import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import type { JobRecord } from '../../src/jobs/JobRunner.js';
import type { RcaResult } from '../../src/rca/schemas.js';

/** The RCA routes in the engine's real app, over the demo world. */
let engine: Engine;
let app: FastifyInstance;

beforeAll(async () => {
  engine = await createEngine(
    parseConfig({ profile: 'demo', logLevel: 'silent', cluster: { kind: 'simulated', injectFaults: false } }),
    { logger: pino({ level: 'silent' }) },
  );
  app = await buildApp(engine);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await engine?.close();
});

describe('RCA routes', () => {
  it('starts an analysis as a job, then serves, lists and re-runs the stored result', async () => {
    const demo = engine.demo!;
    const now = Math.floor(Date.now() / 1000);
    const fault = demo.ledger.inject({
      type: 'cpu-hog',
      namespace: demo.namespace,
      service: 'catalog',
      startedAt: now - 600,
    });
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/rca',
      payload: {
        namespace: demo.namespace,
        window: { start: new Date((now - 600) * 1000).toISOString(), end: now },
      },
    });
    expect(started.statusCode).toBe(202);
    const job = started.json<JobRecord>();
    expect(job.kind).toBe('rca');

    const finished = await engine.context.jobs.wait<RcaResult>(job.id);
    demo.ledger.resolve(fault.id, now);
    expect(finished.status).toBe('succeeded');
    expect(finished.result!.candidates[0]!.service).toBe('catalog');

    const shown = await app.inject({ method: 'GET', url: `/api/v1/rca/${job.id}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.json<RcaResult>().candidates[0]!.service).toBe('catalog');

    const listed = await app.inject({ method: 'GET', url: '/api/v1/rca' });
    expect(listed.json<{ items: RcaResult[] }>().items.map((r) => r.id)).toContain(job.id);

    const rerun = await app.inject({ method: 'POST', url: `/api/v1/rca/${job.id}/rerun` });
    expect(rerun.statusCode).toBe(202);
    const again = await engine.context.jobs.wait<RcaResult>(rerun.json<JobRecord>().id);
    expect(again.status).toBe('succeeded');
    expect(again.result!.request).toEqual(finished.result!.request);
  });

  it('ends a window given only its start at now', async () => {
    const now = Math.floor(Date.now() / 1000);
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/rca',
      payload: {
        namespace: engine.demo!.namespace,
        window: { start: new Date((now - 600) * 1000).toISOString() },
      },
    });
    expect(started.statusCode).toBe(202);
    const finished = await engine.context.jobs.wait<RcaResult>(started.json<JobRecord>().id);
    expect(finished.status).toBe('succeeded');
    expect(finished.result!.window.start).toBe(now - 600);
    expect(finished.result!.window.end).toBeGreaterThanOrEqual(now);
    expect(finished.result!.window.end).toBeLessThan(now + 120);
  });

  it('names an unknown signal (400) and fails an unknown service or namespace as NOT_FOUND naming the field', async () => {
    const badSignal = await app.inject({
      method: 'POST',
      url: '/api/v1/rca',
      payload: { target: { service: 'cart', signal: 'bogus' } },
    });
    expect(badSignal.statusCode).toBe(400);
    expect(badSignal.json().error.issues).toEqual([expect.objectContaining({ field: 'body.target.signal' })]);

    for (const [payload, field] of [
      [{ namespace: engine.demo!.namespace, target: { service: 'nosuch' } }, 'body.target.service'],
      [{ namespace: 'nosuchns' }, 'body.namespace'],
    ] as const) {
      const started = await app.inject({ method: 'POST', url: '/api/v1/rca', payload });
      expect(started.statusCode).toBe(202);
      const done = await engine.context.jobs.wait<RcaResult>(started.json<JobRecord>().id);
      expect(done.status).toBe('failed');
      expect(done.error).toMatchObject({ code: 'NOT_FOUND' });
      expect(done.error!.message).toContain(field === 'body.namespace' ? 'nosuchns' : 'nosuch');
    }
  });

  it('rejects a bad window with the field named, and answers 404 for an unknown result', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/rca',
      payload: { window: { start: 'soon', end: 1 } },
    });
    expect(bad.statusCode).toBe(400);
    const body = bad.json<{ error: { code: string; issues: Array<{ field: string }> } }>();
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.issues.map((i) => i.field)).toContain('body.window.start');

    const missing = await app.inject({ method: 'GET', url: '/api/v1/rca/nope' });
    expect(missing.statusCode).toBe(404);
  });
});
