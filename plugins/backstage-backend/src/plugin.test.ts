import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import { aiCloudOpsPlugin } from './plugin';
import { SAMPLE_ENTITIES } from './__testUtils__/sampleEntities';
import { startEngine, unusedUrl, type TestEngine } from './__testUtils__/startEngine';

jest.setTimeout(60_000);

const ENGINE_TOKEN = 'backstage-test-token-0123456789';

async function startBackend(config: JsonObject, options: { deny?: boolean; logs?: boolean } = {}) {
  return startTestBackend({
    features: [
      aiCloudOpsPlugin,
      mockServices.rootConfig.factory({ data: config }),
      // As in a real backend: a request without a token is unauthenticated (the mock's default is a user).
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      catalogServiceMock.factory({ entities: SAMPLE_ENTITIES }),
      // Warnings and errors to the console, where a test can count them.
      ...(options.logs ? [mockServices.rootLogger.factory({ level: 'warn' })] : []),
      ...(options.deny ? [mockServices.permissions.factory({ result: AuthorizeResult.DENY })] : []),
    ],
  });
}

describe('aicloudops backend plugin against a real engine', () => {
  let engine: TestEngine;
  let server: Awaited<ReturnType<typeof startBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    engine = await startEngine({ token: ENGINE_TOKEN });
    const backend = await startBackend({ aicloudops: { engine: { baseUrl: engine.url, token: ENGINE_TOKEN } } });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop?.();
    await engine?.close();
  });

  const asUser = (path: string) =>
    request(server).get(`/api/aicloudops${path}`).set('authorization', mockCredentials.user.header());

  it('tells signed-in users whether cluster changes are forwarded (off by default), and nobody else', async () => {
    const settings = await asUser('/settings');
    expect(settings.status).toBe(200);
    // Exactly this: no token, no engine address.
    expect(settings.body).toEqual({ clusterChanges: false });
    expect((await request(server).get('/api/aicloudops/settings')).status).toBe(401);
    const asService = await request(server)
      .get('/api/aicloudops/settings')
      .set('authorization', mockCredentials.service.header());
    expect(asService.status).toBe(403);

    const opted = await startBackend({
      aicloudops: { engine: { baseUrl: engine.url, token: ENGINE_TOKEN }, proxy: { allowClusterChanges: true } },
    });
    try {
      const res = await request(opted.server)
        .get('/api/aicloudops/settings')
        .set('authorization', mockCredentials.user.header());
      expect(res.body).toEqual({ clusterChanges: true });
    } finally {
      await opted.stop();
    }
  });

  it('answers /health without credentials', async () => {
    const res = await request(server).get('/api/aicloudops/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', engine: 'configured' });
  });

  it("returns the workloads labelled with the entity's kubernetes-id from the simulated cluster", async () => {
    const cart = await asUser('/entity/default/component/cart/workloads');
    expect(cart.status).toBe(200);
    expect(cart.body.target).toEqual({ namespace: 'shop', labelSelector: 'backstage.io/kubernetes-id=cart' });
    const clusters = cart.body.items as Array<{ cluster: string; workloads: any[]; error?: unknown }>;
    expect(clusters.length).toBeGreaterThan(0);
    expect(clusters.every((c) => c.error === undefined)).toBe(true);
    const workloads = clusters.flatMap((c) => c.workloads);
    expect(workloads.map((w) => w.name)).toEqual(['cart']);
    expect(workloads[0].labels['backstage.io/kubernetes-id']).toBe('cart');
    expect(['healthy', 'degraded', 'unavailable']).toContain(workloads[0].health);
    expect(workloads[0].pods.length).toBeGreaterThan(0);
    expect(workloads[0].pods.every((p: any) => typeof p.restarts === 'number')).toBe(true);

    const checkout = await asUser('/entity/default/component/checkout/workloads');
    expect(checkout.body.items.flatMap((c: any) => c.workloads).map((w: any) => w.name)).toEqual(['checkout']);
  });

  it('prefers an explicit label selector annotation', async () => {
    const res = await asUser('/entity/default/component/payment-by-selector/workloads');
    expect(res.status).toBe(200);
    expect(res.body.target.labelSelector).toBe('app=payment');
    expect(res.body.items.flatMap((c: any) => c.workloads).map((w: any) => w.name)).toEqual(['payment']);
  });

  it('rejects an entity without kubernetes annotations with 400', async () => {
    const res = await asUser('/entity/default/component/docs-site/workloads');
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain('backstage.io/kubernetes-id');
  });

  it('rejects an invalid namespace annotation with 400 naming the annotation', async () => {
    const res = await asUser('/entity/default/component/bad-namespace/workloads');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('backstage.io/kubernetes-namespace');
  });

  it('answers 404 for an entity the catalog does not have', async () => {
    const res = await asUser('/entity/default/component/nope/workloads');
    expect(res.status).toBe(404);
  });

  it('requires credentials: 401 without them', async () => {
    const entity = await request(server).get('/api/aicloudops/entity/default/component/cart/workloads');
    expect(entity.status).toBe(401);
    const engineCall = await request(server).get('/api/aicloudops/engine/api/v1/clusters');
    expect(engineCall.status).toBe(401);
    const badToken = await request(server)
      .get('/api/aicloudops/engine/api/v1/clusters')
      .set('authorization', mockCredentials.user.invalidHeader());
    expect(badToken.status).toBe(401);
  });

  it('passes engine calls through with the server-side token for signed-in users', async () => {
    const res = await asUser('/engine/api/v1/clusters');
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.some((c: any) => c.default === true)).toBe(true);

    const workloads = await asUser('/engine/api/v1/workloads?namespace=shop&labelSelector=app%3Demail');
    expect(workloads.status).toBe(200);
    expect(workloads.body.items.map((w: any) => w.name)).toEqual(['email']);
  });

  it('starts an RCA job and asks the assistant through the pass-through, as the entity tab does', async () => {
    const started = await request(server)
      .post('/api/aicloudops/engine/api/v1/rca')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'shop', target: { service: 'cart' } });
    expect(started.status).toBe(202);
    expect(typeof started.body.id).toBe('string');
    const job = await asUser(`/engine/api/v1/jobs/${encodeURIComponent(started.body.id)}`);
    expect(job.status).toBe(200);
    expect(job.body.id).toBe(started.body.id);
    expect(['running', 'succeeded', 'failed']).toContain(job.body.status);

    const asked = await request(server)
      .post('/api/aicloudops/engine/api/v1/assistant/ask')
      .set('authorization', mockCredentials.user.header())
      .send({ question: 'How do I debug a pod in CrashLoopBackOff?', workload: 'cart' });
    expect(asked.status).toBe(200);
    expect(typeof asked.body.answer).toBe('string');
    expect(Array.isArray(asked.body.citations)).toBe(true);

    const invalid = await request(server)
      .post('/api/aicloudops/engine/api/v1/rca')
      .set('authorization', mockCredentials.user.header())
      .send({ target: { service: '' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues.some((i: { field: string }) => i.field.includes('service'))).toBe(true);
  });

  it('refuses service principals, non-allow-listed POSTs and paths outside the API', async () => {
    const asService = await request(server)
      .get('/api/aicloudops/engine/api/v1/clusters')
      .set('authorization', mockCredentials.service.header());
    expect(asService.status).toBe(403);

    const faults = await request(server)
      .post('/api/aicloudops/engine/api/v1/demo/faults')
      .set('authorization', mockCredentials.user.header())
      .send({ type: 'crash-loop', service: 'cart' });
    expect(faults.status).toBe(403);

    const outside = await asUser('/engine/metrics');
    expect(outside.status).toBe(400);
    // The engine's probes: /readyz would show the backend's authenticated view (each source's hosts and errors).
    for (const probe of ['/engine/readyz', '/engine/healthz']) {
      const res = await asUser(probe);
      expect({ probe, status: res.status, checks: res.body.checks }).toEqual({ probe, status: 400, checks: undefined });
    }
  });
});

