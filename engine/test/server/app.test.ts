import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { EngineClient, EngineApiError } from '@ai-cloudops/engine-client';

const TOKENS: Record<'viewer' | 'operator' | 'admin', string> = {
  viewer: 'viewer-token-0123456789',
  operator: 'operator-token-0123456789',
  admin: 'admin-token-0123456789',
};

let server: RunningServer;
const client = (token?: string) => new EngineClient({ baseUrl: server.url, ...(token ? { token } : {}) });

beforeAll(async () => {
  server = await startServer({
    config: {
      logLevel: 'silent',
      server: {
        port: 0,
        bodyLimitBytes: 10_000,
        auth: {
          enabled: true,
          tokens: (Object.keys(TOKENS) as Array<keyof typeof TOKENS>).map((role) => ({
            name: `${role}-user`,
            token: TOKENS[role],
            role,
          })),
        },
      },
      cluster: { kind: 'simulated', injectFaults: false },
    },
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await server?.close();
});

const call = (
  method: string,
  url: string,
  options: { token?: string; body?: string; headers?: Record<string, string> } = {},
) =>
  fetch(`${server.url}${url}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });

describe('probes and metrics', () => {
  it('answers /healthz and /readyz without a token, checking every configured source', async () => {
    expect(await client().health()).toEqual({ status: 'ok' });
    const ready = await client().ready();
    expect(ready.ready).toBe(true);
    expect(ready.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['metrics', 'store', 'cluster:simulated']),
    );
  });

  it('exposes request latency histograms and job counters on /metrics', async () => {
    await call('GET', '/healthz');
    const text = await (await call('GET', '/metrics')).text();
    expect(text).toContain('aicloudops_http_request_duration_seconds_bucket');
    expect(text).toContain('aicloudops_jobs_started_total');
  });

  it('echoes a caller-supplied request id and makes one otherwise', async () => {
    const mine = await call('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(mine.headers.get('x-request-id')).toBe('abc-123');
    const generated = await call('GET', '/healthz');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const doc = (await (await call('GET', '/api/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/workloads', '/api/v1/metrics/query_range']),
    );
    const workloads = doc.paths['/api/v1/workloads'] as { get: { parameters: Array<{ name: string }> } };
    expect(workloads.get.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['namespace', 'labelSelector']),
    );
  });
});

describe('auth', () => {
  it('returns 401 without a token or with an unknown one', async () => {
    const none = await call('GET', '/api/v1/workloads');
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    expect((await call('GET', '/api/v1/workloads', { token: 'not-a-known-token-xxxx' })).status).toBe(401);
  });

  it('lets a viewer read but not act, an operator act, and only an admin read config', async () => {
    const body = JSON.stringify({ type: 'latency', service: 'cart' });
    expect((await call('GET', '/api/v1/workloads?namespace=shop', { token: TOKENS.viewer })).status).toBe(
      200,
    );
    const denied = await call('POST', '/api/v1/demo/faults', { token: TOKENS.viewer, body });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await call('POST', '/api/v1/demo/faults', { token: TOKENS.operator, body })).status).toBe(201);
    expect((await call('GET', '/api/v1/config', { token: TOKENS.operator })).status).toBe(403);
    const config = await call('GET', '/api/v1/config', { token: TOKENS.admin });
    expect(config.status).toBe(200);
    const text = await config.text();
    expect(text).not.toContain(TOKENS.admin);
    expect(text).toContain('[redacted]');
  });

  it('lets an admin replace the service graph and everyone read it', async () => {
    const edges = [{ from: 'frontend', to: 'cart' }];
    expect(
      (
        await call('PUT', '/api/v1/config/service-graph', {
          token: TOKENS.operator,
          body: JSON.stringify({ edges }),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call('PUT', '/api/v1/config/service-graph', {
          token: TOKENS.admin,
          body: JSON.stringify({ edges }),
        })
      ).status,
    ).toBe(200);
    expect(await client(TOKENS.viewer).request('GET', '/api/v1/config/service-graph')).toEqual({ edges });
    // A service is not its own caller: refused naming the edge, and the graph in force stays.
    const loop = await call('PUT', '/api/v1/config/service-graph', {
      token: TOKENS.admin,
      body: JSON.stringify({ edges: [...edges, { from: 'cart', to: 'cart' }] }),
    });
    expect(loop.status).toBe(400);
    expect(
      ((await loop.json()) as { error: { issues: Array<{ field: string }> } }).error.issues.map(
        (i) => i.field,
      ),
    ).toEqual(['body.edges.1.to']);
    expect(await client(TOKENS.viewer).request('GET', '/api/v1/config/service-graph')).toEqual({ edges });
  });
});

describe('bad input', () => {
  it('rejects malformed JSON with 400', async () => {
    const response = await call('POST', '/api/v1/demo/faults', { token: TOKENS.operator, body: '{"type": ' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as {
      error: { code: string; issues: Array<{ field: string }> };
    };
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.issues[0]?.field).toBe('body');
  });

  it('names the failing fields of a schema violation', async () => {
    const response = await call('POST', '/api/v1/demo/faults', {
      token: TOKENS.operator,
      body: JSON.stringify({ type: 'meteor-strike', service: '' }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as {
      error: { code: string; issues: Array<{ field: string }> };
    };
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues.map((i) => i.field)).toEqual(expect.arrayContaining(['body.type', 'body.service']));
  });

  it('refuses bodies over the size limit with 413', async () => {
    const response = await call('POST', '/api/v1/demo/faults', {
      token: TOKENS.operator,
      body: JSON.stringify({ type: 'latency', service: 'x'.repeat(20_000) }),
    });
    expect(response.status).toBe(413);
  });

  it('validates query parameters by name', async () => {
    const response = await call('GET', '/api/v1/metrics/query_range?query=up&start=200&end=100&step=15', {
      token: TOKENS.viewer,
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { issues: Array<{ field: string }> } };
    expect(error.issues.map((i) => i.field)).toContain('querystring.end');
  });

  it('surfaces a PromQL error from the metrics source as 400 PROMQL_ERROR', async () => {
    const now = Math.floor(Date.now() / 1000);
    const error = await client(TOKENS.viewer)
      .queryRange({ query: 'sum(rate(http_requests_total[5m]', start: now - 600, end: now, step: 60 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineApiError);
    expect((error as EngineApiError).status).toBe(400);
    expect((error as EngineApiError).code).toBe('PROMQL_ERROR');
  });

  it('refuses a demo fault that starts in the future, naming the field', async () => {
    const response = await call('POST', '/api/v1/demo/faults', {
      token: TOKENS.operator,
      body: JSON.stringify({
        type: 'latency',
        service: 'cart',
        startedAt: Math.floor(Date.now() / 1000) + 3600,
      }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { issues: Array<{ field: string }> } };
    expect(error.issues[0]?.field).toBe('body.startedAt');
  });

  it('answers unknown routes with a 404 error body', async () => {
    const response = await call('GET', '/api/v1/nope', { token: TOKENS.viewer });
    expect(response.status).toBe(404);
  });

  it('answers a known path asked with another method 405 only to a caller who may call the API', async () => {
    expect((await call('DELETE', '/api/v1/workloads', {})).status).toBe(401);
    const response = await call('DELETE', '/api/v1/workloads', { token: TOKENS.viewer });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('cluster view', () => {
  it('lists the demo shop workloads with pods and health', async () => {
    const { items } = await client(TOKENS.viewer).workloads({ namespace: 'shop' });
    expect(items.map((w) => w.name)).toEqual(expect.arrayContaining(['frontend', 'cart', 'checkout']));
    const cart = items.find((w) => w.name === 'cart')!;
    expect(cart.pods.length).toBe(cart.replicas);
    expect(cart.pods.every((p) => p.labels.app === 'cart')).toBe(true);
    expect(['healthy', 'degraded', 'unavailable']).toContain(cart.health);
  });

  it('does not call a workload healthy while its pods are being OOMKilled, and says why', async () => {
    const injected = await call('POST', '/api/v1/demo/faults', {
      token: TOKENS.operator,
      body: JSON.stringify({ type: 'oom-killed', service: 'email' }),
    });
    expect(injected.status).toBeLessThan(300);
    const deadline = Date.now() + 60_000;
    let email: { health: string; reasons: string[] } | undefined;
    while (Date.now() < deadline) {
      const { items } = await client(TOKENS.viewer).workloads({
        namespace: 'shop',
        labelSelector: 'app=email',
      });
      email = items[0];
      if (email && email.reasons.some((r) => r.includes('OOMKilled'))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(email?.health).not.toBe('healthy');
    expect(email?.reasons.some((r) => r.includes('OOMKilled'))).toBe(true);
  }, 90_000);

  it('filters workloads by label selector', async () => {
    const { items } = await client(TOKENS.viewer).workloads({ namespace: 'shop', labelSelector: 'app=cart' });
    expect(items.map((w) => w.name)).toEqual(['cart']);
  });
});

describe('jobs', () => {
  it('streams a job over SSE until it is done, and shutdown waits for running jobs', async () => {
    const { jobs } = server.engine.context;
    const job = await jobs.start('test', {}, async (ctx) => {
      for (let i = 1; i <= 5; i++) {
        await new Promise((r) => setTimeout(r, 20));
        ctx.progress(i / 5, `step ${i}`);
      }
      return { answer: 42 };
    });
    const updates: number[] = [];
    const final = await client(TOKENS.viewer).followJob(job.id, (r) => updates.push(r.progress));
    expect(final.status).toBe('succeeded');
    expect(final.result).toEqual({ answer: 42 });
    expect(updates.length).toBeGreaterThan(1);
    expect(updates[updates.length - 1]).toBe(1);
  });
});
