import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, createEngineClient, EngineApiError, parseSseBlock } from './EngineClient.js';

/**
 * The client's wire handling against a real HTTP server on loopback: the engine's own routes are exercised through
 * this client by the engine's integration tests (engine/test/server/app.test.ts and others); here is what they do
 * not reach: error bodies that are not the engine's, Retry-After, and SSE framing split across chunks.
 */
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/busy') {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify({ error: { code: 'TOO_MANY_JOBS', message: 'queue full' } }));
    } else if (req.url === '/html') {
      res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' });
      res.end('<html>proxy</html>');
    } else if (req.url === '/readyz' && req.headers['x-case'] === 'proxy') {
      res.writeHead(503, 'Service Unavailable');
      res.end();
    } else if (req.url === '/readyz') {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ready: false, profile: 'live', checks: [{ name: 'store', ok: false, detail: 'down', latencyMs: 1 }] }));
    } else if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': comment\n\nevent: token\ndata: {"text":');
      setTimeout(() => res.end('"hi"}\n\nevent: done\ndata: {"n":1}\n\n'), 20);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: req.url, auth: req.headers.authorization ?? null }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('EngineClient', () => {
  it('sends the bearer token and the query string, without empty parameters', async () => {
    const client = createEngineClient({ baseUrl, token: 't0k' });
    const body = await client.request<{ url: string; auth: string }>('GET', '/x?a=1');
    expect(body).toEqual({ url: '/x?a=1', auth: 'Bearer t0k' });
    const page = (await client.workloads({ namespace: 'shop', cluster: '' })) as unknown as { url: string };
    expect(page.url).toBe('/api/v1/workloads?namespace=shop');
  });

  it('turns an engine error body into EngineApiError with its code and Retry-After', async () => {
    const error = await createEngineClient({ baseUrl }).request('GET', '/busy').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineApiError);
    expect(error).toMatchObject({ status: 429, code: 'TOO_MANY_JOBS', message: 'queue full', retryAfterSeconds: 7 });
  });

  it('reads a 503 readiness with its checks, and rejects a bare 503 (a proxy before a stopped engine) as EngineApiError', async () => {
    const ready = await createEngineClient({ baseUrl }).ready();
    expect(ready.ready).toBe(false);
    expect(ready.checks[0]!.name).toBe('store');
    const viaProxy = createEngineClient({
      baseUrl,
      fetchApi: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-case': 'proxy' } }),
    });
    const error = await viaProxy.ready().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineApiError);
    expect((error as EngineApiError).status).toBe(503);
  });

  it('names the HTTP status when the body is not the engine’s (a proxy page)', async () => {
    const error = await createEngineClient({ baseUrl }).request('GET', '/html').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'HTTP_502', message: 'Bad Gateway' });
  });

  it('parses server-sent events split across chunks, skipping comments', async () => {
    const events = [];
    for await (const m of createEngineClient({ baseUrl }).stream('GET', '/stream')) events.push(m);
    expect(events).toEqual([
      { event: 'token', data: { text: 'hi' } },
      { event: 'done', data: { n: 1 } },
    ]);
    expect(parseSseBlock(': only a comment')).toBeUndefined();
  });

  it('walks every page of a list until no cursor is left', async () => {
    const pages: Record<string, { items: number[]; nextCursor?: string }> = {
      start: { items: [1, 2], nextCursor: 'b' },
      b: { items: [3] },
    };
    const seen: number[] = [];
    for await (const item of allPages((cursor) => Promise.resolve(pages[cursor ?? 'start']!))) seen.push(item);
    expect(seen).toEqual([1, 2, 3]);
  });
});
