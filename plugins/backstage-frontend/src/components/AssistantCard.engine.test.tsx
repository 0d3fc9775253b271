import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { cloudOpsApiRef, type CloudOpsApi } from '../api/CloudOpsApi';
import { CloudOpsClient } from '../api/CloudOpsClient';
import { startRealEngine, type RealEngine } from '../__testUtils__/realEngine';
import { AssistantCard, assistantCardTestIds } from './AssistantCard';

/**
 * The assistant card on a real engine with a model: the answer streams through the /engine pass-through (the
 * backend plugin's own test shows its proxy route carries this POST stream) and renders as it is written.
 */

jest.setTimeout(120_000);

// What the loopback model writes, one word every 60 ms; the engine passes each word on as a token event.
const MODEL_ANSWER =
  'Checkout looks healthy right now [1]. Its pods are running and no recent events show restarts, so nothing needs rolling back; `kubectl rollout status deployment/checkout -n shop` confirms it.';

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
  return startFakeOpenAiServer(() => ({ content: MODEL_ANSWER }), { tokenDelayMs: 60 });
}

/** A fetch whose event-stream bodies fail with a network error after `tokens` token events: a dropped connection. */
function cutAfterTokens(tokens: number): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return response;
    const reader = response.body!.getReader();
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) return controller.close();
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

let model: FakeModel;
let engine: RealEngine;

beforeAll(async () => {
  model = await startModel();
  engine = await startRealEngine({
    model: { provider: 'openai', baseURL: model.baseURL, chatModel: 'fake-chat', maxRetries: 0 },
  });
});
afterAll(async () => {
  await engine?.stop();
  await model?.stop();
});

const render = (api: CloudOpsApi) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [cloudOpsApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <AssistantCard service="checkout" namespace="shop" />
    </TestApiProvider>,
  );

const ask = async (question: string) => {
  fireEvent.change(screen.getByTestId(assistantCardTestIds.question), { target: { value: question } });
  const button = screen.getByTestId(assistantCardTestIds.ask);
  // Disabled until usePermission has the permission API's answer.
  await waitFor(() => expect(button).toBeEnabled());
  fireEvent.click(button);
};

describe('AssistantCard on a real engine', () => {
  it('lists what the assistant read, renders the answer growing token by token, then the cited answer', async () => {
    await render(engine.client);
    const texts: string[] = [];
    let toolsBeforeText = false;
    const observer = new MutationObserver(() => {
      const text = screen.queryByTestId(assistantCardTestIds.streaming)?.textContent ?? '';
      if (text && text !== texts[texts.length - 1]) {
        if (texts.length === 0) toolsBeforeText = screen.queryByTestId(assistantCardTestIds.tools) !== null;
        texts.push(text);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    await ask('Is checkout healthy?');

    const answer = await screen.findByTestId(assistantCardTestIds.answer, {}, { timeout: 60_000 });
    observer.disconnect();

    // Several renders of a growing text before the whole answer replaced it.
    expect(texts.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true);
    expect(texts[texts.length - 1]!.length).toBeGreaterThan(texts[0]!.length);
    // The workload's live state was read and listed before the model's first word.
    expect(toolsBeforeText).toBe(true);
    expect(
      within(screen.getByTestId(assistantCardTestIds.tools)).getAllByRole('listitem').length,
    ).toBeGreaterThan(0);

    // Markdown, not raw markup: the command is a code element and no backtick is left in the text.
    await waitFor(() => expect(answer).toHaveTextContent('nothing needs rolling back'));
    expect(within(answer).getByText('kubectl rollout status deployment/checkout -n shop').tagName).toBe(
      'CODE',
    );
    expect(answer.textContent).not.toContain('`');
    const citations = within(answer).getByTestId(assistantCardTestIds.citations);
    expect(within(citations).getAllByRole('listitem').length).toBeGreaterThanOrEqual(1);
    expect(screen.queryByTestId(assistantCardTestIds.streaming)).toBeNull();
  });

  it('keeps the partial answer when the connection drops, says so, and does not ask again', async () => {
    const client = new CloudOpsClient({
      discoveryApi: { getBaseUrl: async () => engine.base },
      fetchApi: { fetch: cutAfterTokens(2) },
    });
    const before = model.chatRequests.length;
    await render(client);
    await ask('Why would checkout restart?');

    // The panel's title says what happened and that nothing was re-sent; its body carries the error itself.
    expect(
      await screen.findByText(/The question was not sent again/, {}, { timeout: 60_000 }),
    ).toBeInTheDocument();
    const partial = screen.getByTestId(assistantCardTestIds.streaming).textContent ?? '';
    expect(partial.length).toBeGreaterThan(0);
    expect(MODEL_ANSWER.startsWith(partial)).toBe(true);
    expect(partial.length).toBeLessThan(MODEL_ANSWER.length);
    expect(screen.queryByTestId(assistantCardTestIds.answer)).toBeNull();
    // Past what a retry would take: the model was asked once, so the engine had the question once.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await waitFor(() => expect(model.chatRequests.length).toBe(before + 1));
  });
});
