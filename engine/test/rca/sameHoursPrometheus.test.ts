import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusMetricsSource } from '../../src/sources/metrics/PrometheusMetricsSource.js';
import { signalSchema } from '../../src/config/schema.js';
import { rcaConfigSchema } from '../../src/rca/config.js';
import { collectMetrics } from '../../src/rca/collect/collectMetrics.js';
import { analyzeIncident } from '../../src/rca/analyzeIncident.js';
import type { IncidentWindow } from '../../src/rca/types.js';
import {
  openMetricsFromSeries,
  startPrometheus,
  type OpenMetricsSeries,
  type PrometheusServer,
} from '../support/index.js';

/**
 * A week of history in a real Prometheus (backfilled by promtool), read through collectMetrics as an RCA does: `api`
 * doubles its latency at 09:00 every day (the morning's traffic), `db` triples its latency at 09:05 today only. Against
 * the hour before, the daily ramp looks like a fault; against the same hours on earlier days it is the usual 09:00.
 */
const DAY = 86_400;
const STEP = 60;
const NAMESPACE = 'shop';
/** 09:00 UTC yesterday: inside Prometheus' retention, never in the future. */
const NINE = Math.floor(Date.now() / 1000 / DAY) * DAY - DAY + 9 * 3600;
const window: IncidentWindow = { baselineStart: NINE - 3600, start: NINE, end: NINE + 900 };
const signal = signalSchema.parse({
  name: 'latency',
  query: 'shop_latency_seconds{namespace="$namespace"}',
  badDirection: 'up',
});

/** ±2 % deterministic noise, so the scale is not zero and runs are repeatable. */
const noise = (t: number, salt: number) => 1 + 0.02 * Math.sin(t * 0.37 + salt * 1.7);

function history(service: string, level: (t: number) => number, salt: number, days = 8): OpenMetricsSeries {
  const timestamps: number[] = [];
  for (let daysAgo = days; daysAgo >= 0; daysAgo--) {
    for (let t = window.baselineStart - daysAgo * DAY - 1800; t <= window.end - daysAgo * DAY + 1800; t += 15)
      timestamps.push(t);
  }
  return {
    name: 'shop_latency_seconds',
    labels: { namespace: NAMESPACE, service },
    timestamps,
    values: timestamps.map((t) => level(t) * noise(t, salt)),
  };
}

const nineOf = (t: number) => NINE - Math.round((NINE - t) / DAY) * DAY;
const morningRamp = (t: number) => (t >= nineOf(t) ? 0.2 : 0.1);
const dbFault = (t: number) => (t >= NINE + 300 ? 0.15 : 0.05);

let prometheus: PrometheusServer;
let source: PrometheusMetricsSource;

beforeAll(async () => {
  // `cache` was deployed today: no earlier days, so it keeps the hour before. Its fault is smaller than db's.
  const series = [
    history('api', morningRamp, 1),
    history('db', dbFault, 2),
    history('web', () => 0.08, 3),
    history('cache', (t) => (t >= NINE + 300 ? 0.02 : 0.01), 4, 0),
  ];
  prometheus = await startPrometheus({ openMetrics: openMetricsFromSeries(series) });
  source = new PrometheusMetricsSource({ url: prometheus.url, timeoutSeconds: 10 });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

async function analyse(sameHoursDays: number) {
  const collected = await collectMetrics(source, [signal], {
    namespace: NAMESPACE,
    serviceLabel: 'service',
    rateWindow: '5m',
    stepSeconds: STEP,
    window,
    sameHoursDays,
  });
  expect(collected.warnings).toEqual([]);
  const config = rcaConfigSchema.parse({ anomaly: { sameHoursDays } });
  return {
    collected,
    result: analyzeIncident(
      { window, series: collected.series, graph: { services: ['api', 'db', 'web', 'cache'], edges: [] } },
      config,
    ),
  };
}

describe('RCA against the same hours on earlier days, through a real Prometheus', () => {
  it('reads each earlier day and scores the daily ramp as usual, the new fault as the cause', async () => {
    const { collected, result } = await analyse(7);
    const api = collected.series.find((s) => s.service === 'api')!;
    expect(api.sameHours?.days).toBe(7);
    // Each earlier day is read at 7 x the step: about one day's points in the pool.
    expect(api.sameHours!.values.length).toBeGreaterThan(7 * 10);
    expect(api.sameHours!.values.length).toBeLessThan(7 * 13);

    const ranked = result.candidates.map((c) => c.service);
    expect(ranked[0], JSON.stringify(result.candidates.map((c) => [c.service, c.score]))).toBe('db');
    expect(ranked).not.toContain('api');
    expect(result.baseline).toMatchObject({ kind: 'same-hours', days: 7 });
  }, 60_000);

  it('against the hour before, as with sameHoursDays 0, the daily ramp is taken for a fault', async () => {
    const { collected, result } = await analyse(0);
    expect(collected.series.every((s) => s.sameHours === undefined)).toBe(true);
    expect(result.candidates.map((c) => c.service)).toContain('api');
    expect(result.baseline?.kind).toBe('own-history');
  }, 60_000);

  it('keeps the hour before for a service with no earlier days', async () => {
    const { collected, result } = await analyse(7);
    expect(collected.series.find((s) => s.service === 'cache')!.sameHours).toBeUndefined();
    const cache = result.candidates.find((c) => c.service === 'cache');
    expect(cache, JSON.stringify(result.candidates.map((c) => [c.service, c.score]))).toBeDefined();
    expect(result.candidates.find((c) => c.service === 'web')).toBeUndefined();
  }, 60_000);
});
