import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';

/** A pod turning unready starts a scan through the watch, long before the (hour-long) schedule would. */
let engine: Engine;

beforeAll(async () => {
  engine = await createEngine(
    parseConfig({
      profile: 'demo',
      logLevel: 'silent',
      cluster: { kind: 'simulated', injectFaults: false },
      repair: { scanIntervalSeconds: 3600, tickSeconds: 3600, namespaces: ['shop'] },
    }),
    { logger: pino({ level: 'silent' }) },
  );
});

afterAll(async () => {
  await engine?.close();
});

describe('repair scans from watches', () => {
  it('scans when a watched pod goes unready', { timeout: 60_000 }, async () => {
    const repair = engine.services.repair!;
    repair.start();
    const deadline = Date.now() + 30_000;
    const before = repair.watchScans;
    engine.demo!.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    while (repair.watchScans === before && Date.now() < deadline) {
      engine.demo!.cluster.step(1);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(repair.watchScans).toBeGreaterThan(before);
    while (!(await repair.findings()).findings.some((f) => f.type === 'OOMKilled') && Date.now() < deadline) {
      engine.demo!.cluster.step(1);
      await new Promise((r) => setTimeout(r, 500));
    }
    // The schedule runs hourly here: only scans started by the watch can have seen the fault.
    expect((await repair.findings()).findings.map((f) => f.type)).toContain('OOMKilled');
  });
});
