import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { openSseStreams } from '../../src/server/sse.js';
import type { JobRecord } from '../../src/jobs/JobRunner.js';

/**
 * Issue 9: every SSE client that opened a stuck job's event stream and left leaked a heartbeat timer and a listener
 * (2,200 connections → 2,200 leaked handles). Real sockets against a listening engine.
 */

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    config: { logLevel: 'silent', server: { port: 0 }, cluster: { kind: 'simulated', injectFaults: false } },
    logger: pino({ level: 'silent' }),
  });
});
afterAll(async () => {
  await server?.close();
});

/** Opens the job's event stream, waits for its first bytes, then drops the connection like a closed browser tab. */
function connectAndLeave(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', (error) =>
      (error as { code?: string }).code === 'ECONNRESET' ? resolve() : reject(error),
    );
    req.end();
  });
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

const until = async (check: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('SSE job streams', () => {
  it('release their timer and listener when the client leaves: 2,000 connect/disconnect cycles leave 0 behind', async () => {
    const { jobs } = server.engine.context;
    let finish!: () => void;
    const stuck = await jobs.start(
      'sse-leak',
      {},
      () => new Promise<string>((resolve) => (finish = () => resolve('ok'))),
    );
    const url = `${server.url}/api/v1/jobs/${stuck.id}/events`;
    const baseTimeouts = timeouts();
    const baseListeners = jobs.listenerCount();
    for (let batch = 0; batch < 40; batch++) {
      await Promise.all(Array.from({ length: 50 }, () => connectAndLeave(url)));
    }
    await until(() => openSseStreams() === 0 && jobs.listenerCount() === baseListeners);
    expect(openSseStreams()).toBe(0);
    expect(jobs.listenerCount() - baseListeners).toBe(0);
    // Node's own handles settle too: no heartbeat interval survives its connection.
    await until(() => timeouts() <= baseTimeouts);
    expect(timeouts()).toBeLessThanOrEqual(baseTimeouts);
    finish();
    await jobs.wait(stuck.id);
  }, 120_000);

  it('end with `done` when the job ends, answer a finished job with one `done`, and an unknown id with 404', async () => {
    const { jobs } = server.engine.context;
    let finish!: () => void;
    const job = await jobs.start(
      'sse-end',
      {},
      () => new Promise<string>((resolve) => (finish = () => resolve('ok'))),
    );
    const streaming = fetch(`${server.url}/api/v1/jobs/${job.id}/events`);
    const response = await streaming;
    const text = response.text();
    await until(() => jobs.listenerCount() > 0);
    finish();
    const body = await text; // resolves only because the server ends the stream
    const events = [...body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events.at(-1)).toBe('done');
    expect(body).toContain('"status":"succeeded"');

    const again = await (await fetch(`${server.url}/api/v1/jobs/${job.id}/events`)).text();
    expect([...again.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])).toEqual(['done']);

    const unknown = await fetch(`${server.url}/api/v1/jobs/no-such-job/events`);
    expect(unknown.status).toBe(404);
    await until(() => openSseStreams() === 0 && jobs.listenerCount() === 0);
  }, 60_000);

  it('DELETE cancels a running job (its stream ends `cancelled`) and answers 404 for an unknown id', async () => {
    const { jobs } = server.engine.context;
    const job = await jobs.start(
      'sse-cancel',
      {},
      (ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    const stream = (await fetch(`${server.url}/api/v1/jobs/${job.id}/events`)).text();
    const cancel = await fetch(`${server.url}/api/v1/jobs/${job.id}`, { method: 'DELETE' });
    expect(cancel.status).toBe(200);
    expect(await cancel.json()).toEqual({ cancelled: true });
    expect(await stream).toContain('"status":"cancelled"');
    expect(((await (await fetch(`${server.url}/api/v1/jobs/${job.id}`)).json()) as JobRecord).status).toBe(
      'cancelled',
    );
    const again = await fetch(`${server.url}/api/v1/jobs/${job.id}`, { method: 'DELETE' });
    expect(await again.json()).toEqual({ cancelled: false });
    const unknown = await fetch(`${server.url}/api/v1/jobs/no-such-job`, { method: 'DELETE' });
    expect(unknown.status).toBe(404);
  }, 30_000);
});
