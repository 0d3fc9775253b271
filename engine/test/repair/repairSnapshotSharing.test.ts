import type { IncomingMessage, Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoApp, type DemoApp } from '../support/startDemoApp.js';

/**
 * GET /repair/findings and /repair/plans are a viewer's and each reads a whole cluster snapshot. Concurrent ones now
 * share one read: before, 20 viewers at once sent 20 snapshots' worth of list calls to the API server.
 */
const TOKEN = 'viewer-token-0123456789';
let demo: DemoApp;
let app: FastifyInstance;
const listCalls: string[] = [];

beforeAll(async () => {
  demo = await startDemoApp({
    server: { auth: { enabled: true, tokens: [{ name: 'v', token: TOKEN, role: 'viewer' }] } },
    repair: { namespaces: ['shop'] },
  });
  app = demo.app;
  const engine = demo.engine;
  // The simulated cluster's HTTP server (private fields, read here only to count the requests it serves).
  const http = (engine.demo!.cluster as unknown as { server: { server: Server } }).server.server;
  http.on('request', (req: IncomingMessage) => {
    if (req.method === 'GET' && req.url?.includes('/namespaces/shop/pods')) listCalls.push(req.url);
  });
}, 60_000);

afterAll(async () => {
  await demo?.close();
});

describe('repair snapshots', () => {
  it('are shared by concurrent viewers and read fresh by the next request', { timeout: 60_000 }, async () => {
    const get = (url: string) =>
      app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        get(i % 2 ? '/api/v1/repair/findings?namespace=shop' : '/api/v1/repair/plans?namespace=shop'),
      ),
    );
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    const concurrent = listCalls.length;
    expect(concurrent).toBeGreaterThanOrEqual(1);
    // One read in the normal case; a loaded machine may start a second once the first has answered.
    expect(concurrent).toBeLessThanOrEqual(5);
    await get('/api/v1/repair/findings?namespace=shop');
    expect(listCalls.length).toBe(concurrent + 1);
  });
});
