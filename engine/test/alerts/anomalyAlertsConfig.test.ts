import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { API_PREFIX, buildApp } from '../../src/server/app.js';

/**
 * Anomaly alerts switched on by config alone, as a user would: `alerts.anomaly.signals` in the engine's config, a
 * latency fault under way in the demo shop when the server starts, the poll run by the engine's scheduler, and the
 * detection listed by GET /api/v1/alerts with source `anomaly`.
 */
const QUERY =
  'sum by (service) (rate(http_request_duration_seconds_sum{namespace="shop",service="payment"}[2m]))' +
  ' / sum by (service) (rate(http_request_duration_seconds_count{namespace="shop",service="payment"}[2m]))';
/** 2025-06-15 15:06 UTC: where the fault below stands out (checked at every minute from 14:06 to 16:06). */
const NOW = 1_750_000_000 - (1_750_000_000 % 60);

describe('alerts.anomaly in the config', () => {
  let engine: Engine;
  let app: FastifyInstance;
  beforeAll(async () => {
    // The scheduled poll reads the wall clock, and the demo shop's daily cycle decides whether a 20-minute-old fault
    // stands out: at 00:15 UTC on 2026-12-07 it did not (no alert in 45 s). Date starts at NOW and runs on; timers
    // stay real.
    vi.useFakeTimers({ toFake: ['Date'], now: NOW * 1000, shouldAdvanceTime: true });
    engine = await createEngine(
      parseConfig({
        profile: 'demo',
        logLevel: 'silent',
        cluster: { kind: 'simulated', injectFaults: false },
        alerts: {
          anomaly: {
            signals: [{ name: 'payment_latency', query: QUERY }],
            historySeconds: 26 * 3600,
            intervalSeconds: 2,
          },
        },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    const demo = engine.demo!;
    demo.ledger.inject({
      type: 'latency',
      namespace: demo.namespace,
      service: 'payment',
      startedAt: Date.now() / 1000 - 20 * 60,
    });
    app = await buildApp(engine);
    await app.ready();
    // As startServer does: the scheduler runs periodic work once per tick across replicas (here, the one).
    engine.scheduler.start();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await engine?.close();
    vi.useRealTimers();
  });

  it('registers the detection as one scheduled task, not a timer per replica', () => {
    expect(engine.scheduler.taskNames()).toContain('alerts.anomaly');
  });

  it('raises an anomaly alert for the fault, reachable through the API', async () => {
    const listed = async () => {
      const res = await app.inject({ method: 'GET', url: `${API_PREFIX}/alerts?status=all` });
      const body = res.json() as { items: Array<{ source: string; labels: Record<string, string> }> };
      return body.items.find((a) => a.labels.signal === 'payment_latency');
    };
    await expect.poll(listed, { timeout: 45_000, interval: 500 }).toBeDefined();
    expect((await listed())!.source).toBe('anomaly');
  }, 60_000);

  it('refuses an anomaly signal without a query, naming the field', () => {
    expect(() => parseConfig({ alerts: { anomaly: { signals: [{ name: 'x' }] } } })).toThrow(
      /alerts\.anomaly\.signals\.0\.query/,
    );
  });
});
