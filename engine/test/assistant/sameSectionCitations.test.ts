import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistantService } from '../../src/assistant/AssistantService.js';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { createModelProvider } from '../../src/model/createModelProvider.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from './support/startFakeOpenAiServer.js';

/**
 * Overlapping chunks of one page section are one citation (found walking the README: "what is a pdb?" on the
 * Kubernetes docs cited "Disruptions > Pod disruption budgets" as [2] and [3]).
 */

const dataDir = mkdtempSync(join(tmpdir(), 'assistant-sections-data-'));
const docs = mkdtempSync(join(tmpdir(), 'assistant-sections-docs-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(docs, { recursive: true, force: true });
});

// One section far longer than a chunk (1,200 characters), so it is indexed as several overlapping chunks.
const sentences = Array.from(
  { length: 40 },
  (_, i) =>
    `A zorblax budget limits how many zorblax replicas may be down at once, rule ${i} of the zorblax budget section.`,
);
writeFileSync(
  join(docs, 'zorblax.md'),
  `---\ntitle: Zorblax disruptions\n---\n# Zorblax disruptions\n\n## Zorblax budgets\n\n${sentences.join('\n\n')}\n`,
);

let engine: Engine;
let server: FakeOpenAiServer;
let assistant: AssistantService;

beforeAll(async () => {
  // The "model" cites every source it was given, one sentence each.
  server = await startFakeOpenAiServer((body) => {
    const user = String([...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '');
    const ns = [...user.matchAll(/<source n="(\d+)"/g)].map((m) => m[1]);
    if (ns.length === 0) return { content: "I don't know." };
    return { content: ns.map((n) => `A zorblax budget limits disruptions [${n}].`).join(' ') };
  });
  engine = await createEngine(
    configSchema.parse({
      logLevel: 'silent',
      dataDir,
      cluster: { kind: 'simulated', injectFaults: false },
      assistant: { ingest: { roots: [tmpdir()] } },
      model: { provider: 'openai', baseURL: server.baseURL, chatModel: 'fake-chat', maxRetries: 0 },
    }),
  );
  assistant = await AssistantService.create(engine.context, {
    model: createModelProvider(engine.config.model)!,
  });
  await assistant.init();
  await engine.context.jobs.wait((await assistant.ingest({ paths: [docs] })).id);
});
afterAll(async () => {
  await engine?.close();
  await server?.stop();
});

describe('citations of overlapping chunks of one section', () => {
  it('are one numbered citation, numbered 1..n, and the answer cites only those numbers', async () => {
    const answer = await assistant.askOnce({ question: 'What is a zorblax budget?' });
    const prompt = String(server.chatRequests.at(-1)!.messages.at(-1)!.content);
    const sectionSources = [
      ...prompt.matchAll(/<source n="\d+" title="Zorblax disruptions > [^"]*Zorblax budgets"/g),
    ];
    // The premise: the prompt held several passages of the section.
    expect(sectionSources.length).toBeGreaterThan(1);
    const keys = answer.citations.map((c) => `${c.path}#${c.section}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(answer.citations.map((c) => c.n)).toEqual(answer.citations.map((_, i) => i + 1));
    const section = answer.citations.filter((c) => c.path.endsWith('zorblax.md'));
    expect(section).toHaveLength(1);
    const cited = new Set([...answer.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
    expect([...cited].sort()).toEqual(answer.citations.map((c) => c.n));
  });

  it('are one citation in the extractive answer too', async () => {
    const extractive = await AssistantService.create(engine.context);
    await extractive.init();
    const answer = await extractive.askOnce({ question: 'What is a zorblax budget?' });
    const keys = answer.citations.map((c) => `${c.path}#${c.section}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(answer.citations.map((c) => c.n)).toEqual(answer.citations.map((_, i) => i + 1));
  });
});
