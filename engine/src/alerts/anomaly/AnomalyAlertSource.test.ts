import { beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { FaultLedger } from '../../sim/faults.js';
import { ShopMetricsGenerator } from '../../sim/metrics/ShopMetricsGenerator.js';
import { SyntheticMetricsSource } from '../../sources/metrics/SyntheticMetricsSource.js';
import { AnomalyAlertSource, anomalyAlertSink, type AnomalyAlert } from './AnomalyAlertSource.js';
import { startAnomalyAlerts } from './startAnomalyAlerts.js';

/**
 * The demo shop's synthetic metrics with a fault injected through the same FaultLedger the simulated cluster and RCA
 * use: the detector must raise an alert on the faulty service's latency after the fault starts, none before it
 * and none on a service the fault does not reach, and resolve it once the fault is over.
 */
const NOW = 1_750_000_000 - (1_750_000_000 % 60);
const FAULT_START = NOW - 30 * 60;
const latency = (service: string) =>
  `sum by (service) (rate(http_request_duration_seconds_sum{service="${service}"}[2m]))` +
  ` / sum by (service) (rate(http_request_duration_seconds_count{service="${service}"}[2m]))`;

describe('AnomalyAlertSource on the demo shop with an injected fault', () => {
  const ledger = new FaultLedger();
  const metrics = new SyntheticMetricsSource(new ShopMetricsGenerator({ seed: 11, ledger }), () => NOW);
  const raised: AnomalyAlert[] = [];
  const source = new AnomalyAlertSource(
    metrics,
    {
      signals: [
        { name: 'payment_latency', query: latency('payment'), stepSeconds: 60 },
        { name: 'ads_latency', query: latency('ads'), stepSeconds: 60 },
      ],
      historySeconds: 26 * 3600,
    },
    async (alert) => void raised.push(alert),
  );
  let first: AnomalyAlert[] = [];

  beforeAll(async () => {
    const fault = ledger.inject({
      type: 'latency',
      namespace: 'shop',
      service: 'payment',
      startedAt: FAULT_START,
    });
    first = await source.poll(NOW);
    ledger.resolve(fault.id, NOW);
  });

  it('fires on the faulty service within minutes of the fault start, not before', () => {
    const payment = first.filter((a) => a.labels.signal === 'payment_latency');
    expect(payment).toHaveLength(1);
    const alert = payment[0]!;
    expect(alert.status).toBe('firing');
    expect(alert.startsAt).toBeGreaterThanOrEqual(FAULT_START * 1000);
    expect(alert.startsAt).toBeLessThanOrEqual((FAULT_START + 5 * 60) * 1000);
    expect(alert.labels).toMatchObject({
      alertname: 'MetricAnomaly',
      service: 'payment',
      severity: 'warning',
    });
    expect(Number(alert.annotations.anomaly_score)).toBeGreaterThanOrEqual(0.25);
    expect(alert.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('stays quiet on a service the fault does not reach', () => {
    expect(first.filter((a) => a.labels.signal === 'ads_latency')).toEqual([]);
  });

  it('hands every alert to the sink', () => {
    expect(raised).toEqual(first);
  });

  it('resolves once the fault is over, with the same fingerprint', async () => {
    const later = await source.poll(NOW + 30 * 60);
    const resolved = later.filter((a) => a.labels.signal === 'payment_latency' && a.status === 'resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.fingerprint).toBe(
      first.find((a) => a.labels.signal === 'payment_latency')!.fingerprint,
    );
    expect(resolved[0]!.endsAt).toBeGreaterThan(NOW * 1000);
  });

  it('rejects bad configuration naming the field', () => {
    expect(() => new AnomalyAlertSource(metrics, { signals: [] })).toThrow(/signals/);
    expect(
      () => new AnomalyAlertSource(metrics, { signals: [{ name: 'x', query: 'up' }], threshold: 2 }),
    ).toThrow(/threshold/);
  });
});

describe('anomalyAlertSink', () => {
  it('raises anomaly alerts through an alert service as source "anomaly"', async () => {
    const calls: unknown[] = [];
    const sink = anomalyAlertSink({ raise: async (a) => void calls.push(a) });
    await sink({
      status: 'resolved',
      labels: { signal: 's' },
      annotations: {},
      startsAt: 1,
      endsAt: 2,
      fingerprint: 'f',
    });
    expect(calls).toEqual([
      {
        source: 'anomaly',
        labels: { signal: 's' },
        annotations: {},
        status: 'resolved',
        startsAt: 1,
        endsAt: 2,
      },
    ]);
  });
});

describe('startAnomalyAlerts', () => {
  it('polls on a timer and delivers the fault alert to the sink until stopped', async () => {
    // The poll reads the wall clock: pinned (timers stay real), since the synthetic shop's daily cycle decides how far
    // a 20-minute-old fault stands out, and at some hours of the real day it did not within the test's wait.
    vi.useFakeTimers({ toFake: ['Date'], now: NOW * 1000 });
    onTestFinished(() => void vi.useRealTimers());
    const ledger = new FaultLedger();
    const now = Date.now() / 1000;
    ledger.inject({ type: 'latency', namespace: 'shop', service: 'payment', startedAt: now - 20 * 60 });
    const received: AnomalyAlert[] = [];
    const running = startAnomalyAlerts({
      metrics: new SyntheticMetricsSource(new ShopMetricsGenerator({ seed: 5, ledger })),
      config: {
        signals: [{ name: 'payment_latency', query: latency('payment') }],
        historySeconds: 26 * 3600,
      },
      sink: async (alert) => void received.push(alert),
      intervalSeconds: 0.2,
    });
    try {
      await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThan(0);
      expect(received[0]).toMatchObject({
        status: 'firing',
        labels: { service: 'payment', signal: 'payment_latency' },
      });
    } finally {
      running.stop();
    }
  });
});
