import type { AddressInfo } from 'node:net';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { aiCloudOpsPlugin } from '../plugin';
import { SAMPLE_ENTITIES } from '../__testUtils__/sampleEntities';
import { startEngine, type TestEngine } from '../__testUtils__/startEngine';

jest.setTimeout(90_000);

const ENGINE_TOKEN = 'backstage-test-token-0123456789';
const ALICE = mockCredentials.user('user:default/alice');
const BOB = mockCredentials.user('user:default/bob');

describe('event streams through the pass-through are capped per signed-in user', () => {
  let engine: TestEngine;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let base: string;
  const open: AbortController[] = [];

  beforeAll(async () => {
    engine = await startEngine({ token: ENGINE_TOKEN });
    backend = await startTestBackend({
      features: [
        aiCloudOpsPlugin,
        mockServices.rootConfig.factory({
          data: {
            aicloudops: { engine: { baseUrl: engine.url, token: ENGINE_TOKEN }, proxy: { maxStreamsPerUser: 2 } },
          },
        }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
        catalogServiceMock.factory({ entities: SAMPLE_ENTITIES }),
      ],
    });
    base = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api/aicloudops`;
  });
  afterAll(async () => {
    open.forEach((c) => c.abort());
    await backend?.stop();
    await engine?.close();
  });

  /** Opens the engine's incident feed (a stream that stays open) as `user`; the controller closes it. */
  async function openFeed(user: typeof ALICE) {
    const controller = new AbortController();
    open.push(controller);
    const response = await fetch(`${base}/engine/api/v1/incidents/events`, {
      headers: { authorization: mockCredentials.user.header(user.principal.userEntityRef), accept: 'text/event-stream' },
      signal: controller.signal,
    });
    return { response, close: () => controller.abort() };
  }

  it('refuses a third stream of one user with 429 and Retry-After, not another user, and frees the slot on close', async () => {
    const first = await openFeed(ALICE);
    const second = await openFeed(ALICE);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    expect(first.response.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const third = await openFeed(ALICE);
    expect(third.response.status).toBe(429);
    expect(third.response.headers.get('retry-after')).toBe('5');
    const body = await third.response.json();
    expect(body.error.message).toContain('aicloudops.proxy.maxStreamsPerUser: 2');

    // Another user is not held back by Alice's streams.
    const bobs = await openFeed(BOB);
    expect(bobs.response.status).toBe(200);

    // Plain reads are not streams and are not counted.
    const read = await fetch(`${base}/engine/api/v1/incidents`, {
      headers: { authorization: mockCredentials.user.header(ALICE.principal.userEntityRef) },
    });
    expect(read.status).toBe(200);

    // Closing one stream gives the slot back once the backend sees the connection go (polled: that is asynchronous).
    first.close();
    let again = await openFeed(ALICE);
    for (let i = 0; again.response.status === 429 && i < 50; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      again = await openFeed(ALICE);
    }
    expect(again.response.status).toBe(200);
  });
});
