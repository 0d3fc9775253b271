import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';

/**
 * A pod's counters start at 0 when the pod starts: the demo's seeded pods, created two days before the cluster's
 * clock began, read about rate × two days, not the requests since 1970 (`http_requests_total` of ads was ~4.2e10,
 * ~39 years at 9.6 req/s; found walking the README). rate() is what it was.
 */
const NOW = Date.UTC(2026, 11, 1, 14, 0, 0) / 1000;
const AGE = 2 * 24 * 3600;
let engine: Engine;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW * 1000 });
  const config = parseConfig({
    profile: 'demo',
    logLevel: 'silent',
    cluster: { kind: 'simulated', injectFaults: false },
  });
  engine = await createEngine(config, { logger: pino({ level: 'silent' }), clock: () => Date.now() });
}, 60_000);

afterAll(async () => {
  await engine?.close();
  vi.useRealTimers();
});

const byPod = async (query: string, time: number) =>
  new Map(
    (await engine.context.metrics.instantQuery(query, time)).map((s) => [s.labels.pod!, s.value] as const),
  );

describe('demo pod counters', () => {
  it('of a seeded pod are about its mean rate × its age, and 0 at its creation', async () => {
    for (const service of ['ads', 'email', 'frontend']) {
      const totals = await byPod(`sum by (pod) (http_requests_total{service="${service}"})`, NOW);
      const mean = await byPod(`sum by (pod) (rate(http_requests_total{service="${service}"}[2d]))`, NOW);
      expect(totals.size, service).toBeGreaterThan(0);
      for (const [pod, total] of totals) {
        // The first sample is just after the pod's creation, so increase over 2d is the whole count.
        expect(total, pod).toBeGreaterThan(0);
        expect(total / (mean.get(pod)! * AGE), pod).toBeGreaterThan(0.9);
        expect(total / (mean.get(pod)! * AGE), pod).toBeLessThan(1.1);
      }
      const cpu = await byPod(`sum by (pod) (container_cpu_usage_seconds_total{service="${service}"})`, NOW);
      for (const [pod, seconds] of cpu) expect(seconds, pod).toBeLessThan(AGE * 8);
      const justAfterCreation = await byPod(
        `sum by (pod) (http_requests_total{service="${service}"})`,
        NOW - AGE + 60,
      );
      for (const [pod, total] of justAfterCreation) {
        expect(total, pod).toBeLessThan(60 * 2 * mean.get(pod)!);
      }
    }
  });

  it('keep rate() over the creation and over the days before it (predecessors carry the history)', async () => {
    for (const at of [NOW, NOW - AGE, NOW - AGE + 30, NOW - 5 * 24 * 3600]) {
      const rates = await engine.context.metrics.instantQuery(
        'sum by (service) (rate(http_requests_total[5m]))',
        at,
      );
      expect(rates.length, String(at)).toBeGreaterThan(5);
      for (const r of rates) {
        expect(r.value, `${r.labels.service} at ${at}`).toBeGreaterThan(0);
        expect(r.value, `${r.labels.service} at ${at}`).toBeLessThan(1000);
      }
      // The value is never negative, and a week back is a counter too.
      const values = await engine.context.metrics.instantQuery('http_requests_total', at);
      for (const v of values) expect(v.value).toBeGreaterThanOrEqual(0);
    }
  });
});
