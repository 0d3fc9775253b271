import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { createEngineClient } from '@ai-cloudops/engine-client';
import { freePort } from '../support/index.js';

/**
 * A model server that is down must not take the engine with it: asking (JSON and streamed) gets a clear error, the
 * process keeps serving, and nothing rejects unhandled.
 */
describe('model outage', () => {
  let server: RunningServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    // A port that was free a moment ago: nothing answers there, as when the model server is down.
    const port = await freePort();
    server = await startServer({
      config: {
        logLevel: 'silent',
        server: { host: '127.0.0.1', port: 0 },
        cluster: { kind: 'simulated', injectFaults: false },
        model: {
          provider: 'openai',
          baseURL: `http://127.0.0.1:${port}/v1`,
          chatModel: 'llama3.1',
          maxRetries: 0,
          timeoutSeconds: 5,
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    process.off('unhandledRejection', onUnhandled);
  });

  it('answers with an error naming the model, keeps serving, and leaks no rejection', async () => {
    const client = createEngineClient({ baseUrl: server.url });
    const asked = await client
      .ask({ question: 'How do I debug a pod in CrashLoopBackOff?' })
      .catch((e: unknown) => e);
    expect(asked).toMatchObject({ status: expect.any(Number), code: expect.stringMatching(/UPSTREAM/) });
    expect((asked as { status: number }).status).toBeGreaterThanOrEqual(500);

    const events: string[] = [];
    for await (const message of client.askStream({ question: 'What is a Deployment?' }))
      events.push(message.event);
    expect(events[events.length - 1]).toBe('error');

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as {
      checks: Array<{ name: string; ok: boolean }>;
    };
    expect(ready.checks.some((c) => c.name.includes('model') && !c.ok)).toBe(true);
    expect(unhandled).toEqual([]);
  }, 60_000);
});
