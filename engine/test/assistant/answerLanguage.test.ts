import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistantService } from '../../src/assistant/AssistantService.js';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { createModelProvider } from '../../src/model/createModelProvider.js';
import {
  startFakeOpenAiServer,
  type ChatCompletionBody,
  type FakeOpenAiServer,
} from './support/startFakeOpenAiServer.js';

/**
 * Two languages (issue 12): with a model the assistant is told to answer in the question's language (the request
 * that reaches the OpenAI-compatible server carries the instruction for a Chinese question and not for an English
 * one); without a model the extractive answer still finds the runbook and the live failure for a Chinese question.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'assistant-lang-'));
let engine: Engine;
let server: FakeOpenAiServer;
let withModel: AssistantService;
let extractive: AssistantService;

const CHINESE = /Answer in Simplified Chinese/;
const ZH_ANSWER = '如果重启是在发布之后开始的，请回滚该版本 [1]。';
const messageOf = (body: ChatCompletionBody, role: string) =>
  String([...body.messages].reverse().find((m) => m.role === role)?.content ?? '');

beforeAll(async () => {
  server = await startFakeOpenAiServer((body) =>
    CHINESE.test(messageOf(body, 'system'))
      ? { content: ZH_ANSWER }
      : { content: 'Roll back the release if the restarts began with it [1].' },
  );
  engine = await createEngine(
    configSchema.parse({
      logLevel: 'silent',
      dataDir,
      cluster: { kind: 'simulated', injectFaults: false },
      model: { provider: 'openai', baseURL: server.baseURL, chatModel: 'fake-chat', maxRetries: 0 },
    }),
  );
  withModel = await AssistantService.create(engine.context, {
    model: createModelProvider(engine.config.model)!,
    snapshotDir: null,
  });
  await withModel.init();
  extractive = await AssistantService.create(engine.context, { snapshotDir: null });
  await extractive.init();
}, 60_000);
afterAll(async () => {
  await engine?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the answer language', () => {
  it(
    'a Chinese question: the system and user prompts tell the model to answer in Simplified Chinese',
    { timeout: 30_000 },
    async () => {
      const answer = await withModel.askOnce({
        question: 'Pod 一直处于 CrashLoopBackOff 状态，部署之后怎么办？',
      });
      const sent = server.chatRequests.at(-1)!;
      expect(messageOf(sent, 'system')).toMatch(CHINESE);
      expect(messageOf(sent, 'user')).toMatch(
        /Question: Pod 一直处于 CrashLoopBackOff[^\n]*\n\nAnswer in Simplified Chinese/,
      );
      expect(answer).toMatchObject({ mode: 'model', unanswered: false, answer: ZH_ANSWER });
      expect(answer.citations[0]?.path).toBe('crash-loop-backoff.md');
    },
  );

  it('an English question: no language instruction, the prompt as before', { timeout: 30_000 }, async () => {
    await withModel.askOnce({ question: 'Pod in CrashLoopBackOff after a deploy, what now?' });
    const sent = server.chatRequests.at(-1)!;
    expect(messageOf(sent, 'system')).not.toMatch(/Simplified Chinese|简体中文/);
    expect(messageOf(sent, 'user')).not.toMatch(/Simplified Chinese|简体中文/);
  });

  it(
    'without a model a Chinese question still gets the runbook and the live failure',
    { timeout: 30_000 },
    async () => {
      engine.demo!.ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'catalog' });
      engine.demo!.cluster.step(8);
      const before = server.chatRequests.length;
      const answer = await extractive.askOnce({
        question: 'catalog 为什么一直重启？',
        workload: 'catalog',
        namespace: 'shop',
      });
      expect(answer).toMatchObject({ mode: 'extractive', unanswered: false });
      expect(answer.answer).toMatch(/Seen on the workload: CrashLoopBackOff/);
      expect(answer.citations.map((c) => c.path)).toContain('crash-loop-backoff.md');
      expect(server.chatRequests.length).toBe(before);
    },
  );
});
