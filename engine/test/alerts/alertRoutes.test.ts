import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsOf } from '../../src/alerts/alertsOf.js';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import type { AlertmanagerWebhook } from '../../src/alerts/schemas.js';
import { EngineApiError, EngineClient } from '@ai-cloudops/engine-client';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import type { EngineConfigInput } from '../../src/config/schema.js';
import { operatorAndViewerConfig, sleep, startRedis, type RedisServer } from '../support/index.js';

const OPERATOR = 'operator-token-0123456789';
const VIEWER = 'viewer-token-0123456789';
const EDGES = [
  { from: 'checkout', to: 'payments' },
  { from: 'payments', to: 'postgres' },
];

function serverConfig(
  extra: Record<string, unknown> = {},
  alerts: Record<string, unknown> = {},
): EngineConfigInput {
  return {
    ...operatorAndViewerConfig({ name: 'alertmanager', token: OPERATOR }, { name: 'viewer', token: VIEWER }),
    serviceGraph: { edges: EDGES },
    // Pages at once (for T = 0) so tests need not wait; RCA stays off where it would only slow them down.
    alerts: {
      autoRca: false,
      pagingRules: [
        { matchers: ['severity="critical"'], page: true },
        { matchers: [], page: false },
      ],
      ...alerts,
    },
    ...extra,
  } as EngineConfigInput;
}

const iso = (ms: number) => new Date(ms).toISOString();
const START = Date.now() - 10 * 60_000;

function webhook(
  alerts: Array<{
    labels: Record<string, string>;
    status?: 'firing' | 'resolved';
    startsAt?: number;
    endsAt?: number;
  }>,
  extra: Partial<AlertmanagerWebhook> = {},
): AlertmanagerWebhook {
  return {
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    status: alerts.some((a) => (a.status ?? 'firing') === 'firing') ? 'firing' : 'resolved',
    receiver: 'aicloudops',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? 'firing',
      labels: a.labels,
      annotations: { summary: `${a.labels.alertname} on ${a.labels.service}` },
      startsAt: iso(a.startsAt ?? START),
      endsAt: a.status === 'resolved' ? iso(a.endsAt ?? Date.now()) : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: labelsFingerprint(a.labels),
    })),
    ...extra,
  };
}

const err = (service: string, severity = 'critical') => ({
  alertname: 'HighErrorRate',
  severity,
  namespace: 'shop',
  service,
});

