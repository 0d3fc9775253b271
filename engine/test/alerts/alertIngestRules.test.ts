import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRepository } from '../../src/alerts/AlertRepository.js';
import { AlertService } from '../../src/alerts/AlertService.js';
import { alertsConfigSchema } from '../../src/alerts/config.js';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import { PrometheusAlertPoller } from '../../src/alerts/ingest/PrometheusAlertPoller.js';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import type { EngineConfigInput } from '../../src/config/schema.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { operatorAndViewerConfig, startRedis, type RedisServer } from '../support/index.js';

/**
 * What a new user's walk of the README found in unified alerting, each held to Alertmanager's semantics: suppression
 * windows need matchers and can be ended (silences), labels are bounded on every ingest path, an alert's identity is
 * its labels' fingerprint whatever the payload says, and alert times are sane (Go's zero time is "unset", no future).
 * Against real Redis, as the engine runs in live use.
 */

const OPERATOR = 'operator-token-0123456789';
const VIEWER = 'viewer-token-0123456789';
const SAMPLE = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'provisioning',
  'alertmanager',
  'sample-webhook.json',
);
const iso = (ms: number) => new Date(ms).toISOString();
const GO_ZERO = '0001-01-01T00:00:00Z';

function config(redisUrl: string, keyPrefix: string): EngineConfigInput {
  return {
    ...operatorAndViewerConfig({ name: 'oncall', token: OPERATOR }, { name: 'viewer', token: VIEWER }),
    store: { kind: 'redis', url: redisUrl, keyPrefix },
    alerts: {
      autoRca: false,
      pagingRules: [
        { matchers: ['severity="critical"'], page: true },
        { matchers: [], page: false },
      ],
    },
  } as EngineConfigInput;
}

interface Reply {
  status: number;
  body: {
    error?: { issues?: Array<{ field: string; message: string }> };
    [key: string]: unknown;
  };
}

async function call(
  server: RunningServer,
  method: string,
  path: string,
  body?: unknown,
  token = OPERATOR,
): Promise<Reply> {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Reply['body']) : {} };
}

const fields = (reply: Reply) => (reply.body.error?.issues ?? []).map((i) => i.field);

function webhook(
  alerts: Array<{
    labels: Record<string, string>;
    status?: 'firing' | 'resolved';
    startsAt?: string;
    endsAt?: string;
    fingerprint?: string;
  }>,
) {
  return {
    version: '4',
    groupKey: '{}:{alertname="Walk"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'aicloudops',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? 'firing',
      labels: a.labels,
      annotations: {},
      startsAt: a.startsAt ?? iso(Date.now() - 60_000),
      endsAt: a.endsAt ?? GO_ZERO,
      ...(a.fingerprint ? { fingerprint: a.fingerprint } : {}),
    })),
  };
}

