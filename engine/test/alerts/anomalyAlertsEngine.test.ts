import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { alertsOf } from '../../src/alerts/alertsOf.js';
import { startEngineAnomalyAlerts } from '../../src/alerts/anomaly/startAnomalyAlerts.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';

/**
 * The wiring end to end in one engine: a latency fault injected into the demo shop, the anomaly source reading the
 * engine's own MetricsSource, and the alert arriving in the engine's AlertService as a first-class alert with
 * source `anomaly`, where the pipeline tracks it like any other.
 */
let engine: Engine;
let stop: (() => void) | undefined;
/** 2025-06-15 15:06 UTC: where the fault below stands out (checked at every minute from 14:06 to 16:06). */
const NOW = 1_750_000_000 - (1_750_000_000 % 60);

beforeAll(async () => {
  // The poll reads the wall clock, and the demo shop's daily cycle decides whether a 20-minute-old fault stands out:
  // at 00:15 UTC on 2026-12-07 it did not (no alert in 30 s). Date starts at NOW and runs on; timers stay real.
  vi.useFakeTimers({ toFake: ['Date'], now: NOW * 1000, shouldAdvanceTime: true });
  engine = await createEngine(
    parseConfig({ profile: 'demo', logLevel: 'silent', cluster: { kind: 'simulated', injectFaults: false } }),
    { logger: pino({ level: 'silent' }) },
  );
}, 60_000);

afterAll(async () => {
  stop?.();
  alertsOf(engine).stop();
  await engine?.close();
  vi.useRealTimers();
});

describe('startEngineAnomalyAlerts', () => {
  it('raises the anomaly of an injected fault into the alert pipeline', async () => {
    const demo = engine.demo!;
    const now = Date.now() / 1000;
    const fault = demo.ledger.inject({
      type: 'latency',
      namespace: demo.namespace,
      service: 'payment',
      startedAt: now - 20 * 60,
    });
    const query =
      `sum by (service) (rate(http_request_duration_seconds_sum{namespace="${demo.namespace}",service="payment"}[2m]))` +
      ` / sum by (service) (rate(http_request_duration_seconds_count{namespace="${demo.namespace}",service="payment"}[2m]))`;
    try {
      const running = await startEngineAnomalyAlerts(
        engine,
        { signals: [{ name: 'payment_latency', query }], historySeconds: 26 * 3600 },
        { intervalSeconds: 3600 },
      );
      stop = running.stop;
      const anomaly = async () =>
        (await alertsOf(engine).listAlerts({ status: 'all' })).find(
          (a) => a.labels.signal === 'payment_latency',
        );
      await expect.poll(anomaly, { timeout: 30_000, interval: 200 }).toBeDefined();
      const alert = (await anomaly())!;
      expect(alert.source).toBe('anomaly');
      expect(alert.status).toBe('firing');
      expect(alert.labels).toMatchObject({
        alertname: 'MetricAnomaly',
        service: 'payment',
        alert_source: 'anomaly',
      });
      expect(Date.parse(alert.startsAt) / 1000).toBeGreaterThanOrEqual(now - 20 * 60 - 60);
    } finally {
      demo.ledger.resolve(fault.id, now);
    }
  }, 60_000);
});
