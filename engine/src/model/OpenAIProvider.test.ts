import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeOpenAiServer,
  hashedEmbedding,
  type FakeOpenAiServer,
} from '../../test/assistant/support/startFakeOpenAiServer.js';
import { EngineError } from '../errors.js';
import { configSchema } from '../config/schema.js';
import { createModelProvider } from './createModelProvider.js';
import type { ChatEvent } from './ModelProvider.js';

describe('OpenAIProvider against an OpenAI-compatible HTTP server', () => {
  let server: FakeOpenAiServer;

  beforeAll(async () => {
    server = await startFakeOpenAiServer((body) => {
      const last = body.messages[body.messages.length - 1]!;
      if (String(last.content).includes('use a tool') && body.tools?.length) {
        return { toolCalls: [{ name: 'get_pods', arguments: { workload: 'cart', namespace: 'shop' } }] };
      }
      if (String(last.content).includes('fail')) return { status: 500 };
      return { content: `You said: ${last.content}` };
    });
  });
  afterAll(() => server.stop());

  const provider = () => {
    const model = createModelProvider(
      configSchema.parse({
        model: {
          provider: 'openai',
          baseURL: server.baseURL,
          chatModel: 'fake-chat',
          embeddingModel: 'fake-embed',
          maxRetries: 0,
        },
      }).model,
    );
    if (!model) throw new Error('expected a provider');
    return model;
  };

  it('is undefined for provider none', () => {
    expect(createModelProvider(configSchema.parse({}).model)).toBeUndefined();
  });

  it('streams tokens and reports done', async () => {
    const events: ChatEvent[] = [];
    for await (const e of provider().chat({ messages: [{ role: 'user', content: 'hello streaming world' }] }))
      events.push(e);
    const tokens = events.filter((e) => e.type === 'token');
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.map((t) => (t.type === 'token' ? t.text : '')).join('')).toBe(
      'You said: hello streaming world',
    );
    const done = events[events.length - 1]!;
    expect(done).toMatchObject({
      type: 'done',
      finishReason: 'stop',
      usage: { promptTokens: 10, completionTokens: 5 },
    });
    expect(server.chatRequests.at(-1)!.stream).toBe(true);
  });

  it('reassembles streamed tool calls and sends tool results back in the OpenAI shape', async () => {
    const tools = [
      { name: 'get_pods', description: 'list pods', parameters: { type: 'object', properties: {} } },
    ];
    const events: ChatEvent[] = [];
    for await (const e of provider().chat({
      messages: [{ role: 'user', content: 'please use a tool' }],
      tools,
    }))
      events.push(e);
    const call = events.find((e) => e.type === 'tool_calls');
    expect(call?.type === 'tool_calls' && call.calls).toEqual([
      {
        id: expect.any(String),
        name: 'get_pods',
        arguments: JSON.stringify({ workload: 'cart', namespace: 'shop' }),
      },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'tool_calls' });

    const calls = call?.type === 'tool_calls' ? call.calls : [];
    const follow: ChatEvent[] = [];
    for await (const e of provider().chat({
      messages: [
        { role: 'user', content: 'please use a tool' },
        { role: 'assistant', content: '', toolCalls: calls },
        { role: 'tool', content: 'pods: cart-1 Running', toolCallId: calls[0]!.id },
      ],
      tools,
    })) {
      follow.push(e);
    }
    const sent = server.chatRequests.at(-1)!;
    expect(sent.messages[1]!.tool_calls).toHaveLength(1);
    expect(sent.messages[2]).toMatchObject({
      role: 'tool',
      tool_call_id: calls[0]!.id,
      content: 'pods: cart-1 Running',
    });
  });

  it('completes a prompt without streaming', async () => {
    const text = await provider().complete('summarise this', { system: 'be brief' });
    expect(text).toBe('You said: summarise this');
    const sent = server.chatRequests.at(-1)!;
    expect(sent.stream).toBeFalsy();
    expect(sent.messages[0]).toMatchObject({ role: 'system', content: 'be brief' });
  });

  it('embeds texts in order', async () => {
    const vectors = await provider().embed(['pod crash loop', 'certificate expired']);
    expect(vectors).toHaveLength(2);
    expect(Array.from(vectors[0]!)).toEqual(hashedEmbedding('pod crash loop').map((x) => Math.fround(x)));
    expect(server.embeddingRequests.at(-1)).toEqual({
      model: 'fake-embed',
      input: ['pod crash loop', 'certificate expired'],
    });
  });

  it('maps upstream failures to EngineError codes', async () => {
    await expect(provider().complete('please fail')).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    const unreachable = createModelProvider(
      configSchema.parse({
        model: { provider: 'openai', baseURL: 'http://127.0.0.1:9/v1', chatModel: 'x', maxRetries: 0 },
      }).model,
    )!;
    const error = await unreachable.complete('hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('UPSTREAM_UNAVAILABLE');
    expect((await unreachable.check()).ok).toBe(false);
  });

  it('reports health with the listed models', async () => {
    const check = await provider().check();
    expect(check).toMatchObject({ name: 'model', ok: true });
    expect(check.detail).toContain('fake-chat');
  });
});