describe('unified alerting: suppressions, label limits, identity and times (Redis)', () => {
  let redis: RedisServer;
  let server: RunningServer;
  const prefix = 'alert-walk:';

  beforeAll(async () => {
    redis = await startRedis();
    server = await startServer({ config: config(redis.url, prefix), logger: pino({ level: 'silent' }) });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('refuses a suppression that would mute every alert or last for ever, and the OpenAPI body requires matchers', async () => {
    const now = Date.now();
    const window = (extra: Record<string, unknown>) => ({
      kind: 'maintenance',
      startsAt: iso(now - 1000),
      endsAt: iso(now + 3600_000),
      ...extra,
    });
    for (const matchers of [[], undefined, ['job=~".*"'], ['team=""', 'env!="prod"']]) {
      const reply = await call(server, 'POST', '/alerts/suppressions', window({ matchers }));
      expect(reply.status, JSON.stringify(matchers)).toBe(400);
      expect(fields(reply)).toContain('body.matchers');
    }
    // The README's exact request: an empty list and a window ending in the year 9999.
    const walk = await call(server, 'POST', '/alerts/suppressions', {
      kind: 'maintenance',
      startsAt: '2026-12-07T13:00:00Z',
      endsAt: '9999-12-07T13:00:00Z',
      matchers: [],
    });
    expect(walk.status).toBe(400);
    expect(fields(walk)).toEqual(expect.arrayContaining(['body.matchers', 'body.endsAt']));
    for (const [startsAt, endsAt] of [
      [now, now + 32 * 24 * 3600_000], // longer than 31 days
      [now + 60_000, now + 60_000], // ends when it starts
      [now - 7200_000, now - 3600_000], // already over
    ]) {
      const reply = await call(
        server,
        'POST',
        '/alerts/suppressions',
        window({ matchers: ['service="search"'], startsAt: iso(startsAt!), endsAt: iso(endsAt!) }),
      );
      expect(reply.status).toBe(400);
      expect(fields(reply)).toEqual(['body.endsAt']);
    }
    // A window far ahead would pass the length rule and stay pending for good.
    for (const startsAt of [Date.parse('9999-12-01T00:00:00Z'), now + 32 * 24 * 3600_000]) {
      const ahead = await call(
        server,
        'POST',
        '/alerts/suppressions',
        window({ matchers: ['service="search"'], startsAt: iso(startsAt), endsAt: iso(startsAt + 3600_000) }),
      );
      expect(ahead.status).toBe(400);
      expect(fields(ahead)).toEqual(['body.startsAt']);
    }
    const inAMonth = await call(
      server,
      'POST',
      '/alerts/suppressions',
      window({
        matchers: ['service="search"'],
        startsAt: iso(now + 30 * 24 * 3600_000),
        endsAt: iso(now + 31 * 24 * 3600_000),
      }),
    );
    expect(inAMonth.status).toBe(201);
    expect(inAMonth.body).toMatchObject({ status: 'pending' });
    expect((await call(server, 'DELETE', `/alerts/suppressions/${inAMonth.body.id as string}`)).status).toBe(
      200,
    );
    expect(
      (await call(server, 'GET', '/alerts/suppressions')).body.items as Array<{ status: string }>,
    ).toEqual([expect.objectContaining({ status: 'expired' })]);

    type Schema = {
      $ref?: string;
      required?: string[];
      properties: { matchers: { default?: unknown; minItems?: number } };
    };
    const spec = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>
      >;
      components: { schemas: Record<string, Schema> };
    };
    const ref =
      spec.paths['/api/v1/alerts/suppressions']!.post!.requestBody!.content['application/json']!.schema;
    const body = ref.$ref ? spec.components.schemas[ref.$ref.split('/').pop()!]! : ref;
    expect(body.required).toContain('matchers');
    expect(body.properties.matchers.default).toBeUndefined();
    expect(body.properties.matchers.minItems).toBe(1);
    expect(spec.paths['/api/v1/alerts/suppressions/{id}']?.delete).toBeDefined();
  });

  it('ends a suppression window with DELETE: it stays listed as expired, and the alert it muted is no longer muted', async () => {
    const labels = { alertname: 'HighErrorRate', severity: 'critical', namespace: 'shop', service: 'search' };
    const created = await call(server, 'POST', '/alerts/suppressions', {
      kind: 'maintenance',
      matchers: ['service="search"'],
      startsAt: iso(Date.now() - 1000),
      endsAt: iso(Date.now() + 3600_000),
      reason: 'reindex',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'active' });
    const id = created.body.id as string;

    const sent = await call(server, 'POST', '/alerts', { alerts: [{ labels }] });
    const incidentId = (sent.body.incidents as string[])[0]!;
    const held = await call(server, 'GET', `/incidents/${incidentId}`);
    expect(held.body).toMatchObject({ alerts: [{ muted: { kind: 'maintenance' } }] });
    expect(held.body.notifiedAt).toBeUndefined();

    expect((await call(server, 'DELETE', `/alerts/suppressions/${id}`, undefined, VIEWER)).status).toBe(403);
    expect((await call(server, 'DELETE', '/alerts/suppressions/sup-nope')).status).toBe(404);
    const ended = await call(server, 'DELETE', `/alerts/suppressions/${id}`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ id, status: 'expired', expiredAt: expect.any(String) });
    expect(Date.parse(ended.body.endsAt as string)).toBeLessThanOrEqual(Date.now());
    // Ending it again changes nothing.
    const again = await call(server, 'DELETE', `/alerts/suppressions/${id}`);
    expect(again.body).toEqual(ended.body);

    const listed = (await call(server, 'GET', '/alerts/suppressions')).body.items as Array<{ id: string }>;
    expect(listed).toEqual(expect.arrayContaining([ended.body]));
    const after = await call(server, 'GET', `/incidents/${incidentId}`);
    expect((after.body.alerts as Array<{ muted?: unknown }>)[0]!.muted).toBeUndefined();

    // A restarted engine replays the expiry from the log.
    await server.close();
    server = await startServer({ config: config(redis.url, prefix), logger: pino({ level: 'silent' }) });
    const replayed = (await call(server, 'GET', '/alerts/suppressions')).body.items;
    expect(replayed).toEqual(expect.arrayContaining([ended.body]));
  }, 60_000);

  it('refuses DELETE for a window defined in the config (its id is its position there): 409 pointing at the config', async () => {
    const withWindow = config(redis.url, 'alert-walk-config:');
    const windowAt = (reason: string) => ({
      kind: 'maintenance' as const,
      matchers: [`service="${reason}"`],
      startsAt: iso(Date.now() - 60_000),
      endsAt: iso(Date.now() + 3600_000),
      reason,
    });
    (withWindow.alerts as Record<string, unknown>).suppressions = [windowAt('search'), windowAt('cart')];
    const configured = await startServer({ config: withWindow, logger: pino({ level: 'silent' }) });
    try {
      const refused = await call(configured, 'DELETE', '/alerts/suppressions/config-1');
      expect(refused.status).toBe(409);
      expect(JSON.stringify(refused.body)).toContain('alerts.suppressions');
      const listed = (await call(configured, 'GET', '/alerts/suppressions')).body.items as Array<{
        id: string;
        status: string;
      }>;
      expect(listed.map((w) => [w.id, w.status])).toEqual([
        ['config-1', 'active'],
        ['config-2', 'active'],
      ]);
    } finally {
      await configured.close();
    }
  }, 60_000);

  it("ignores, on replay, an expiry of a config window logged before DELETE refused them (the id is a position, now maybe another window's)", async () => {
    const store = new MemoryStore();
    const now = Date.now();
    await new AlertRepository(store).append({ t: 'suppression-expired', at: now - 1000, id: 'config-1' });
    const service = new AlertService({
      store,
      config: alertsConfigSchema.parse({
        autoRca: false,
        suppressions: [
          {
            kind: 'maintenance',
            matchers: ['service="cart"'],
            startsAt: iso(now - 60_000),
            endsAt: iso(now + 3600_000),
          },
        ],
      }),
      edges: async () => [],
    });
    await service.start({ tick: false });
    expect((await service.suppressions()).map((w) => [w.id, w.status])).toEqual([['config-1', 'active']]);
    service.stop();
  });

  it('holds every ingest path to the label limits (64 labels, 1,024 characters, no control characters, not empty): the alert over them is skipped, the rest of its delivery ingested', async () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`l${i}`, 'v']));
    const cases: Array<[Record<string, string>, string]> = [
      [{ alertname: 'x'.repeat(5000) }, 'labels.alertname'],
      [{ alertname: 'Esc\u001b[2J\u001b[31mFAKE' }, 'labels.alertname'],
      [{ alertname: 'Bell', note: 'a\u0007b' }, 'labels.note'],
      [{ alertname: 'Csi', note: 'a\u009b2Jb' }, 'labels.note'],
      [many, 'labels'],
      [{}, 'labels'],
      [{ ['n'.repeat(300)]: 'v' }, `labels.${'n'.repeat(300)}`],
    ];
    type Skipped = Array<{ index: number; fingerprint?: string; issues: Array<{ field: string }> }>;
    for (const [i, [labels, field]] of cases.entries()) {
      // Alertmanager does not retry a 4xx: one bad alert must not lose the valid one sent with it.
      const fine = { alertname: `FineBeside${i}`, service: 'cart' };
      const viaWebhook = await call(
        server,
        'POST',
        '/alerts/webhook/alertmanager',
        webhook([{ labels }, { labels: fine }]),
      );
      expect(viaWebhook.status, field).toBe(200);
      expect(viaWebhook.body, field).toMatchObject({ received: 2, accepted: 1 });
      const skipped = viaWebhook.body.skipped as Skipped;
      expect(
        skipped.map((s) => s.index),
        field,
      ).toEqual([0]);
      expect(skipped[0]!.fingerprint, field).toBeUndefined();
      expect(
        skipped[0]!.issues.map((x) => x.field),
        field,
      ).toContain(`body.alerts.0.${field}`);
      // All of a delivery skipped: still 200, nothing accepted to lose and nothing to retry.
      const viaGeneric = await call(server, 'POST', '/alerts', { alerts: [{ labels }] });
      expect(viaGeneric.status, field).toBe(200);
      expect(viaGeneric.body, field).toMatchObject({ received: 1, accepted: 0, incidents: [] });
      expect(
        (viaGeneric.body.skipped as Skipped)[0]!.issues.map((x) => x.field),
        field,
      ).toContain(`body.alerts.0.${field}`);
    }
    const stored = (await call(server, 'GET', '/alerts?limit=5000')).body.items as Array<{
      labels: Record<string, string>;
    }>;
    const names = stored.map((a) => a.labels.alertname);
    for (const i of cases.keys()) expect(names).toContain(`FineBeside${i}`);
    for (const [labels] of cases) if (labels.alertname) expect(names).not.toContain(labels.alertname);
    const metrics = await (
      await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${OPERATOR}` } })
    ).text();
    expect(metrics).toContain(`aicloudops_alerts_skipped_total{reason="labels"} ${cases.length * 2}`);

    // Structurally invalid (labels not a record of strings): the whole delivery is refused, naming the field.
    const malformed = await call(server, 'POST', '/alerts/webhook/alertmanager', {
      ...webhook([{ labels: { alertname: 'Fine' } }]),
      alerts: [{ status: 'firing', labels: { alertname: 5 }, startsAt: iso(Date.now()) }],
    });
    expect(malformed.status).toBe(400);
    expect(fields(malformed)).toContain('body.alerts.0.labels.alertname');

    // At the limits exactly: accepted.
    const atLimit = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`l${i}`, 'v'.repeat(1024)]));
    const ok = await call(server, 'POST', '/alerts/webhook/alertmanager', webhook([{ labels: atLimit }]));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ accepted: 1, skipped: [] });
  });

  it("gives an alert its labels' fingerprint on every path: the sample webhook then the same labels in the generic form are one alert", async () => {
    const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as ReturnType<typeof webhook>;
    for (const a of sample.alerts) expect(a.fingerprint).toBe(labelsFingerprint(a.labels));

    const first = await call(server, 'POST', '/alerts/webhook/alertmanager', sample);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 2, accepted: 2 });
    const resent = await call(server, 'POST', '/alerts/webhook/alertmanager', sample);
    expect(resent.body).toMatchObject({ accepted: 0, duplicates: 2 });
    const generic = await call(server, 'POST', '/alerts', {
      alerts: sample.alerts.map((a) => ({ labels: a.labels })),
    });
    expect(generic.body).toMatchObject({ accepted: 0, duplicates: 2 });

    // A made-up payload fingerprint is not an identity: the alert is filed under its labels' fingerprint.
    const labels = { alertname: 'MadeUp', severity: 'warning', service: 'cart' };
    const madeUp = await call(
      server,
      'POST',
      '/alerts/webhook/alertmanager',
      webhook([{ labels, fingerprint: 'deadbeefdeadbeef' }]),
    );
    expect(madeUp.status).toBe(200);
    const again = await call(server, 'POST', '/alerts', { alerts: [{ labels }] });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });

    const alerts = (await call(server, 'GET', '/alerts?limit=5000')).body.items as Array<{
      fingerprint: string;
      labels: Record<string, string>;
    }>;
    const names = [...sample.alerts.map((a) => a.labels), labels].map((l) => labelsFingerprint(l));
    for (const f of names) expect(alerts.filter((a) => a.fingerprint === f)).toHaveLength(1);
    expect(alerts.some((a) => a.fingerprint === 'deadbeefdeadbeef')).toBe(false);
    for (const a of alerts) expect(a.fingerprint).toBe(labelsFingerprint(a.labels));
  });

  it("takes Go's zero startsAt as the receipt time, skips one in the future and refuses an end before the start", async () => {
    const labels = { alertname: 'ZeroStart', severity: 'warning', service: 'cart' };
    const t0 = Date.now();
    const zero = await call(
      server,
      'POST',
      '/alerts/webhook/alertmanager',
      webhook([{ labels, startsAt: GO_ZERO }]),
    );
    expect(zero.status).toBe(200);
    expect(zero.body).toMatchObject({ accepted: 1 });
    const find = async () =>
      (
        (await call(server, 'GET', '/alerts?limit=5000')).body.items as Array<{
          labels: Record<string, string>;
          startsAt: string;
        }>
      ).find((a) => a.labels.alertname === 'ZeroStart')!;
    const stored = await find();
    expect(Date.parse(stored.startsAt)).toBeGreaterThanOrEqual(t0);
    expect(Date.parse(stored.startsAt)).toBeLessThanOrEqual(Date.now());
    // A re-send of the same unset start is the same episode (Alertmanager merges it), not a new one.
    const resent = await call(
      server,
      'POST',
      '/alerts/webhook/alertmanager',
      webhook([{ labels, startsAt: GO_ZERO }]),
    );
    expect(resent.body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await find()).startsAt).toBe(stored.startsAt);

    const future = await call(
      server,
      'POST',
      '/alerts/webhook/alertmanager',
      webhook([
        { labels: { alertname: 'Fine', service: 'cart' } },
        { labels: { alertname: 'Future', service: 'cart' }, startsAt: '2099-01-01T00:00:00Z' },
      ]),
    );
    // The alert dated ahead is skipped (listed with its fingerprint), the one beside it ingested.
    expect(future.status).toBe(200);
    expect(future.body).toMatchObject({
      received: 2,
      accepted: 1,
      skipped: [
        {
          index: 1,
          fingerprint: labelsFingerprint({ alertname: 'Future', service: 'cart' }),
          issues: [{ field: 'body.alerts.1.startsAt', message: expect.stringContaining('in the future') }],
        },
      ],
    });
    const genericFuture = await call(server, 'POST', '/alerts', {
      alerts: [{ labels: { alertname: 'Future' }, startsAt: iso(Date.now() + 3600_000) }],
    });
    expect(genericFuture.status).toBe(200);
    expect(genericFuture.body).toMatchObject({ received: 1, accepted: 0 });
    expect((genericFuture.body.skipped as Array<{ issues: Array<{ field: string }> }>)[0]!.issues).toEqual([
      { field: 'body.alerts.0.startsAt', message: expect.any(String) },
    ]);
    const metrics = await (
      await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${OPERATOR}` } })
    ).text();
    expect(metrics).toContain('aicloudops_alerts_skipped_total{reason="future_starts_at"} 2');
    // Within the 5-minute skew: accepted.
    const skewed = await call(server, 'POST', '/alerts', {
      alerts: [{ labels: { alertname: 'Skewed' }, startsAt: iso(Date.now() + 60_000) }],
    });
    expect(skewed.status).toBe(200);

    const backwards = await call(
      server,
      'POST',
      '/alerts/webhook/alertmanager',
      webhook([
        {
          labels: { alertname: 'Backwards', service: 'cart' },
          status: 'resolved',
          startsAt: iso(Date.now() - 60_000),
          endsAt: iso(Date.now() - 120_000),
        },
      ]),
    );
    expect(backwards.status).toBe(400);
    expect(fields(backwards)).toEqual(['body.alerts.0.endsAt']);
    const alerts = (await call(server, 'GET', '/alerts?limit=5000')).body.items as Array<{
      labels: Record<string, string>;
    }>;
    expect(alerts.map((a) => a.labels.alertname)).toContain('Fine');
    expect(alerts.filter((a) => ['Future', 'Backwards'].includes(a.labels.alertname!))).toEqual([]);
  });
});

