import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { createEngineClient } from '@ai-cloudops/engine-client';
import { freePort } from '../support/index.js';

/**
 * A model server that is down must not take the engine with it: asking (JSON and streamed) gets the extractive answer
 * with the model's error beside it, the process keeps serving, readiness says the model is down, and nothing rejects
 * unhandled.
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

  it('answers from the runbooks (extractive) saying why, keeps serving, and leaks no rejection', async () => {
    const client = createEngineClient({ baseUrl: server.url });
    // The on-call engineer needs the runbook most when things fail: the model being down is said, not a 503.
    const asked = await client.ask({ question: 'How do I debug a pod in CrashLoopBackOff?' });
    expect(asked.mode).toBe('extractive');
    expect(asked.modelError).toMatch(/model server unreachable/);
    expect(asked.citations[0]?.path).toBe('crash-loop-backoff.md');

    const events: Array<{ event: string; data: unknown }> = [];
    for await (const message of client.askStream({ question: 'What is a Deployment?' })) events.push(message);
    expect(events.at(-1)?.event).toBe('done');
    expect(events.at(-1)?.data).toMatchObject({
      mode: 'extractive',
      modelError: expect.stringMatching(/unreachable/),
    });

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as {
      checks: Array<{ name: string; ok: boolean }>;
    };
    expect(ready.checks.some((c) => c.name.includes('model') && !c.ok)).toBe(true);
    expect(unhandled).toEqual([]);
  }, 60_000);
});
