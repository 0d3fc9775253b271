import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '@ai-cloudops/engine-client';
import { AlertPipeline } from '../../src/alerts/AlertPipeline.js';
import { alertsConfigSchema } from '../../src/alerts/config.js';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import type { AlertmanagerWebhook } from '../../src/alerts/schemas.js';
import type { AlertEvent, Notification } from '../../src/alerts/types.js';
import type { EngineConfigInput } from '../../src/config/schema.js';
import { startServer } from '../../src/server/startServer.js';
import { sleep, startRedis, type RedisServer } from '../support/index.js';
import { firing, incidentOf, mergeOf, pod, S, T0 } from '../support/alertPipelineFixture.js';

// checkout → payments
const EDGES = [{ from: 'checkout', to: 'payments' }];
const MIN = 60 * S;
const svc = (service: string, alertname = 'HighErrorRate', severity = 'critical') => ({ alertname, severity, namespace: 'shop', service });
const paymentsPod = pod('payments-6c8d7f9b4-x2x7q', 'node-a', 'KubePodCrashLooping');

/** Feeds each delivery at its arrival time (not the alert's start), ticking every 5 s, until `until`. */
function deliver(pipeline: AlertPipeline, steps: Array<[number, AlertEvent]>, until: number): Notification[] {
  const sent: Notification[] = [];
  let clock = steps[0]![0];
  for (const [at, event] of steps) {
    for (; clock + 5 * S < at; clock += 5 * S) sent.push(...pipeline.tick(clock + 5 * S).notifications);
    clock = at;
    sent.push(...pipeline.ingest([{ ...event, receivedAt: at }], at).notifications);
  }
  for (; clock < until; clock += 5 * S) sent.push(...pipeline.tick(clock + 5 * S).notifications);
  return sent;
}

/**
 * payments fails at T0; its caller checkout 20 s later. Alertmanager delivers checkout's alert first (it opens an
 * incident), then a crash-looping payments pod (a pod's alert crosses no edge: an incident of its own), then the
 * payments error that began before checkout's: it joins its own service's incident and explains checkout's.
 */
const outOfOrder = (checkout: Record<string, string>[] = [svc('checkout')]): Array<[number, AlertEvent]> => [
  ...checkout.map((labels, i): [number, AlertEvent] => [T0 + 30 * S + i * S, firing(labels, T0 + 20 * S)]),
  [T0 + 40 * S, firing(paymentsPod, T0 + 10 * S)],
  [T0 + 50 * S, firing(svc('payments'), T0)],
];

describe('merging incidents that alerts reached out of order (alerts.mergeIncidents, off by default)', () => {
  it("merges the callers' incident into the one their callee's alert joined, before either paged: one page, the merge explained", () => {
    const p = new AlertPipeline(alertsConfigSchema.parse({ autoRca: false, mergeIncidents: true }), EDGES);
    const sent = deliver(p, outOfOrder(), T0 + 20 * MIN);
    const merged = incidentOf(p, svc('payments'));
    expect(incidentOf(p, svc('checkout'))).toBe(merged);
    expect(incidentOf(p, paymentsPod)).toBe(merged);
    expect(mergeOf(p, svc('checkout'))).toMatchObject({ kind: 'merged', joinedTo: labelsFingerprint(svc('payments')) });
    expect(mergeOf(p, svc('checkout'))!.detail).toContain('edge checkout → payments');
    const absorbed = [...p.incidents.values()].find((i) => i.id !== merged)!;
    expect(absorbed).toMatchObject({ status: 'resolved', mergedInto: merged });
    expect(absorbed.notifiedAt).toBeUndefined();
    expect(sent.filter((n) => n.kind === 'opened').map((n) => n.incident)).toEqual([merged]);
    expect(p.incidents.get(merged!)!.onsetAt).toBe(T0 + 10 * S);

    // Without merging (the default) the same deliveries page twice: checkout's incident and payments'.
    const apart = new AlertPipeline(alertsConfigSchema.parse({ autoRca: false }), EDGES);
    expect(deliver(apart, outOfOrder(), T0 + 20 * MIN).filter((n) => n.kind === 'opened')).toHaveLength(2);
  });

  it('merges nothing that paged, that would never page, or that holds a service down which the new alert does not explain', () => {
    const config = alertsConfigSchema.parse({ autoRca: false, mergeIncidents: true });
    // checkout's incident paged before payments' alerts arrived (its critical passed "for T" and the 5-min default).
    const late = new AlertPipeline(config, EDGES);
    const lateSteps = outOfOrder().map(([at, e], i): [number, AlertEvent] => [i === 0 ? at : at + 10 * MIN, e]);
    deliver(late, lateSteps, T0 + 20 * MIN);
    expect(incidentOf(late, svc('checkout'))).not.toBe(incidentOf(late, svc('payments')));

    // Only a warning on checkout: nothing there would page, so nothing to spare anyone.
    const quiet = new AlertPipeline(config, EDGES);
    deliver(quiet, outOfOrder([svc('checkout', 'HighLatency', 'warning')]), T0 + 20 * MIN);
    expect(incidentOf(quiet, svc('checkout', 'HighLatency', 'warning'))).not.toBe(incidentOf(quiet, svc('payments')));

    // checkout is down itself: a root of its own, which an error on payments does not explain.
    const down = new AlertPipeline(config, EDGES);
    deliver(down, outOfOrder([svc('checkout'), svc('checkout', 'ServiceDown')]), T0 + 20 * MIN);
    expect(incidentOf(down, svc('checkout'))).not.toBe(incidentOf(down, svc('payments')));
    expect([...down.incidents.values()].some((i) => i.mergedInto)).toBe(false);
  });
});

