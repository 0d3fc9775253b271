import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistantService } from '../../src/assistant/AssistantService.js';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';

/**
 * Feedback is kept to assistant.answer.maxFeedbackRecords, newest first: before, every POST /assistant/feedback
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
      assistant: { answer: { maxFeedbackRecords: 3 } },
    }),
  );
  assistant = await AssistantService.create(engine.context);
  await assistant.init();
}, 60_000);
afterAll(async () => {
  await engine?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('assistant feedback', () => {
  it('keeps only the newest maxFeedbackRecords records', { timeout: 60_000 }, async () => {
    const { conversationId } = await assistant.askOnce({ question: 'Container OOMKilled with exit code 137' });
    for (let i = 0; i < 8; i++) await assistant.feedback({ conversationId, rating: i % 2 ? 'up' : 'down', comment: `note ${i}` });
    const kept = await assistant.listFeedback();
    expect(kept.map((r) => r.comment)).toEqual(['note 5', 'note 6', 'note 7']);
  });
});
