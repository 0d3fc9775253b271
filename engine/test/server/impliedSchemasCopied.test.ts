import type { FastifyInstance, RouteOptions } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';

/**
 * The implied schemas (strictRequests.ts, refuseUndeclaredInput) survive an onRoute hook that copies the route
 * schema with a spread, as plugins adding tags or extensions do. They were non-enumerable, so such a copy dropped
 * them and the route took undeclared input again, silently; the OpenAPI document must still leave them out.
 */
let engine: Engine;
let app: FastifyInstance;

/** A later hook of the kind that lost them: copies the schema, adding an extension the document shows. */
const copySchema = (route: RouteOptions): void => {
  route.schema = { ...(route.schema ?? {}), 'x-copied': true } as RouteOptions['schema'];
};

beforeAll(async () => {
  engine = await createEngine(
    parseConfig({ profile: 'demo', logLevel: 'silent', cluster: { kind: 'simulated', injectFaults: false } }),
    { logger: pino({ level: 'silent' }) },
  );
  app = await buildApp(engine);
  // A child context inherits the app's onRoute hooks and runs its own after them, refuseUndeclaredInput included.
  await app.register(
    async (child) => {
      child.addHook('onRoute', copySchema);
      child.get('/copied', async () => ({ ok: true }));
      child.post('/copied', async () => ({ ok: true }));
    },
    { prefix: '/api/v1' },
  );
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await engine?.close();
});

const issues = (answer: { json(): unknown }) =>
  (answer.json() as { error: { issues: Array<{ field: string; message: string }> } }).error.issues;

describe('a route whose schema a later onRoute hook copies', () => {
  it('still refuses an undeclared query parameter, and answers without one', async () => {
    const answer = await app.inject({ method: 'GET', url: '/api/v1/copied?stauts=x' });
    expect(answer.statusCode).toBe(400);
    expect(issues(answer)).toEqual([{ field: 'querystring.stauts', message: 'unknown parameter' }]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/copied' })).statusCode).toBe(200);
  });

  it('still refuses a body on a state-changing route, and takes none or {}', async () => {
    const answer = await app.inject({ method: 'POST', url: '/api/v1/copied', payload: { bogus: 1 } });
    expect(answer.statusCode).toBe(400);
    expect(issues(answer).map((i) => i.field)).toEqual(['body']);
    expect((await app.inject({ method: 'POST', url: '/api/v1/copied' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/copied', payload: {} })).statusCode).toBe(200);
  });

  it('is documented without the implied schemas, with what the hook added', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const { get, post } = doc.paths['/api/v1/copied']!;
    expect(get!['x-copied']).toBe(true);
    expect(get!.parameters).toBeUndefined();
    expect(post!.requestBody).toBeUndefined();
    expect(post!.parameters).toBeUndefined();
  });
});