describe('aicloudops backend plugin when the engine fails', () => {
  it('reports an unreachable engine as an error entry, not a crash', async () => {
    const baseUrl = await unusedUrl();
    const backend = await startBackend({ aicloudops: { engine: { baseUrl, timeoutSeconds: 5 } } });
    try {
      const res = await request(backend.server)
        .get('/api/aicloudops/entity/default/component/cart/workloads')
        .set('authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0].cluster).toBe('(engine)');
      expect(res.body.items[0].workloads).toEqual([]);
      // The engine's internal address stays in the backend's log: not in the message, nor anywhere in either body.
      expect(res.body.items[0].error.message).toMatch(/^AI-CloudOps engine unreachable: .*aicloudops\.engine\.baseUrl/);
      expect(JSON.stringify(res.body)).not.toContain(new URL(baseUrl).port);

      const proxied = await request(backend.server)
        .get('/api/aicloudops/engine/api/v1/clusters')
        .set('authorization', mockCredentials.user.header());
      expect(proxied.status).toBe(503);
      // Shown to every portal user: what is wrong and which setting to check, not the engine's internal address.
      expect(proxied.body.error.message).toMatch(/^AI-CloudOps engine unreachable: .*aicloudops\.engine\.baseUrl/);
      expect(JSON.stringify(proxied.body)).not.toContain(new URL(baseUrl).port);
    } finally {
      await backend.stop();
    }
  });

  it("answers 502 naming the setting when the engine refuses the portal's token, logged once, never the token", async () => {
    const wrongToken = 'not-the-engine-token-at-all';
    const engine = await startEngine({ token: ENGINE_TOKEN });
    const backend = await startBackend(
      { aicloudops: { engine: { baseUrl: engine.url, token: wrongToken } } },
      { logs: true },
    );
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const get = (path: string) =>
        request(backend.server).get(`/api/aicloudops${path}`).set('authorization', mockCredentials.user.header());
      for (const path of ['/engine/api/v1/clusters', '/engine/api/v1/incidents']) {
        const proxied = await get(path);
        // Not the user's 401: they are signed in; the portal's token is what the engine refused.
        expect(proxied.status).toBe(502);
        expect(proxied.body.error.name).toBe('EngineTokenRefusedError');
        expect(proxied.body.error.message).toContain('aicloudops.engine.token');
        expect(proxied.body.error.message).toContain('unknown bearer token');
        expect(JSON.stringify(proxied.body)).not.toContain(wrongToken);
      }
      const workloads = await get('/entity/default/component/cart/workloads');
      expect(workloads.status).toBe(200);
      expect(workloads.body.items[0].error).toMatchObject({ name: 'EngineTokenRefusedError', statusCode: 502 });
      expect(workloads.body.items[0].error.message).toContain('aicloudops.engine.token');

      const lines = (spy: jest.SpyInstance) => spy.mock.calls.map((c) => String(c[0]));
      const refusals = lines(warn).filter((l) => l.includes('the engine refused aicloudops.engine.token'));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toContain('401');
      expect([...lines(warn), ...lines(error)].join('\n')).not.toContain(wrongToken);
      expect(lines(error).filter((l) => l.includes('502'))).toEqual([]);
    } finally {
      warn.mockRestore();
      error.mockRestore();
      await backend.stop();
      await engine.close();
    }
  });

  it("names the action token, and the token's role, when the engine refuses a cluster change", async () => {
    const engine = await startEngine({ token: ENGINE_TOKEN });
    const apply = { namespace: 'shop', workload: { kind: 'Deployment', name: 'cart' }, mode: 'apply' };
    const post = (backend: Awaited<ReturnType<typeof startBackend>>) =>
      request(backend.server)
        .post('/api/aicloudops/engine/api/v1/scale-plan')
        .set('authorization', mockCredentials.user.header())
        .send(apply);
    const proxy = { allowClusterChanges: true };
    // The engine's token is an operator's; applying needs an admin's.
    const operatorOnly = await startBackend({ aicloudops: { engine: { baseUrl: engine.url, token: ENGINE_TOKEN }, proxy } });
    const wrongAction = await startBackend({
      aicloudops: { engine: { baseUrl: engine.url, token: ENGINE_TOKEN, actionToken: 'not-an-engine-token' }, proxy },
    });
    try {
      const role = await post(operatorOnly);
      expect(role.status).toBe(502);
      expect(role.body.error.message).toContain('aicloudops.engine.token');
      expect(role.body.error.message).toContain('admin role');
      const action = await post(wrongAction);
      expect(action.status).toBe(502);
      expect(action.body.error.message).toContain('aicloudops.engine.actionToken');
      expect(action.body.error.message).not.toContain('not-an-engine-token');

      // A read the engine keeps from viewers (the backend reads as one): the engine's own 403, not the token's.
      const config = await request(operatorOnly.server)
        .get('/api/aicloudops/engine/api/v1/config')
        .set('authorization', mockCredentials.user.header());
      expect(config.status).toBe(403);
    } finally {
      await operatorOnly.stop();
      await wrongAction.stop();
      await engine.close();
    }
  });

  it("keeps the permission framework's denial a 403 though the engine would refuse the token", async () => {
    const engine = await startEngine({ token: ENGINE_TOKEN });
    const backend = await startBackend(
      { aicloudops: { engine: { baseUrl: engine.url, token: 'not-the-engine-token-at-all' } } },
      { deny: true },
    );
    try {
      const res = await request(backend.server)
        .get('/api/aicloudops/engine/api/v1/clusters')
        .set('authorization', mockCredentials.user.header());
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toContain('aicloudops.read');
    } finally {
      await backend.stop();
      await engine.close();
    }
  });

  it('stays off with a warning when the aicloudops section is missing', async () => {
    const backend = await startBackend({});
    try {
      const health = await request(backend.server).get('/api/aicloudops/health');
      expect(health.body).toEqual({ status: 'ok', engine: 'unconfigured' });
      const res = await request(backend.server)
        .get('/api/aicloudops/entity/default/component/cart/workloads')
        .set('authorization', mockCredentials.user.header());
      expect(res.status).toBe(404);
    } finally {
      await backend.stop();
    }
  });
});