describe('the Prometheus poller skips an alert over the label limits and keeps the rest', () => {
  let prometheus: Server;
  let body: unknown;

  beforeAll(async () => {
    prometheus = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((done) => prometheus.listen(0, '127.0.0.1', done));
  });
  afterAll(() => prometheus?.close());

  it('ingests the valid alert, skips and counts the others, and takes a future activeAt as unset', async () => {
    const service = new AlertService({
      store: new MemoryStore(),
      config: alertsConfigSchema.parse({ autoRca: false }),
      edges: async () => [],
    });
    await service.start({ tick: false });
    const warnings: unknown[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
    const poller = new PrometheusAlertPoller({ url, intervalSeconds: 60, service, logger });
    const t0 = Date.now();
    body = {
      status: 'success',
      data: {
        alerts: [
          {
            labels: { alertname: 'Good', service: 'cart' },
            annotations: {},
            state: 'firing',
            activeAt: iso(t0 - 60_000),
          },
          { labels: { alertname: 'Long', note: 'x'.repeat(5000) }, annotations: {}, state: 'firing' },
          { labels: { alertname: 'Esc\u001b[2J' }, annotations: {}, state: 'firing' },
          {
            labels: { alertname: 'Ahead' },
            annotations: {},
            state: 'firing',
            activeAt: '2099-01-01T00:00:00Z',
          },
        ],
      },
    };
    expect(await poller.poll()).toBe(2);
    expect(poller.skipped).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('response.data.alerts.1.labels.note');
    // The limits as the schema holds them (ALERT_LABEL_LIMITS), not a copy of them.
    expect(JSON.stringify(warnings[0])).toContain('(64 labels, 1,024 characters, no control characters)');
    const alerts = await service.listAlerts();
    expect(alerts.map((a) => a.labels.alertname).sort()).toEqual(['Ahead', 'Good']);
    const ahead = alerts.find((a) => a.labels.alertname === 'Ahead')!;
    expect(Date.parse(ahead.startsAt)).toBeLessThanOrEqual(Date.now());
    // The next poll of the same alerts changes nothing: the unset onset stays the one first seen.
    expect(await poller.poll()).toBe(2);
    expect((await service.listAlerts()).find((a) => a.labels.alertname === 'Ahead')!.startsAt).toBe(
      ahead.startsAt,
    );
    expect((await service.stats()).duplicates).toBe(2);
    service.stop();
  });
});
