import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistantService } from '../../src/assistant/AssistantService.js';
import type { Answer } from '../../src/assistant/schemas.js';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';

/**
 * The live state drives the answer: faults injected into the demo's simulated cluster (the same ledger
 * POST /api/v1/demo/faults writes), then the assistant asked about the workload without naming the failure. It must
 * read pods, events, logs and metrics, name the failure, and lead with the matching runbook, citing 1..n.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'assistant-live-'));
let engine: Engine;
let assistant: AssistantService;

beforeAll(async () => {
  engine = await createEngine(
    configSchema.parse({ logLevel: 'silent', dataDir, cluster: { kind: 'simulated', injectFaults: false } }),
  );
  assistant = await AssistantService.create(engine.context, { snapshotDir: null });
  await assistant.init();
}, 60_000);
afterAll(async () => {
  await engine?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function expectContiguousCitations(answer: Answer): void {
  const used = [...answer.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  const firstUse = [...new Set(used)];
  expect(firstUse).toEqual(firstUse.map((_, i) => i + 1));
  expect(answer.citations.map((c) => c.n)).toEqual(firstUse);
}

async function injectAndAsk(type: 'crash-loop' | 'oom-killed', service: string): Promise<Answer> {
  engine.demo!.ledger.inject({ type, namespace: 'shop', service });
  engine.demo!.cluster.step(8);
  return assistant.askOnce({
    question: `what is wrong with ${service}?`,
    workload: service,
    namespace: 'shop',
  });
}

describe('live context drives the answer', () => {
  it('crash-loop: names CrashLoopBackOff with its last termination reason and leads with the crash-loop runbook', async () => {
    const answer = await injectAndAsk('crash-loop', 'catalog');
    expect(answer.toolCalls.map((t) => t.name)).toEqual([
      'get_pods',
      'get_events',
      'get_logs',
      'get_metrics',
    ]);
    expect(answer.toolCalls.every((t) => t.ok)).toBe(true);
    expect(answer.answer).toMatch(/Seen on the workload: CrashLoopBackOff \(.*last termination reason/);
    expect(answer.citations[0]).toMatchObject({ n: 1, path: 'crash-loop-backoff.md' });
    expect(answer.answer).toContain('Steps from the runbook "Pod in CrashLoopBackOff" [1]');
    expect(answer.answer.indexOf('Steps from the runbook')).toBeLessThan(
      answer.answer.indexOf('From the knowledge base') >>> 0,
    );
    expectContiguousCitations(answer);
  }, 60_000);

  it('oom-killed: names OOMKilled and leads with the OOMKilled runbook', async () => {
    const answer = await injectAndAsk('oom-killed', 'payment');
    expect(answer.answer).toMatch(/Seen on the workload: OOMKilled/);
    expect(answer.citations[0]).toMatchObject({ n: 1, path: 'oom-killed.md' });
    expect(answer.runbookSteps?.length).toBeGreaterThan(0);
    expectContiguousCitations(answer);
  }, 60_000);

  it('a healthy workload names no failure', async () => {
    const answer = await assistant.askOnce({
      question: 'is currency healthy?',
      workload: 'currency',
      namespace: 'shop',
    });
    const metrics = answer.toolCalls.find((t) => t.name === 'get_metrics')!;
    expect(metrics.summary).toMatch(/memory=\d+(\.\d+)? (KiB|MiB|GiB)/);
    expect(answer.answer).not.toContain('Seen on the workload');
    expect(answer.toolCalls.map((t) => t.name)).toEqual([
      'get_pods',
      'get_events',
      'get_logs',
      'get_metrics',
    ]);
    expectContiguousCitations(answer);
  }, 60_000);

  it("lists the namespace's workloads once per ask, however many reads follow", async () => {
    const source = engine.context.clusters.get();
    const listWorkloads = source.listWorkloads.bind(source);
    let listings = 0;
    source.listWorkloads = (...args) => {
      listings += 1;
      return listWorkloads(...args);
    };
    try {
      await assistant.askOnce({ question: 'is cart healthy?', workload: 'cart', namespace: 'shop' });
    } finally {
      source.listWorkloads = listWorkloads;
    }
    expect(listings).toBe(1);
  }, 60_000);

  it('states one restart count: the metrics line and the failure seen read the same counter', async () => {
    // The metrics line said `restarts=0` (the signal's increase over its 5m window, on the metrics' 15 s grid) beside
    // "Seen on the workload: CrashLoopBackOff (..., 1 restarts)" (the pods' restartCount) for the same workload.
    const answer = await injectAndAsk('crash-loop', 'shipping');
    const metrics = answer.toolCalls.find((t) => t.name === 'get_metrics')!.summary;
    const inMetrics = /\brestarts=(\S+)/.exec(metrics)?.[1];
    const seen = /Seen on the workload: CrashLoopBackOff \(.*?(\d+) restarts?\)/.exec(answer.answer)?.[1];
    expect(seen).toBeDefined();
    expect(Number(seen)).toBeGreaterThan(0);
    expect(inMetrics).toBe(seen);
  }, 60_000);

  it("does not quote a runbook step above the runbook's own list of steps", async () => {
    const answer = await assistant.askOnce({ question: 'How do I roll back a bad deployment?' });
    expect(answer.runbookSteps?.length).toBeGreaterThan(0);
    const plain = (line: string) =>
      line
        .replace(/\s*\[\d+\]$/, '')
        .replace(/^(- |\d+\. )/, '')
        .trim();
    const bullets = answer.answer
      .split('\n')
      .filter((line) => line.startsWith('- '))
      .map(plain);
    expect(bullets.length).toBeGreaterThan(0);
    for (const step of answer.runbookSteps!) expect(bullets).not.toContain(plain(step));
  }, 60_000);
});
