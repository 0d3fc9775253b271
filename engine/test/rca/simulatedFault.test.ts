import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine, type Engine } from '../../src/engine.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { RcaService } from '../../src/rca/RcaService.js';
import type { RcaResult } from '../../src/rca/schemas.js';
import type { FaultType } from '../../src/sim/faults.js';

/**
 * The demo world end to end: a fault injected in the simulated cluster (which turns it into Kubernetes state and
 * synthetic metrics) must be traced back to the faulty service by the RCA service, through the same MetricsSource and
 * ClusterSource interfaces a live deployment uses.
 */
const startDemoEngine = () =>
  createEngine(
    parseConfig({ profile: 'demo', logLevel: 'silent', cluster: { kind: 'simulated', injectFaults: false } }),
    { logger: pino({ level: 'silent' }) },
  );

let engine: Engine;

beforeAll(async () => {
  engine = await startDemoEngine();
});

afterAll(async () => {
  await engine?.close();
});

async function traceFault(type: FaultType, service: string, target?: string): Promise<RcaResult> {
  const demo = engine.demo!;
  const now = Math.floor(Date.now() / 1000);
  const fault = demo.ledger.inject({ type, namespace: demo.namespace, service, startedAt: now - 600 });
  demo.cluster.step(30);
  // The cluster stamps its events and restarts with the wall clock, after `now`: analyse to the end of that second
  // (the back-off a backdated fault has reached depends on how long ago it began, not on the steps alone).
  const end = Math.ceil(Date.now() / 1000);
  try {
    const rca = new RcaService(engine.context, { now: () => end });
    return await rca.analyze({
      namespace: demo.namespace,
      window: { start: now - 600, end },
      ...(target ? { target: { service: target } } : {}),
    });
  } finally {
    demo.ledger.resolve(fault.id, end);
  }
}

describe('RCA of faults injected in the simulated cluster', () => {
  it('traces a latency fault in a leaf service to that service, seen from the frontend', async () => {
    const result = await traceFault('latency', 'payment', 'frontend');
    expect(result.candidates[0]?.service).toBe('payment');
    const top = result.candidates[0]!;
    expect(top.evidence.metrics[0]!.promql).toContain('payment');
    expect(result.serviceGraph.edges.some((e) => e.from === 'checkout' && e.to === 'payment')).toBe(true);
    expect(result.narrative).toContain('payment');
  });

  it('traces a crash loop to its service with Kubernetes evidence', async () => {
    const result = await traceFault('crash-loop', 'cart');
    expect(result.candidates[0]?.service).toBe('cart');
    const cart = result.candidates[0]!;
    expect(cart.evidence.events.length + cart.evidence.changes.length).toBeGreaterThan(0);
  });

  it('stores the result so it can be listed and read back', async () => {
    const rca = new RcaService(engine.context);
    const result = await rca.analyze({ namespace: engine.demo!.namespace });
    expect((await rca.get(result.id)).id).toBe(result.id);
    expect((await rca.page({ limit: 10 })).map((r) => r.record.id)).toContain(result.id);
  });
});

/**
 * Its own cluster: the tests above leave faults that healed seconds before (cart's crash loop), which no evidence can
 * tell from a live one, and under CI load cart led this RCA of ads (failed a clean-clone run). ads' crash loop is two
 * minutes old: at 40 s its error ratio had not left its baseline yet (5m rate window), so ads had events only and
 * scored 5.61-5.66 against shipping's 5.67, a tie that load decided; at two minutes ads scores ~82 against ~9.
 */
describe("RCA of two faults, one outside the target's call tree", () => {
  let own: Engine;
  beforeAll(async () => {
    own = await startDemoEngine();
  });
  afterAll(async () => {
    await own?.close();
  });

  // Found walking the README: the demo opens on a crash loop on shipping, which nothing in ads' call tree reaches; a
  // crash loop then begins on ads. With rca.ranking.unreachablePenalty at 0.5, shipping's much larger error ratio led
  // the RCA of ads (fails at 0.5; see RESULTS.md).
  it("ranks a target's own fault above one outside its call tree, which stays listed lower", async () => {
    const demo = own.demo!;
    const now = Math.floor(Date.now() / 1000);
    const old = demo.ledger.inject({
      type: 'crash-loop',
      namespace: demo.namespace,
      service: 'shipping',
      startedAt: now - 900,
    });
    demo.cluster.step(5);
    const fresh = demo.ledger.inject({
      type: 'crash-loop',
      namespace: demo.namespace,
      service: 'ads',
      startedAt: now - 120,
    });
    demo.cluster.step(40);
    try {
      // Analysed at the time the steps ended: the cluster stamps events with the wall clock, and under CI load the 40
      // steps took long enough that ads' events fell after an analysis fixed at `now` (shipping led; failed in CI).
      const result = await new RcaService(own.context, {
        now: () => Math.floor(Date.now() / 1000),
      }).analyze({
        namespace: demo.namespace,
        target: { service: 'ads' },
      });
      const ranked = result.candidates.map((c) => c.service);
      expect(ranked[0], JSON.stringify(result.candidates.slice(0, 3).map((c) => [c.service, c.score]))).toBe(
        'ads',
      );
      expect(result.candidates[0]!.faultType).toBe('crash-loop');
      expect(ranked).toContain('shipping');
    } finally {
      demo.ledger.resolve(old.id, now);
      demo.ledger.resolve(fresh.id, now);
    }
  }, 60_000);
});
