import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult, type BasicPermission } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import { aiCloudOpsPlugin } from './plugin';
import { SAMPLE_ENTITIES } from './__testUtils__/sampleEntities';
import { startEngine, type TestEngine } from './__testUtils__/startEngine';

// A scale plan reads history and forecasts: minutes, not seconds, on a busy 2-core machine.
jest.setTimeout(300_000);

const ENGINE_TOKEN = 'backstage-permissions-token-0123456789';

// A permission policy as a portal would write one: people get the permissions their group grants.
const GRANTS: Record<string, string[]> = {
  'user:default/reader': ['aicloudops.read'],
  'user:default/analyst': ['aicloudops.read', 'aicloudops.analysis.run'],
  'user:default/analyst2': ['aicloudops.read', 'aicloudops.analysis.run'],
  'user:default/admin': ['aicloudops.read', 'aicloudops.analysis.run', 'aicloudops.jobs.cancel.any'],
  'user:default/operator': ['aicloudops.read', 'aicloudops.analysis.run', 'aicloudops.repair.approve', 'aicloudops.apply'],
};

function policyPermissions() {
  return mockServices.permissions.mock({
    authorize: async (requests, options) => {
      const principal = (options.credentials as { principal?: { userEntityRef?: string } }).principal;
      const granted = GRANTS[principal?.userEntityRef ?? ''] ?? [];
      return requests.map((r) => ({
        result: granted.includes((r as { permission: BasicPermission }).permission.name)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      }));
    },
  });
}

async function startBackend(config: JsonObject) {
  return startTestBackend({
    features: [
      aiCloudOpsPlugin,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      policyPermissions().factory,
      catalogServiceMock.factory({ entities: SAMPLE_ENTITIES }),
    ],
  });
}

type Call = { method: 'get' | 'post' | 'delete'; path: string; body?: object };

