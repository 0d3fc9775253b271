import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistantService } from '../../src/assistant/AssistantService.js';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';

/**
 * What callers leave in the store is bounded. Feedback is kept to assistant.answer.maxFeedbackRecords, newest first: before, every POST /assistant/feedback
 * appended a record (question, comment, sources) to one list without end, so a viewer rating one answer in a loop
 * grew the store without bound.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'assistant-feedback-'));
let engine: Engine;
let assistant: AssistantService;

beforeAll(async () => {
  engine = await createEngine(
    configSchema.parse({
      logLevel: 'silent',
      dataDir,
      cluster: { kind: 'simulated', injectFaults: false },
      assistant: { answer: { maxFeedbackRecords: 3, maxConversationsPerCaller: 2 } },
    }),
  );
  assistant = await AssistantService.create(engine.context);
  await assistant.init();
}, 60_000);
afterAll(async () => {
  await engine?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('assistant store bounds', () => {
  it('keeps only the newest maxFeedbackRecords records', { timeout: 60_000 }, async () => {
    const { conversationId } = await assistant.askOnce({
      question: 'Container OOMKilled with exit code 137',
    });
    for (let i = 0; i < 8; i++)
      await assistant.feedback({ conversationId, rating: i % 2 ? 'up' : 'down', comment: `note ${i}` });
    const kept = await assistant.listFeedback();
    expect(kept.map((r) => r.comment)).toEqual(['note 5', 'note 6', 'note 7']);
  });

  // Every question without a conversation id started a stored conversation kept for 30 days, with no bound on how
  // many: an identity now keeps its newest maxConversationsPerCaller; the oldest are deleted.
  it(
    'keeps only the newest maxConversationsPerCaller conversations of an identity',
    { timeout: 60_000 },
    async () => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++)
        ids.push(
          (await assistant.askOnce({ question: `pod OOMKilled number ${i}` }, 'alice')).conversationId,
        );
      const bob = (await assistant.askOnce({ question: 'pod OOMKilled for bob' }, 'bob')).conversationId;
      for (const id of ids.slice(0, 2))
        await expect(assistant.conversation(id, 'alice')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      for (const id of ids.slice(2))
        expect((await assistant.conversation(id, 'alice')).turns).toHaveLength(1);
      expect((await assistant.conversation(bob, 'bob')).turns).toHaveLength(1);
      // A follow-up in a kept conversation starts nothing new and drops nothing.
      await assistant.askOnce({ question: 'and then?', conversationId: ids[3] }, 'alice');
      expect((await assistant.conversation(ids[2]!, 'alice')).turns).toHaveLength(1);
      expect(await engine.context.store.get(`assistant:conversation:${ids[0]}`)).toBeNull();
    },
  );
});
