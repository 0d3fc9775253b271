import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { EngineError } from '../../src/errors.js';
import { JOB_KIND } from '../../src/jobs/jobKinds.js';
import { buildApp } from '../../src/server/app.js';

/**
 * One registry of job kinds (jobs/jobKinds.ts): GET /jobs?kind=bogus answered 200 with an empty page, as if there were
 * simply no such jobs; now it is a 400 naming the parameter and the kinds there are. The services start their jobs
 * under the registry's names, and jobs.perKind in the config is checked against them.
 */
describe('job kinds', () => {
  let engine: Engine;
  let app: FastifyInstance;

  beforeAll(async () => {
    engine = await createEngine(
      parseConfig({
        logLevel: 'silent',
        cluster: { kind: 'simulated', injectFaults: false },
        server: { auth: { enabled: false, tokens: [] } },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    app = await buildApp(engine);
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  it('GET /jobs?kind= of an unknown kind is a 400 naming querystring.kind and listing the kinds', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/jobs?kind=bogus' });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues).toEqual([
      { field: 'querystring.kind', message: expect.stringContaining('forecast.backtest') },
    ]);
    for (const kind of Object.values(JOB_KIND)) {
      expect((await app.inject({ method: 'GET', url: `/api/v1/jobs?kind=${kind}` })).statusCode, kind).toBe(
        200,
      );
    }
  });

  it('the jobs the services start are of registered kinds, and listed under them', async () => {
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/rca',
      payload: { namespace: 'shop', target: { service: 'cart' } },
    });
    expect(started.statusCode).toBe(202);
    expect(started.json().kind).toBe(JOB_KIND.rca);
    const listed = (await app.inject({ method: 'GET', url: `/api/v1/jobs?kind=${JOB_KIND.rca}` })).json();
    expect(listed.items.map((j: { id: string }) => j.id)).toContain(started.json().id);
  });

  it('documents the kinds in the OpenAPI document', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const kind = document.paths['/api/v1/jobs'].get.parameters.find(
      (p: { name: string }) => p.name === 'kind',
    );
    expect(kind.schema.enum).toEqual(Object.values(JOB_KIND));
  });

  it('refuses jobs.perKind limits for a kind that does not exist, naming it', () => {
    let error: unknown;
    try {
      parseConfig({ jobs: { perKind: { 'forecast.trian': { concurrency: 1 } } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).issues).toContainEqual({
      field: 'jobs.perKind',
      message: expect.stringContaining('forecast.trian'),
    });
  });
});
