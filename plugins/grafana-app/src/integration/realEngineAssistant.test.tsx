import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { config } from '@grafana/runtime';
import { OrgRole } from '@grafana/data';
import { AssistantPage } from '../pages/AssistantPage';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, proxyTo, recording, replyJson } from '../test/FakeBackendSrv';
import { grafanaProxy } from '../test/grafanaProxyHandler';
import { grafanaProxyFetch } from '../test/grafanaProxyFetch';
import { startEngineProcess, useEngineProcess, type EngineProcess } from '../test/startEngineProcess';
import type { FetchLike } from '../api/EngineApi';
import type { Answer } from '../api/types';
import { ROLE_TOKENS, ROLE_TOKENS_AUTH } from '../test/roleTokens';

/** The engine tests' loopback OpenAI-compatible server (what it records, and stop). */
interface FakeOpenAiServer {
  baseURL: string;
  chatRequests: unknown[];
  stop(): Promise<void>;
}

/**
 * Starts the engine tests' model server, writing `content` one word per `tokenDelayMs`. Loaded with require: it lives
 * in the engine's tests, outside this package's TypeScript rootDir, and one stand-in model serves every package.
 */
function startModel(content: string, tokenDelayMs: number): Promise<FakeOpenAiServer> {
  const { startFakeOpenAiServer } = require('../../../../engine/test/assistant/support/startFakeOpenAiServer');
  return startFakeOpenAiServer(() => ({ content }), { tokenDelayMs });
}

/** The assistant page against a real engine (demo profile, offline retrieval). */

describe('the assistant against a real engine, no event stream reachable', () => {
  const engine = useEngineProcess();

  test('falls back to the JSON answer and shows it with as many citations as the engine returned', async () => {
    // No browser fetch reaches the plugin proxy here (jsdom has no Grafana origin): the stream cannot be opened.
    const rec = recording(proxyTo(ENGINE_PROXY_URL, engine.url));
    new FakeBackendSrv(rec.handler).install();

    render(<AssistantPage />);
    await userEvent.type(screen.getByTestId(testIds.assistant.question), 'How do I roll back a bad deployment?');
    await userEvent.click(screen.getByTestId(testIds.assistant.ask));

    const answer = await screen.findByTestId(testIds.assistant.answer, undefined, { timeout: 30_000 });
    const asks = rec.replies.filter((r) => r.url.endsWith('/assistant/ask'));
    expect(asks).toHaveLength(1);
    const engineReply = replyJson<Answer>(asks[0]!.reply);
    expect(engineReply.answer.length).toBeGreaterThan(0);
    expect(within(answer).queryAllByTestId(testIds.assistant.citation)).toHaveLength(engineReply.citations.length);
  }, 60_000);
});

// What the (loopback, OpenAI-compatible) model writes, one word every 60 ms: the engine streams it on as tokens.
const MODEL_ANSWER =
  'Checkout looks healthy right now [1]. Its pods are running and no recent events show restarts, so nothing needs rolling back.';

