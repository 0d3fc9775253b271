import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine, type Engine } from '../../src/engine.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { RcaService } from '../../src/rca/RcaService.js';

/**
 * An RCA of one service while another, unrelated fault is under way: the demo opens on a crash loop on shipping,
 * which nothing in ads' call tree reaches; a crash loop then begins on ads. With rca.ranking.unreachablePenalty at
 * 0.5, shipping's much larger error ratio led the RCA of ads (found walking the README).
 */
let engine: Engine;

beforeAll(async () => {
  engine = await createEngine(
    parseConfig({ profile: 'demo', logLevel: 'silent', cluster: { kind: 'simulated', injectFaults: false } }),
    { logger: pino({ level: 'silent' }) },
  );
});

afterAll(async () => {
  await engine?.close();
});

describe('RCA of a target while a fault outside its call tree is under way', () => {
  it('ranks the target\'s own crash loop first, and still lists the other fault lower', async () => {
    const demo = engine.demo!;
    const now = Math.floor(Date.now() / 1000);
    demo.ledger.inject({ type: 'crash-loop', namespace: demo.namespace, service: 'shipping', startedAt: now - 900 });
    demo.cluster.step(5);
    demo.ledger.inject({ type: 'crash-loop', namespace: demo.namespace, service: 'ads', startedAt: now - 40 });
    demo.cluster.step(40);
    const result = await new RcaService(engine.context, { now: () => now }).analyze({
      namespace: demo.namespace,
      target: { service: 'ads' },
    });
    const ranked = result.candidates.map((c) => c.service);
    expect(ranked[0]).toBe('ads');
    expect(result.candidates[0]!.faultType).toBe('crash-loop');
    expect(ranked).toContain('shipping');
  }, 60_000);
});
