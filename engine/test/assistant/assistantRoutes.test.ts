import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from './support/startFakeOpenAiServer.js';

/** The assistant's HTTP API on the real app (auth on, demo engine, model over HTTP). */
describe('assistant routes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'assistant-routes-'));
  const viewer = 'viewer-token-0123456789';
  const admin = 'admin-token-0123456789ab';
  let engine: Engine;
  let app: FastifyInstance;
  let server: FakeOpenAiServer;

  beforeAll(async () => {
    server = await startFakeOpenAiServer(() => ({ content: 'Use a startupProbe for slow starters [1].' }));
    engine = await createEngine(
      configSchema.parse({
        logLevel: 'silent',
        dataDir,
        cluster: { kind: 'simulated', injectFaults: false },
        model: { provider: 'openai', baseURL: server.baseURL, chatModel: 'fake-chat', maxRetries: 0 },
        assistant: { ingest: { roots: [dataDir] } },
        server: {
          auth: {
            enabled: true,
            tokens: [
              { name: 'v', token: viewer, role: 'viewer' },
              { name: 'a', token: admin, role: 'admin' },
            ],
          },
        },
      }),
    );
    app = await buildApp(engine);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await engine.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  it('answers as JSON with citations', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/assistant/ask',
      headers: auth(viewer),
      payload: { question: 'liveness probe kills my slow starting container' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ mode: 'model', answer: 'Use a startupProbe for slow starters [1].' });
    expect(body.citations[0]).toMatchObject({ n: 1, path: expect.stringMatching(/\.md$/) });
  });

  it('streams server-sent events when asked to', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/assistant/ask',
      headers: { ...auth(viewer), accept: 'text/event-stream' },
      payload: { question: 'liveness probe kills my slow starting container' },
    });
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    const events = res.body
      .split('\n\n')
      .filter(Boolean)
      .map((block) => block.match(/^event: (\w+)/)?.[1]);
    expect(events.filter((e) => e === 'token').length).toBeGreaterThan(2);
    expect(events).toContain('citation');
    expect(events.at(-1)).toBe('done');
    const done = JSON.parse(res.body.split('event: done\ndata: ')[1]!.trim());
    expect(done.citations[0].n).toBe(1);
  });

  it('searches, records feedback and returns the conversation', async () => {
    const search = await app.inject({
      method: 'GET',
      url: '/api/v1/assistant/search?q=ImagePullBackOff&k=2',
      headers: auth(viewer),
    });
    expect(search.statusCode).toBe(200);
    expect(search.json().results[0]).toMatchObject({
      path: 'image-pull-backoff.md',
      title: expect.any(String),
      text: expect.any(String),
    });

    const ask = await app.inject({
      method: 'POST',
      url: '/api/v1/assistant/ask',
      headers: auth(viewer),
      payload: { question: 'OOMKilled exit code 137' },
    });
    const { conversationId } = ask.json();
    const feedback = await app.inject({
      method: 'POST',
      url: '/api/v1/assistant/feedback',
      headers: auth(viewer),
      payload: { conversationId, rating: 'up', comment: 'helpful' },
    });
    expect(feedback.statusCode).toBe(201);
    expect(feedback.json()).toMatchObject({ rating: 'up', question: 'OOMKilled exit code 137' });
    const conversation = await app.inject({
      method: 'GET',
      url: `/api/v1/assistant/conversations/${conversationId}`,
      headers: auth(viewer),
    });
    expect(conversation.json().turns).toHaveLength(1);
  });

  it('lists every knowledge-base page with its text for portal search', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/assistant/documents?maxChars=500',
      headers: auth(viewer),
    });
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as {
      items: Array<{ title: string; path: string; source: string; text: string }>;
    };
    const crashLoop = items.find((d) => d.path.endsWith('crash-loop-backoff.md'));
    expect(crashLoop?.title).toBe('Pod in CrashLoopBackOff');
    expect(crashLoop?.text.length).toBeGreaterThan(100);
    expect(items.every((d) => d.text.length <= 500)).toBe(true);
    expect(new Set(items.map((d) => d.path)).size).toBe(items.length);
    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/assistant/documents?maxChars=1',
      headers: auth(viewer),
    });
    expect(bad.statusCode).toBe(400);

    // One page by its path: what a portal's search result opens.
    const one = await app.inject({
      method: 'GET',
      url: `/api/v1/assistant/documents?path=${encodeURIComponent(crashLoop!.path)}&source=${encodeURIComponent(crashLoop!.source)}`,
      headers: auth(viewer),
    });
    expect(one.json().items).toEqual([
      expect.objectContaining({ path: crashLoop!.path, title: 'Pod in CrashLoopBackOff' }),
    ]);
    const none = await app.inject({
      method: 'GET',
      url: '/api/v1/assistant/documents?path=no%2Fsuch.md',
      headers: auth(viewer),
    });
    expect(none.json().items).toEqual([]);
  });

  it('documents its routes in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/assistant/ask',
        '/api/v1/assistant/search',
        '/api/v1/assistant/ingest',
      ]),
    );
  });

  it('validates input and protects ingest', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/assistant/ask',
      headers: auth(viewer),
      payload: { question: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error)).toContain('question');
    // A namespace or workload Kubernetes would refuse is named (it was answered 200 and read nothing).
    for (const [field, payload] of [
      ['body.namespace', { question: 'why', namespace: 'Bad_NS!' }],
      ['body.workload', { question: 'why', namespace: 'shop', workload: 'Cart Service' }],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/assistant/ask',
        headers: auth(viewer),
        payload,
      });
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.issues[0].field, field).toBe(field);
    }
    const forbidden = await app.inject({
      method: 'POST',
      url: '/api/v1/assistant/ingest',
      headers: auth(viewer),
      payload: { paths: [dataDir] },
    });
    expect(forbidden.statusCode).toBe(403);
    const accepted = await app.inject({
      method: 'POST',
      url: '/api/v1/assistant/ingest',
      headers: auth(admin),
      payload: { paths: [dataDir] },
    });
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({ kind: 'assistant.ingest', status: 'running' });
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/assistant/ingest',
      headers: auth(admin),
      payload: { paths: ['/no/such/dir'] },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues[0].field).toBe('body.paths.0');
    // Citations link to baseUrl + path in Grafana and Backstage: a javascript: prefix was accepted and became a link.
    for (const baseUrl of ['javascript:alert(document.cookie)//', 'file:///etc/', 'not a url']) {
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/assistant/ingest',
        headers: auth(admin),
        payload: { paths: [dataDir], baseUrl },
      });
      expect(bad.statusCode, baseUrl).toBe(400);
      expect(bad.json().error.issues[0], baseUrl).toMatchObject({
        field: 'body.baseUrl',
        message: 'must be an http or https URL',
      });
    }
    const unauthenticated = await app.inject({ method: 'GET', url: '/api/v1/assistant/search?q=x' });
    expect(unauthenticated.statusCode).toBe(401);
  });
});
