import type { AddressInfo } from 'node:net';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { aiCloudOpsPlugin } from '../plugin';
import { SAMPLE_ENTITIES } from '../__testUtils__/sampleEntities';
import { startEngine, type TestEngine } from '../__testUtils__/startEngine';

jest.setTimeout(90_000);

const ENGINE_TOKEN = 'backstage-test-token-0123456789';
// What the loopback model writes, one word every 80 ms: the engine passes each word on as a token event.
const MODEL_ANSWER =
  'Cart is running normally [1]; its pods are ready and no restarts were recorded in the last hour.';

interface FakeModel {
  baseURL: string;
  chatRequests: unknown[];
  stop(): Promise<void>;
}

/** The engine tests' OpenAI-compatible loopback server; required at run time, it lives outside this package. */
function startModel(): Promise<FakeModel> {
  const helper = '../../../../engine/test/assistant/support/startFakeOpenAiServer';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a test helper outside this package (the engine does not publish it)
  const { startFakeOpenAiServer } = require(helper);
  return startFakeOpenAiServer(() => ({ content: MODEL_ANSWER }), { tokenDelayMs: 80 });
}

/** Reads an event stream as it arrives: each read of the body, with the events it completed. */
async function readEvents(body: ReadableStream<Uint8Array>) {
  const reads: Array<Array<{ event: string; data: any }>> = [];
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    const events = blocks
      .map((block) => ({
        event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message',
        data: block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n'),
      }))
      .filter((e) => e.data)
      .map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
    if (events.length) reads.push(events);
  }
  return reads;
}

describe("the backend's /engine pass-through carries the assistant's POST event stream", () => {
  let model: FakeModel;
  let engine: TestEngine;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let base: string;

  beforeAll(async () => {
    model = await startModel();
    engine = await startEngine({
      token: ENGINE_TOKEN,
      model: { provider: 'openai', baseURL: model.baseURL, chatModel: 'fake-chat', maxRetries: 0 },
    });
    backend = await startTestBackend({
      features: [
        aiCloudOpsPlugin,
        mockServices.rootConfig.factory({
          data: { aicloudops: { engine: { baseUrl: engine.url, token: ENGINE_TOKEN } } },
        }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
        catalogServiceMock.factory({ entities: SAMPLE_ENTITIES }),
      ],
    });
    base = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api/aicloudops`;
  });
  afterAll(async () => {
    await backend?.stop();
    await engine?.close();
    await model?.stop();
  });

  it('delivers tool calls, then the tokens over many reads as the model writes them, then done', async () => {
    const response = await fetch(`${base}/engine/api/v1/assistant/ask`, {
      method: 'POST',
      headers: {
        authorization: mockCredentials.user.header(),
        accept: 'text/event-stream',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ question: 'Is cart healthy?', namespace: 'shop', workload: 'cart' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toContain('no-transform');

    const reads = await readEvents(response.body!);
    const events = reads.flat();
    const kinds = events.map((e) => e.event);
    // The live state was read first, then the answer was written, then cited, then done, and nothing after done.
    expect(kinds[0]).toBe('tool');
    expect(kinds.indexOf('token')).toBeGreaterThan(kinds.lastIndexOf('tool'));
    expect(kinds[kinds.length - 1]).toBe('done');
    // Not buffered: the tokens came in several separate reads, as the model wrote them.
    const readsWithTokens = reads.filter((r) => r.some((e) => e.event === 'token')).length;
    expect(readsWithTokens).toBeGreaterThanOrEqual(5);
    const done = events[events.length - 1]!.data;
    const streamed = events
      .filter((e) => e.event === 'token')
      .map((e) => e.data.text)
      .join('');
    expect(streamed).toBe(done.answer);
    expect(done.answer).toContain('no restarts were recorded');
    expect(done.citations.length).toBeGreaterThanOrEqual(1);
    expect(events.filter((e) => e.event === 'citation')).toHaveLength(done.citations.length);
    expect(done.toolCalls.length).toBe(kinds.filter((k) => k === 'tool').length);
  });

  it('refuses a caller who is not signed in before the engine sees the question', async () => {
    const before = model.chatRequests.length;
    const response = await fetch(`${base}/engine/api/v1/assistant/ask`, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Is cart healthy?' }),
    });
    expect(response.status).toBe(401);
    expect(model.chatRequests.length).toBe(before);
  });
});
