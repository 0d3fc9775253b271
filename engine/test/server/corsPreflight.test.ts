import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';
import { ROLE_HEADER } from '../../src/server/auth.js';

/**
 * The README documents `X-AICloudOps-Role` for a browser app listed in server.corsOrigins too, but the preflight did
 * not allow it (`authorization, content-type, accept, x-request-id`), so a browser refused to send any request that
 * carries it.
 */
const APP = 'https://dashboard.example';
let engine: Engine;
let app: FastifyInstance;

beforeAll(async () => {
  engine = await createEngine(
    configSchema.parse({
      logLevel: 'silent',
      server: { corsOrigins: [APP] },
      cluster: { kind: 'simulated', injectFaults: false },
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

describe('CORS preflight from an origin in server.corsOrigins', () => {
  it('allows the role header beside authorization and content-type', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/workloads',
      headers: {
        origin: APP,
        'access-control-request-method': 'GET',
        'access-control-request-headers': `authorization, ${ROLE_HEADER}`,
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    const allowed = String(res.headers['access-control-allow-headers'])
      .split(',')
      .map((h) => h.trim().toLowerCase());
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', ROLE_HEADER]));
  });
});
