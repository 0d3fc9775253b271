import Fastify from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStream, until } from '../support/openStream.js';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { streamSse } from '../../src/server/sse.js';
import { registerErrorHandler } from '../../src/server/errorHandler.js';
import { EngineError } from '../../src/errors.js';

/**
 * SSE streams are capped per engine (server.maxSseStreams): before, a viewer looping on /incidents/events held a
 * socket, a timer and a subscription each without limit (5,000 streams: +69 MB, every one a file descriptor).
 */
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    config: {
      logLevel: 'silent',
      server: { port: 0, maxSseStreams: 2 },
      cluster: { kind: 'simulated', injectFaults: false },
    },
    logger: pino({ level: 'silent' }),
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const open = (url: string) => openStream(url);

describe('SSE stream cap', () => {
  it(
    'answers 429 with Retry-After past server.maxSseStreams, and takes new streams once one closes',
    { timeout: 60_000 },
    async () => {
      const url = `${server.url}/api/v1/incidents/events`;
      const first = await open(url);
      const second = await open(`${server.url}/api/v1/repair/events`);
      expect([first.status, second.status]).toEqual([200, 200]);

      const refused = await open(url);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('5');
      expect(JSON.parse(refused.body).error).toMatchObject({ code: 'RATE_LIMITED' });
      expect(JSON.parse(refused.body).error.message).toContain('server.maxSseStreams');

      first.req.destroy();
      await until(() => server.app.sseStreams?.open === 1);
      const third = await open(url);
      expect(third.status).toBe(200);
      second.req.destroy();
      third.req.destroy();
      await until(() => server.app.sseStreams?.open === 0);
    },
  );
});

describe('SSE error events', () => {
  it(
    'mask URL credentials and hide what is not an engine error, as the HTTP error handler does',
    { timeout: 30_000 },
    async () => {
      const app = Fastify();
      registerErrorHandler(app);
      const failing = (error: Error) => ({
        // eslint-disable-next-line require-yield
        async *[Symbol.asyncIterator]() {
          throw error;
        },
      });
      app.get('/engine', (request, reply) =>
        streamSse(
          request,
          reply,
          failing(
            new EngineError(
              'UPSTREAM_UNAVAILABLE',
              'model at https://bot:hunter2@llm.internal/v1 did not answer',
            ),
          ),
        ),
      );
      app.get('/driver', (request, reply) =>
        streamSse(
          request,
          reply,
          failing(
            Object.assign(new Error('connect ECONNREFUSED redis://:hunter2@10.0.0.5:6379'), {
              code: 'ECONNREFUSED',
            }),
          ),
        ),
      );
      try {
        const engine = await app.inject({ url: '/engine' });
        expect(engine.body).toContain('event: error');
        expect(engine.body).toContain('UPSTREAM_UNAVAILABLE');
        expect(engine.body).toContain('https://bot:***@llm.internal/v1');
        const driver = await app.inject({ url: '/driver' });
        expect(driver.body).toContain('"code":"INTERNAL","message":"internal error"');
        for (const body of [engine.body, driver.body]) {
          expect(body).not.toContain('hunter2');
          expect(body).not.toContain('10.0.0.5');
        }
      } finally {
        await app.close();
      }
    },
  );
});