describe('a merged incident over HTTP, on Redis, across an engine restart', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => redis?.stop());

  const TOKEN = 'operator-token-0123456789';
  const START = Date.now() - 10 * MIN;
  const config: EngineConfigInput = {
    logLevel: 'silent',
    server: { port: 0, auth: { enabled: true, tokens: [{ name: 'alertmanager', token: TOKEN, role: 'operator' }] } },
    cluster: { kind: 'simulated', injectFaults: false },
    serviceGraph: { edges: EDGES },
    store: { kind: 'redis', url: '', keyPrefix: 'alerts-merge:' },
    // Nothing pages within the test (for T = 1 h, no corroboration): the merge happens while both incidents are held.
    alerts: {
      autoRca: false,
      mergeIncidents: true,
      pagingRules: [{ matchers: ['severity="critical"'], page: true, forSeconds: 3600 }, { matchers: [], page: false }],
      corroboration: { alerts: 10, services: 5 },
    },
  } as EngineConfigInput;
  const webhook = (labels: Record<string, string>, startsAt: number): AlertmanagerWebhook => ({
    version: '4',
    groupKey: `{}:{alertname="${labels.alertname}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'aicloudops',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: [{ status: 'firing', labels, annotations: {}, startsAt: new Date(startsAt).toISOString(), endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: labelsFingerprint(labels) }],
  });

  it('lists the absorbed incident as merged into the other (API and SSE), and rebuilds the same from the log', async () => {
    const cfg = { ...config, store: { kind: 'redis', url: redis.url, keyPrefix: 'alerts-merge:' } } as EngineConfigInput;
    let server = await startServer({ config: cfg, logger: pino({ level: 'silent' }) });
    let client = new EngineClient({ baseUrl: server.url, token: TOKEN });
    try {
      const events: Array<{ event: string; data: unknown }> = [];
      const controller = new AbortController();
      const streaming = (async () => {
        for await (const message of client.incidentEvents(controller.signal)) events.push(message);
      })().catch(() => undefined);
      const checkout = (await client.sendAlertmanagerWebhook(webhook(svc('checkout'), START + 20 * S))).incidents[0]!;
      await client.sendAlertmanagerWebhook(webhook(paymentsPod, START + 10 * S));
      const payments = (await client.sendAlertmanagerWebhook(webhook(svc('payments'), START))).incidents;
      const into = payments.find((id) => id !== checkout)!;
      expect(payments).toContain(checkout);

      const absorbed = await client.incident(checkout);
      expect(absorbed).toMatchObject({ status: 'resolved', mergedInto: into });
      const target = await client.incident(into);
      expect(target.alerts.map((a) => [a.labels.service ?? a.labels.pod, a.reason.kind])).toEqual([
        ['payments-6c8d7f9b4-x2x7q', 'opened'],
        ['payments', 'same-service'],
        ['checkout', 'merged'],
      ]);
      await waitFor(() => events.some((e) => (e.data as { type?: string }).type === 'merged'));
      controller.abort();
      await streaming;
      expect(events.find((e) => (e.data as { type?: string }).type === 'merged')!.data).toMatchObject({ incident: { id: checkout, mergedInto: into } });
      await server.close();

      server = await startServer({ config: cfg, logger: pino({ level: 'silent' }) });
      client = new EngineClient({ baseUrl: server.url, token: TOKEN });
      expect(await client.incident(checkout)).toMatchObject({ status: 'resolved', mergedInto: into });
      expect((await client.incident(into)).alerts.map((a) => a.reason.kind)).toEqual(['opened', 'same-service', 'merged']);
      // The rebuilt pipeline holds the merge too: checkout's alert again joins nothing new, the merged incident grows.
      const again = await client.sendAlertmanagerWebhook(webhook(svc('payments', 'HighLatency', 'warning'), START + 5 * S));
      expect(again.incidents).toEqual([into]);
      expect(await client.alertStats()).toMatchObject({ incidents: 2, notifications: 0 });
    } finally {
      await server.close();
    }
  }, 90_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
