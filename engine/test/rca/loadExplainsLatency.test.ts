import { describe, expect, it } from 'vitest';
import { demoRcaEnginePerFile } from '../support/demoRcaEngine.js';

/**
 * The demo shop with no fault on a weekday morning: a service's p99 is convex in its load, and on Wednesday
 * 2026-12-09 08:20 UTC frontend's rose 14 % on 10 % more traffic, past what the hour before (no ramp) or the pooled
 * same hours (six lighter days) expected: a false alarm (bench/rca/RESULTS.md, sessions 15 and 16). With
 * rca.anomaly.loadExplainsLatency such a rise is the load. A latency fault on a loaded service at that hour rises
 * far more than its traffic and is still found. The demo's metrics are a function of time and the fault ledger.
 */
const WEDNESDAY_0820 = Date.parse('2026-12-09T08:20:00Z') / 1000;
const THURSDAY_0825 = Date.parse('2026-12-10T08:25:00Z') / 1000;

const shop = demoRcaEnginePerFile();

const analyse = (now: number, loadExplainsLatency: number) => shop.analyse(now, { loadExplainsLatency });

describe('RCA on a weekday morning ramp (demo shop)', () => {
  it('calls no root cause when latency rose with its own load', async () => {
    expect((await analyse(WEDNESDAY_0820, 0)).candidates[0]?.service).toBe('frontend');
    expect((await analyse(WEDNESDAY_0820, 1.5)).candidates).toEqual([]);
  }, 60_000);

  it('still finds a latency fault on a service whose load rose', async () => {
    const demo = shop.engine.demo!;
    const startedAt = THURSDAY_0825 - 180;
    const fault = demo.ledger.inject({
      type: 'latency',
      namespace: demo.namespace,
      service: 'email',
      startedAt,
    });
    try {
      const result = await analyse(THURSDAY_0825, 1.5);
      expect(result.candidates[0]).toMatchObject({ service: 'email', faultType: 'latency' });
    } finally {
      demo.ledger.resolve(fault.id, THURSDAY_0825);
    }
  }, 60_000);
});
