import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import { aiCloudOpsPlugin } from './plugin';
import { SAMPLE_ENTITIES } from './__testUtils__/sampleEntities';
import { startEngine, type TestEngine } from './__testUtils__/startEngine';

jest.setTimeout(60_000);

const ENGINE_TOKEN = 'backstage-test-token-0123456789';
const JANE = 'user:default/jane';

async function startBackend(config: JsonObject) {
  return startTestBackend({
    features: [
      aiCloudOpsPlugin,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      catalogServiceMock.factory({ entities: SAMPLE_ENTITIES }),
    ],
  });
}

/**
 * With `aicloudops.engine.actsForUsers`, the backend names the signed-in user to the engine (X-AICloudOps-User), and an
 * engine that marks the backend's token `actsForUsers` records that person: before, every acknowledgement made
 * through the portal read `acknowledgedBy: backstage`.
 */
describe('aicloudops backend naming the signed-in user to the engine', () => {
  let engine: TestEngine;
  let alerts = 0;

  beforeAll(async () => {
    engine = await startEngine({ token: ENGINE_TOKEN, actsForUsers: true });
  });
  afterAll(async () => {
    await engine?.close();
  });

  // Straight to the engine with the backend's token (operator): the portal does not forward ingest.
  async function openIncident(): Promise<string> {
    alerts += 1;
    const service = `acts-for-${alerts}`;
    const headers = { authorization: `Bearer ${ENGINE_TOKEN}`, 'content-type': 'application/json' };
    const body = JSON.stringify({ alerts: [{ labels: { alertname: 'ActsFor', service, severity: 'critical' } }] });
    expect((await fetch(`${engine.url}/api/v1/alerts`, { method: 'POST', headers, body })).status).toBe(200);
    const list = (await (await fetch(`${engine.url}/api/v1/incidents`, { headers })).json()) as {
      items: Array<{ id: string }>;
    };
    const found = list.items.find((item) => JSON.stringify(item).includes(service));
    expect(found).toBeDefined();
    return found!.id;
  }

  async function acknowledge(settings: JsonObject): Promise<request.Response> {
    const backend = await startBackend({ aicloudops: { engine: { baseUrl: engine.url, token: ENGINE_TOKEN, ...settings } } });
    try {
      const id = await openIncident();
      return await request(backend.server)
        .post(`/api/aicloudops/engine/api/v1/incidents/${id}/ack`)
        .set('authorization', mockCredentials.user.header(JANE))
        .send({});
    } finally {
      await backend.stop();
    }
  }

  it('records the acknowledging user via the backend’s token with engine.actsForUsers on', async () => {
    const res = await acknowledge({ actsForUsers: true });
    expect(res.status).toBe(200);
    expect(res.body.acknowledgedBy).toBe(`${JANE} via backstage`);
  });

  // A guard, passing before as after: off by default, the engine records the token as before.
  it('sends no user by default, and the engine records the token', async () => {
    const res = await acknowledge({});
    expect(res.status).toBe(200);
    expect(res.body.acknowledgedBy).toBe('backstage');
  });
});