/** Stops the response body with a network error once `tokens` token events have passed: a dropped connection. */
function cutAfterTokens(fetchApi: FetchLike, tokens: number): FetchLike {
  return async (input, init) => {
    const response = await fetchApi(input, init);
    if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      return response;
    }
    const reader = response.body!.getReader();
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        controller.enqueue(value);
        seen += (new TextDecoder().decode(value).match(/event: token/g) ?? []).length;
        if (seen >= tokens) {
          await reader.cancel();
          controller.error(new TypeError('network error'));
        }
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

describe('the assistant streams through the plugin proxy from a real engine with a model', () => {
  let model: FakeOpenAiServer;
  let engine: EngineProcess;
  const originalFetch = window.fetch;

  beforeAll(async () => {
    model = await startModel(MODEL_ANSWER, 60);
    engine = await startEngineProcess({
      cluster: { kind: 'simulated', injectFaults: false },
      model: { provider: 'openai', baseURL: model.baseURL, chatModel: 'fake-chat', maxRetries: 0 },
      server: {
        auth: ROLE_TOKENS_AUTH,
      },
    });
  }, 45_000);
  afterAll(async () => {
    await engine?.close();
    await model?.stop();
  });
  afterEach(() => {
    window.fetch = originalFetch;
    config.bootData.user.orgRole = OrgRole.Admin;
  });

  /** Signs in as a Grafana Viewer: JSON calls through the backend service, streams through the browser's fetch. */
  const signInAsViewer = (wrap: (f: FetchLike) => FetchLike = (f) => f) => {
    config.bootData.user.orgRole = OrgRole.Viewer;
    const rec = recording(grafanaProxy({ engineUrl: engine.url, role: 'Viewer', secureJsonData: ROLE_TOKENS }));
    const backend = new FakeBackendSrv(rec.handler).install();
    const proxy = grafanaProxyFetch({ engineUrl: engine.url, role: 'Viewer', secureJsonData: ROLE_TOKENS });
    window.fetch = wrap(proxy.fetch) as typeof window.fetch;
    return { backend, proxy };
  };

  /** Each distinct text of the streaming answer, in order, and whether a tool call was on screen before it. */
  const watchStream = () => {
    const texts: string[] = [];
    let toolsBeforeText = false;
    const observer = new MutationObserver(() => {
      const text = screen.queryByTestId(testIds.assistant.streamingText)?.textContent ?? '';
      if (text && text !== texts[texts.length - 1]) {
        if (texts.length === 0) {
          toolsBeforeText = screen.queryAllByTestId(testIds.assistant.tool).length > 0;
        }
        texts.push(text);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    return { texts, toolsBeforeText: () => toolsBeforeText, stop: () => observer.disconnect() };
  };

  const ask = async (question: string) => {
    await userEvent.type(screen.getByTestId(testIds.assistant.workload), 'checkout');
    await userEvent.type(screen.getByTestId(testIds.assistant.question), question);
    await userEvent.click(screen.getByTestId(testIds.assistant.ask));
  };

  test('a Viewer sees what the assistant read, then the answer growing token by token, then the cited answer', async () => {
    const { backend, proxy } = signInAsViewer();
    render(<AssistantPage />);
    const watch = watchStream();
    await ask('Is checkout healthy?');

    const answer = await screen.findByTestId(testIds.assistant.answer, undefined, { timeout: 30_000 });
    watch.stop();

    // Several renders of a growing text before the final answer replaced the live one.
    expect(watch.texts.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < watch.texts.length; i++) {
      expect(watch.texts[i]!.startsWith(watch.texts[i - 1]!.trim())).toBe(true);
    }
    expect(watch.texts[0]!.length).toBeLessThan(watch.texts[watch.texts.length - 1]!.length);
    // The workload's live state was read (and shown) before the model's first word.
    expect(watch.toolsBeforeText()).toBe(true);

    // The final answer: the model's words, its citation linked, the tool calls listed.
    expect(answer).toHaveTextContent('nothing needs rolling back');
    expect(within(answer).getAllByTestId(testIds.assistant.citation).length).toBeGreaterThanOrEqual(1);
    expect(within(answer).getAllByTestId(testIds.assistant.tool).length).toBeGreaterThanOrEqual(1);
    expect(screen.queryByTestId(testIds.assistant.streaming)).not.toBeInTheDocument();

    // One question, one stream, through the Viewer's route of plugin.json, answered as text/event-stream.
    const asks = proxy.calls.filter((c) => c.proxyPath === 'engine/api/v1/assistant/ask');
    expect(asks).toEqual([
      {
        method: 'POST',
        proxyPath: 'engine/api/v1/assistant/ask',
        status: 200,
        contentType: expect.stringMatching(/^text\/event-stream/),
      },
    ]);
    expect(backend.requests.filter((r) => r.url.endsWith('/assistant/ask'))).toHaveLength(0);
    expect(model.chatRequests.length).toBeGreaterThanOrEqual(1);
  }, 90_000);

  test('a connection dropped mid-answer keeps the partial answer, says so, and does not ask again', async () => {
    const { backend, proxy } = signInAsViewer((f) => cutAfterTokens(f, 2));
    const chatsBefore = model.chatRequests.length;
    render(<AssistantPage />);
    await ask('Why would checkout restart?');

    const error = await screen.findByTestId(testIds.assistant.error, undefined, { timeout: 30_000 });
    expect(error).toHaveTextContent(/connection dropped before the answer was complete/i);
    const partial = screen.getByTestId(testIds.assistant.streamingText).textContent ?? '';
    expect(partial.length).toBeGreaterThan(0);
    expect(MODEL_ANSWER.startsWith(partial.trim())).toBe(true);
    expect(partial.trim().length).toBeLessThan(MODEL_ANSWER.length);
    expect(screen.queryByTestId(testIds.assistant.answer)).not.toBeInTheDocument();

    // Wait past what a retry would take, then check it was asked exactly once (no second stream, no JSON ask).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(proxy.calls.filter((c) => c.proxyPath === 'engine/api/v1/assistant/ask')).toHaveLength(1);
    expect(backend.requests.filter((r) => r.url.endsWith('/assistant/ask'))).toHaveLength(0);
    await waitFor(() => expect(model.chatRequests.length).toBe(chatsBefore + 1));
  }, 90_000);
});