describe('alert routes (memory store)', () => {
  let server: RunningServer;
  let target: Server;
  const received: Array<{ path: string; body: unknown }> = [];
  const client = () => new EngineClient({ baseUrl: server.url, token: OPERATOR });

  beforeAll(async () => {
    target = createServer((req, res) => {
      void readBody(req).then((body) => {
        received.push({ path: req.url ?? '', body: JSON.parse(body) });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    server = await startServer({
      config: serverConfig(
        {},
        {
          notify: {
            webhooks: [{ url: `${base}/json` }, { url: `${base}/slack`, format: 'slack', ratePerMinute: 1 }],
          },
        },
      ),
      logger: pino({ level: 'silent' }),
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    target?.close();
  });

  it('rejects invalid payloads with 400 naming the failing fields', async () => {
    const bad = { ...webhook([{ labels: err('payments') }]), version: '3' } as unknown as AlertmanagerWebhook;
    const e1 = await client()
      .sendAlertmanagerWebhook(bad)
      .catch((e: unknown) => e as EngineApiError);
    expect(e1).toBeInstanceOf(EngineApiError);
    expect((e1 as EngineApiError).status).toBe(400);
    expect((e1 as EngineApiError).issues.map((i) => i.field)).toContain('body.version');

    const body = webhook([{ labels: err('payments') }]);
    (body.alerts[0] as { status: string }).status = 'burning';
    (body.alerts[0] as { startsAt: string }).startsAt = 'yesterday';
    const e2 = (await client()
      .sendAlertmanagerWebhook(body)
      .catch((e: unknown) => e)) as EngineApiError;
    expect(e2.status).toBe(400);
    expect(e2.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining(['body.alerts.0.status', 'body.alerts.0.startsAt']),
    );

    // A well-formed alert over the label limits is skipped, not a 400: the 200 lists it (nothing else to ingest).
    const skipped = await client().sendAlerts([{ labels: {} }]);
    expect(skipped).toMatchObject({ received: 1, accepted: 0, incidents: [] });
    expect(skipped.skipped.map((s) => s.issues.map((i) => i.field))).toEqual([['body.alerts.0.labels']]);

    const raw = await fetch(`${server.url}/api/v1/alerts/webhook/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
      body: '{"version": "4", ',
    });
    expect(raw.status).toBe(400);
    // A viewer may read but not send alerts.
    const viewer = new EngineClient({ baseUrl: server.url, token: VIEWER });
    await expect(
      viewer.sendAlertmanagerWebhook(webhook([{ labels: err('payments') }])),
    ).rejects.toMatchObject({ status: 403 });
    // Only the delivery whose alert was skipped reached the pipeline.
    expect((await client().alertStats()).deliveries).toBe(1);
  });

  it('ingests a webhook into one incident with merge reasons; a re-sent webhook changes nothing', async () => {
    const body = webhook(
      [{ labels: err('postgres') }, { labels: err('payments'), startsAt: START + 30_000 }],
      { truncatedAlerts: 2 },
    );
    const first = await client().sendAlertmanagerWebhook(body);
    expect(first).toMatchObject({ received: 2, accepted: 2, duplicates: 0 });
    expect(first.incidents).toHaveLength(1);
    const again = await client().sendAlertmanagerWebhook(body);
    expect(again).toMatchObject({ received: 2, accepted: 0, duplicates: 2, incidents: [] });

    const incident = await client().incident(first.incidents[0]!);
    expect(incident.alerts.map((a) => a.reason.kind)).toEqual(['opened', 'service-graph']);
    expect(incident.alerts[1]!.reason.detail).toBe('edge payments → postgres');
    expect(incident.truncatedAlerts).toBe(2);
    expect(incident.notifiedAt).toBeDefined();
    const { items } = await client().incidents({ status: 'open' });
    expect(items.map((i) => i.id)).toContain(incident.id);

    // Notifications: the engine's JSON and Slack's, each once.
    await waitFor(() => received.length >= 2);
    const json = received.find((r) => r.path === '/json')!.body as {
      incident: { id: string };
      fingerprints: string[];
    };
    expect(json.incident.id).toBe(incident.id);
    expect(json.fingerprints).toHaveLength(2);
    const slack = received.find((r) => r.path === '/slack')!.body as { text: string; blocks: unknown[] };
    expect(slack.text).toMatch(/^Incident \[critical\] HighErrorRate on postgres/);

    // Resolution closes what fired (policy all).
    const resolved = webhook([
      { labels: err('postgres'), status: 'resolved' },
      { labels: err('payments'), startsAt: START + 30_000, status: 'resolved' },
    ]);
    await client().sendAlertmanagerWebhook(resolved);
    expect((await client().incident(incident.id)).status).toBe('resolved');
    const stats = await client().alertStats();
    expect(stats).toMatchObject({
      deliveries: 4, // 3 here and the skipped one above
      alerts: 6,
      duplicates: 2,
      notifications: 1,
      truncatedAlerts: 2,
    });
    expect(stats.compression).toBeCloseTo(1 - 1 / 4, 5);
    expect(stats.dedupRatio).toBeCloseTo(2 / 6, 5);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/aicloudops_alert_deliveries_total 4/);
    expect(metrics).toMatch(/aicloudops_alerts_skipped_total\{reason="labels"\} 1/);
    expect(metrics).toMatch(/aicloudops_alert_compression_ratio 0\.75/);
    // Every delivery is timed from receipt to grouped and to stored.
    expect(metrics).toMatch(/aicloudops_alert_ingest_seconds_count\{stage="grouped"\} 4/);
    expect(metrics).toMatch(/aicloudops_alert_ingest_seconds_count\{stage="stored"\} 4/);
  });

  it('ignores an out-of-order firing that arrives after its own resolution', async () => {
    const labels = err('checkout', 'warning');
    await client().sendAlertmanagerWebhook(webhook([{ labels, status: 'resolved', startsAt: START }]));
    const late = await client().sendAlertmanagerWebhook(webhook([{ labels, startsAt: START }]));
    expect(late).toMatchObject({ accepted: 0, incidents: [] });
    const { items } = await client().alerts({ status: 'all' });
    expect(items.find((a) => a.fingerprint === labelsFingerprint(labels))!.status).toBe('resolved');
  });

  it('streams only the incidents of the services a stream asks for', async () => {
    const controller = new AbortController();
    const events: Array<{ event: string; data: unknown }> = [];
    const streaming = (async () => {
      for await (const message of client().incidentEvents(controller.signal, {
        service: ['billing', 'orders'],
      })) {
        events.push(message);
        if (message.event === 'incident') break;
      }
    })().catch(() => undefined);
    await waitFor(() => events.some((e) => e.event === 'ready'));
    // An incident of another service first: a stream that carried it would stop at it.
    await client().sendAlerts([
      { labels: { alertname: 'DiskFull', severity: 'critical', service: 'search' } },
    ]);
    const wanted = await client().sendAlerts([
      { labels: { alertname: 'QueueBacklog', severity: 'critical', service: 'orders' } },
    ]);
    await waitFor(() => events.some((e) => e.event === 'incident'));
    controller.abort();
    await streaming;
    const event = events.find((e) => e.event === 'incident')!.data as { incident: { id: string } };
    expect(event.incident.id).toBe(wanted.incidents[0]);

    const bad = await fetch(`${server.url}/api/v1/incidents/events?service=a,,b`, {
      headers: { authorization: `Bearer ${VIEWER}` },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/querystring\.service/);
  });

  it('streams incident changes over SSE and lets an operator acknowledge and resolve', async () => {
    const controller = new AbortController();
    const events: Array<{ event: string; data: unknown }> = [];
    const streaming = (async () => {
      for await (const message of client().incidentEvents(controller.signal)) {
        events.push(message);
        if (message.event === 'incident') break;
      }
    })().catch(() => undefined);
    await waitFor(() => events.some((e) => e.event === 'ready'));
    const result = await client().sendAlerts([
      { labels: { alertname: 'QueueBacklog', severity: 'critical', service: 'ledger' } },
    ]);
    await waitFor(() => events.some((e) => e.event === 'incident'));
    controller.abort();
    await streaming;
    const event = events.find((e) => e.event === 'incident')!.data as { incident: { id: string } };
    expect(event.incident.id).toBe(result.incidents[0]);

    const viewer = new EngineClient({ baseUrl: server.url, token: VIEWER });
    await expect(viewer.acknowledgeIncident(event.incident.id)).rejects.toMatchObject({ status: 403 });
    expect(await client().acknowledgeIncident(event.incident.id)).toMatchObject({
      acknowledgedBy: 'alertmanager',
    });
    expect(await client().resolveIncident(event.incident.id)).toMatchObject({ status: 'resolved' });
    await expect(client().incident('inc-nope')).rejects.toMatchObject({ status: 404 });
  });

  it('takes anomaly and repair alerts through the internal API, and suppression windows through the API', async () => {
    const raised = await alertsOf(server.engine).raise({
      source: 'anomaly',
      labels: { alertname: 'LatencyAnomaly', severity: 'warning', service: 'search' },
    });
    expect(raised.accepted).toBe(1);
    const alert = (await client().alerts()).items.find((a) => a.labels.alertname === 'LatencyAnomaly')!;
    expect(alert).toMatchObject({ source: 'anomaly', labels: { alert_source: 'anomaly' } });

    const window = await client().addSuppression({
      kind: 'maintenance',
      matchers: ['service="search"'],
      startsAt: iso(Date.now() - 1000),
      endsAt: iso(Date.now() + 3600_000),
    });
    const bad = (await client()
      .addSuppression({
        kind: 'maintenance',
        matchers: ['service=='],
        startsAt: iso(Date.now()),
        endsAt: iso(Date.now() - 1),
      })
      .catch((e: unknown) => e)) as EngineApiError;
    expect(bad.issues.map((i) => i.field)).toContain('body.endsAt');
    // A matcher that does not parse is named by its place in the body, not as a bare `matcher`.
    const badMatcher = (await client()
      .addSuppression({
        kind: 'maintenance',
        matchers: ['service="a"', '%%%'],
        startsAt: iso(Date.now()),
        endsAt: iso(Date.now() + 60_000),
      })
      .catch((e: unknown) => e)) as EngineApiError;
    expect(badMatcher.issues).toEqual([
      { field: 'body.matchers.1', message: expect.stringContaining('is not a label matcher') },
    ]);
    const during = await client().sendAlerts([
      { labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'search' } },
    ]);
    const held = await client().incident(during.incidents[0]!);
    expect(held.notifiedAt).toBeUndefined();
    expect(held.alerts[0]!.muted).toMatchObject({
      kind: 'maintenance',
      detail: expect.stringContaining(window.id),
    });
    // Ended through the typed client: listed as expired from then on.
    expect(await client().expireSuppression(window.id)).toMatchObject({ id: window.id, status: 'expired' });

    const spec = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/alerts/webhook/alertmanager',
        '/api/v1/incidents/{id}/ack',
        '/api/v1/alerts/stats',
      ]),
    );
  });
});

describe('alerting on Redis across engine and Redis restarts', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => redis?.stop());

  it('loses nothing and counts nothing twice when Redis and then the engine restart mid-stream', async () => {
    const config = serverConfig({ store: { kind: 'redis', url: redis.url, keyPrefix: 'alerts-restart:' } });
    const deliveries = [
      webhook([{ labels: err('postgres') }]),
      webhook([{ labels: err('payments'), startsAt: START + 20_000 }]),
      webhook([{ labels: err('checkout'), startsAt: START + 40_000 }]),
      webhook([{ labels: err('postgres'), status: 'resolved' }]),
    ];
    let server = await startServer({ config, logger: pino({ level: 'silent' }) });
    let client = new EngineClient({ baseUrl: server.url, token: OPERATOR });
    try {
      const first = await client.sendAlertmanagerWebhook(deliveries[0]!);
      const before = await client.incident(first.incidents[0]!);
      expect(before.notifiedAt).toBeDefined();

      // Redis restarts under the running engine: a delivery is answered 200 only once it is stored, so the sender
      // retries until then, as Alertmanager does.
      await redis.restart();
      const statuses = await sendUntilAccepted(server.url, deliveries[1]!);
      expect(statuses[statuses.length - 1]).toBe(200);
      await server.close();

      // The engine restarts: it rebuilds its incidents from the log; Alertmanager re-sends, the stream goes on.
      server = await startServer({ config, logger: pino({ level: 'silent' }) });
      client = new EngineClient({ baseUrl: server.url, token: OPERATOR });
      const replay = await client.sendAlertmanagerWebhook(deliveries[1]!);
      expect(replay).toMatchObject({ accepted: 0, duplicates: 1 });
      await client.sendAlertmanagerWebhook(deliveries[2]!);
      await client.sendAlertmanagerWebhook(deliveries[3]!);
      const after = await client.incident(first.incidents[0]!);
      expect(after.alerts.map((a) => a.labels.service)).toEqual(['postgres', 'payments', 'checkout']);
      expect(after.alerts.map((a) => a.status)).toEqual(['resolved', 'firing', 'firing']);
      expect(after.notifiedAt).toBe(before.notifiedAt);
      const stats = await client.alertStats();
      expect(stats).toMatchObject({ alerts: 5, accepted: 4, duplicates: 1, incidents: 1, notifications: 1 });
      expect(stats.deliveries).toBe(5);
    } finally {
      await server.close();
    }
  }, 90_000);
});

describe('the incident stream across replicas', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => redis?.stop());

  it('streams an incident opened on replica A to an SSE client of replica B (Redis pub/sub)', async () => {
    const config = serverConfig({ store: { kind: 'redis', url: redis.url, keyPrefix: 'alerts-sse:' } });
    const a = await startServer({ config, logger: pino({ level: 'silent' }) });
    const b = await startServer({ config, logger: pino({ level: 'silent' }) });
    try {
      const controller = new AbortController();
      const events: Array<{ event: string; data: unknown }> = [];
      const streaming = (async () => {
        for await (const message of new EngineClient({ baseUrl: b.url, token: VIEWER }).incidentEvents(
          controller.signal,
        )) {
          events.push(message);
          if (message.event === 'incident') break;
        }
      })().catch(() => undefined);
      await waitFor(() => events.some((e) => e.event === 'ready'));
      const sent = await new EngineClient({ baseUrl: a.url, token: OPERATOR }).sendAlertmanagerWebhook(
        webhook([{ labels: err('ledger') }]),
      );
      await waitFor(() => events.some((e) => e.event === 'incident'));
      controller.abort();
      await streaming;
      expect(
        (events.find((e) => e.event === 'incident')!.data as { incident: { id: string } }).incident.id,
      ).toBe(sent.incidents[0]);
      // And B answers for the incident from the shared store.
      expect(
        (await new EngineClient({ baseUrl: b.url, token: VIEWER }).incident(sent.incidents[0]!)).title,
      ).toBe('HighErrorRate on ledger');
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);
});

/** POSTs until the engine answers 200 (at most 50 tries), returning every status seen. */
async function sendUntilAccepted(url: string, body: AlertmanagerWebhook): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 50; i++) {
    const response = await fetch(`${url}/api/v1/alerts/webhook/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    statuses.push(response.status);
    if (response.status === 200) break;
    expect(response.status).toBe(503);
    await sleep(100);
  }
  return statuses;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