const READ: Call = { method: 'get', path: '/engine/api/v1/clusters' };
const RCA: Call = { method: 'post', path: '/engine/api/v1/rca', body: { namespace: 'shop', target: { service: 'cart' } } };
const PLAN: Call = { method: 'post', path: '/engine/api/v1/scale-plan', body: { namespace: 'shop', workload: { kind: 'Deployment', name: 'cart' }, mode: 'recommend' } };
const APPLY: Call = { method: 'post', path: '/engine/api/v1/scale-plan', body: { namespace: 'shop', workload: { kind: 'Deployment', name: 'cart' }, mode: 'apply' } };
const APPROVE: Call = { method: 'post', path: '/engine/api/v1/repair/approvals/a1/approve', body: {} };
const REJECT: Call = { method: 'post', path: '/engine/api/v1/repair/approvals/a1/reject', body: {} };
const ACK = (id: string): Call => ({ method: 'post', path: `/engine/api/v1/incidents/${id}/ack` });
const RESOLVE = (id: string): Call => ({ method: 'post', path: `/engine/api/v1/incidents/${id}/resolve` });
const SUPPRESS: Call = {
  method: 'post',
  path: '/engine/api/v1/alerts/suppressions',
  body: { kind: 'maintenance', startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-01T01:00:00Z' },
};
const INGEST: Call = { method: 'post', path: '/engine/api/v1/assistant/ingest', body: { paths: ['/etc'] } };
const CONFIG: Call = { method: 'get', path: '/engine/api/v1/config' };
const DELETE_JOB = (id: string): Call => ({ method: 'delete', path: `/engine/api/v1/jobs/${id}` });

function send(server: Parameters<typeof request>[0], who: string, call: Call) {
  const req = request(server)[call.method](`/api/aicloudops${call.path}`).set('authorization', mockCredentials.user.header(who));
  return call.body ? req.send(call.body) : req;
}

describe('aicloudops backend: permissions are checked before anything is forwarded', () => {
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startEngine({ token: ENGINE_TOKEN });
  });
  afterAll(async () => {
    await engine?.close();
  });

  describe('with cluster changes off (the default)', () => {
    let backend: Awaited<ReturnType<typeof startBackend>>;
    beforeAll(async () => {
      backend = await startBackend({ aicloudops: { engine: { baseUrl: engine.url, token: ENGINE_TOKEN, timeoutSeconds: 120 } } });
    });
    afterAll(async () => {
      await backend?.stop();
    });

    it.each([
      ['reader', READ, 200],
      ['reader', RCA, 403],
      ['reader', PLAN, 403],
      ['analyst', READ, 200],
      ['analyst', RCA, 202],
      ['analyst', PLAN, 200],
      ['analyst', APPLY, 403],
      ['analyst', APPROVE, 403],
      ['operator', APPLY, 403],
      ['operator', APPROVE, 403],
      ['operator', INGEST, 403],
      ['nobody', READ, 403],
    ] as Array<[string, Call, number]>)('%s: %o -> %i', async (who, call, status) => {
      const res = await send(backend.server, `user:default/${who}`, call);
      expect({ status: res.status, body: res.status === status ? undefined : res.body }).toEqual({ status, body: undefined });
      if (status === 403) expect(res.body.error.name).toBe('NotAllowedError');
    });

    it('lets whoever may run analyses acknowledge and resolve an incident (not a cluster change), and no reader', async () => {
      const delivered = await fetch(`${engine.url}/api/v1/alerts/webhook/alertmanager`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ENGINE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          version: '4',
          groupKey: '{}:{alertname="CartDown"}',
          status: 'firing',
          receiver: 'aicloudops',
          alerts: [{ status: 'firing', labels: { alertname: 'CartDown', service: 'cart', namespace: 'shop' }, startsAt: new Date().toISOString() }],
        }),
      });
      const [id] = ((await delivered.json()) as { incidents: string[] }).incidents;
      expect(id).toBeDefined();

      expect((await send(backend.server, 'user:default/reader', ACK(id!))).status).toBe(403);
      const acked = await send(backend.server, 'user:default/analyst', ACK(id!));
      expect(acked.status).toBe(200);
      // The engine acknowledged it under the backend's engine token.
      expect(acked.body).toMatchObject({ id, acknowledgedBy: 'backstage' });
      const resolved = await send(backend.server, 'user:default/analyst', RESOLVE(id!));
      expect(resolved.body).toMatchObject({ id, status: 'resolved' });
      // Suppression windows are an engine operator's business: not forwarded from the portal.
      expect((await send(backend.server, 'user:default/operator', SUPPRESS)).body.error.message).toContain('is not forwarded');
    });

    it("lets an analyst cancel the jobs they started, not another user's; aicloudops.jobs.cancel.any cancels any", async () => {
      const started = await send(backend.server, 'user:default/analyst', RCA);
      expect(started.status).toBe(202);
      const mine = DELETE_JOB(started.body.id);

      const other = await send(backend.server, 'user:default/analyst2', mine);
      expect(other.status).toBe(403);
      expect(other.body.error.message).toContain('aicloudops.jobs.cancel.any');
      expect((await send(backend.server, 'user:default/reader', mine)).status).toBe(403);
      // Still queued or running, or ended on its own: either way the refusal changed nothing.
      const after = await fetch(`${engine.url}/api/v1/jobs/${started.body.id}`, { headers: { authorization: `Bearer ${ENGINE_TOKEN}` } });
      const atEngine = (await after.json()) as { status: string; params?: unknown };
      expect(atEngine.status).not.toBe('cancelled');

      // Reads through the portal are a viewer's at the engine, though the backend's token is an operator's: no params.
      const read = await send(backend.server, 'user:default/reader', { method: 'get', path: `/engine/api/v1/jobs/${started.body.id}` });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: started.body.id, kind: 'rca' });
      expect(read.body.params).toBeUndefined();
      expect(atEngine.params).toEqual(RCA.body);

      const own = await send(backend.server, 'user:default/analyst', mine);
      expect(own.status).toBe(200);
      expect(typeof own.body.cancelled).toBe('boolean');

      // A job nobody started through the portal (here straight at the engine) has no owner: only the admin permission.
      const direct = await fetch(`${engine.url}/api/v1/rca`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ENGINE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(RCA.body),
      });
      const { id } = (await direct.json()) as { id: string };
      expect((await send(backend.server, 'user:default/analyst', DELETE_JOB(id))).status).toBe(403);
      const admin = await send(backend.server, 'user:default/admin', DELETE_JOB(id));
      expect(admin.status).toBe(200);
      const adminOnOthers = await send(backend.server, 'user:default/admin', mine);
      expect(adminOnOthers.status).toBe(200);
    });

    it('shows an entity\'s workloads only to whoever may read through the engine (aicloudops.read)', async () => {
      const path = '/entity/default/component/cart/workloads';
      const get = (who: string) => request(backend.server).get(`/api/aicloudops${path}`).set('authorization', mockCredentials.user.header(who));
      const denied = await get('user:default/nobody');
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain('aicloudops.read');
      const reader = await get('user:default/reader');
      expect(reader.status).toBe(200);
      expect(reader.body.items.length).toBeGreaterThan(0);
    });

    it('lets whoever may decide repairs reject one (nothing changes on a cluster), though approving stays off', async () => {
      expect((await send(backend.server, 'user:default/analyst', REJECT)).body.error.message).toContain('aicloudops.repair.approve');
      const rejected = await send(backend.server, 'user:default/operator', REJECT);
      // Forwarded: the engine answers for its (unknown) action, not the backend's cluster-change refusal.
      expect(rejected.body.error?.message ?? '').not.toContain('allowClusterChanges');
      expect(rejected.body.error?.name).not.toBe('NotAllowedError');
    });

    it('says why a cluster change is refused and which setting opens it', async () => {
      const res = await send(backend.server, 'user:default/operator', APPLY);
      expect(res.body.error.message).toContain('aicloudops.proxy.allowClusterChanges');
    });

    it('never forwards admin routes, whatever the permissions', async () => {
      const res = await send(backend.server, 'user:default/operator', CONFIG);
      // GET is a read, so this reaches the engine, which refuses the operator token: config is admin-only there.
      expect(res.status).toBe(403);
      const ingest = await send(backend.server, 'user:default/operator', INGEST);
      expect(ingest.body.error.message).toContain('is not forwarded');
    });
  });

  describe('with cluster changes opted into', () => {
    let backend: Awaited<ReturnType<typeof startBackend>>;
    beforeAll(async () => {
      backend = await startBackend({
        aicloudops: { engine: { baseUrl: engine.url, token: ENGINE_TOKEN, timeoutSeconds: 120 }, proxy: { allowClusterChanges: true } },
      });
    });
    afterAll(async () => {
      await backend?.stop();
    });

    it('lets the permission policy decide: an analyst still may not apply, an operator reaches the engine', async () => {
      const analyst = await send(backend.server, 'user:default/analyst', APPLY);
      expect(analyst.status).toBe(403);
      expect(analyst.body.error.message).toContain('aicloudops.apply');
      const operator = await send(backend.server, 'user:default/operator', APPLY);
      // Forwarded: the engine itself now decides (its token is operator, apply needs admin there; or policy denies).
      expect(operator.status).not.toBe(404);
      expect(operator.body.error?.name).not.toBe('NotAllowedError');
    });
  });
});
