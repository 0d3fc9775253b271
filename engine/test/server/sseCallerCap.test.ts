import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStream, until } from '../support/openStream.js';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * One caller may hold at most server.maxSseStreamsPerCaller streams: before, one viewer token looping on
 * /incidents/events took every stream the engine allows (server.maxSseStreams), and everyone else got 429.
 */
const TOKENS = { mallory: 'viewer-token-mallory-0123456789', alice: 'viewer-token-alice-0123456789' };
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    config: {
      logLevel: 'silent',
      server: {
        port: 0,
        maxSseStreams: 10,
        maxSseStreamsPerCaller: 2,
        auth: {
          enabled: true,
          tokens: Object.entries(TOKENS).map(([name, token]) => ({ name, token, role: 'viewer' })),
        },
      },
      cluster: { kind: 'simulated', injectFaults: false },
    },
    logger: pino({ level: 'silent' }),
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const open = (path: string, token: string) =>
  openStream(`${server.url}${path}`, { authorization: `Bearer ${token}` });

describe('SSE streams per caller', () => {
  it(
    'answers 429 with Retry-After past server.maxSseStreamsPerCaller, while another caller still gets streams',
    { timeout: 60_000 },
    async () => {
      const held = [
        await open('/api/v1/incidents/events', TOKENS.mallory),
        await open('/api/v1/repair/events', TOKENS.mallory),
      ];
      expect(held.map((o) => o.status)).toEqual([200, 200]);

      const refused = await open('/api/v1/incidents/events', TOKENS.mallory);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('5');
      expect(JSON.parse(refused.body).error).toMatchObject({ code: 'RATE_LIMITED' });
      expect(JSON.parse(refused.body).error.message).toContain('server.maxSseStreamsPerCaller');

      const alice = await open('/api/v1/incidents/events', TOKENS.alice);
      expect(alice.status).toBe(200);

      held[0]!.req.destroy();
      await until(() => server.app.sseStreams?.open === 2);
      const again = await open('/api/v1/incidents/events', TOKENS.mallory);
      expect(again.status).toBe(200);
      for (const o of [held[1]!, alice, again]) o.req.destroy();
      await until(() => server.app.sseStreams?.open === 0);
      expect(server.app.sseStreams?.byCaller?.size).toBe(0);
    },
  );
});
