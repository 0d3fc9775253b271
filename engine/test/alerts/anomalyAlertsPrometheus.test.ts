import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnomalyAlertSource, type AnomalyAlert } from '../../src/alerts/anomaly/AnomalyAlertSource.js';
import { PrometheusMetricsSource } from '../../src/sources/metrics/PrometheusMetricsSource.js';
import { openMetricsFromSeries, startPrometheus, type PrometheusServer } from '../support/index.js';

/**
 * Anomaly alerts read from a real Prometheus: seven days of a daily-seasonal, noisy gauge for two instances are
 * backfilled with promtool; instance "a" jumps for an hour three hours before the end. The source must alert on
 * "a" at the jump (and resolve after it), and stay quiet on "b" and on "a" before the jump: the daily peaks it has
 * learned are not anomalies.
 */
const STEP = 60;
const END = 1_760_000_400; // a multiple of 60
const START = END - 7 * 86_400;
const JUMP_START = END - 3 * 3600;
const JUMP_END = JUMP_START + 3600;

function gauge(instance: string, jump: boolean) {
  let seed = instance === 'a' ? 7 : 13;
  const noise = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648 - 0.5;
  };
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let t = START; t <= END; t += STEP) {
    const daily = 30 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400);
    const shift = jump && t >= JUMP_START && t < JUMP_END ? 80 : 0;
    timestamps.push(t);
    values.push(100 + daily + 8 * noise() + shift);
  }
  return { name: 'queue_depth', labels: { instance, job: 'worker' }, timestamps, values };
}

let prometheus: PrometheusServer;
let alerts: AnomalyAlert[] = [];

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetrics: openMetricsFromSeries([gauge('a', true), gauge('b', false)]),
  });
  const source = new AnomalyAlertSource(
    new PrometheusMetricsSource({ url: prometheus.url, timeoutSeconds: 20 }),
    {
      signals: [
        { name: 'queue_depth', query: 'queue_depth{job="worker"}', stepSeconds: STEP, severity: 'critical' },
      ],
      historySeconds: END - START,
    },
  );
  alerts = await source.poll(END);
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

describe('AnomalyAlertSource against a real Prometheus with backfilled history', () => {
  it('fires on the jump within two steps of its start, with the series labels', () => {
    const firing = alerts.filter((a) => a.status === 'firing');
    expect(firing).toHaveLength(1);
    const alert = firing[0]!;
    expect(alert.labels).toMatchObject({
      instance: 'a',
      job: 'worker',
      metric: 'queue_depth',
      severity: 'critical',
    });
    expect(alert.startsAt).toBeGreaterThanOrEqual(JUMP_START * 1000);
    expect(alert.startsAt).toBeLessThanOrEqual((JUMP_START + 2 * STEP) * 1000);
  });

  it('resolves after the jump ends, with the same fingerprint', () => {
    const resolved = alerts.filter((a) => a.status === 'resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.fingerprint).toBe(alerts.find((a) => a.status === 'firing')!.fingerprint);
    expect(resolved[0]!.endsAt).toBeGreaterThanOrEqual(JUMP_END * 1000);
    expect(resolved[0]!.endsAt).toBeLessThanOrEqual((JUMP_END + 15 * STEP) * 1000);
  });

  it('raises nothing on the steady instance', () => {
    expect(alerts.filter((a) => a.labels.instance === 'b')).toEqual([]);
  });
});
