import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/AlertService.js';
import { alertsOf } from '../../src/alerts/alertsOf.js';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import type { AlertmanagerWebhook } from '../../src/alerts/schemas.js';
import { configSchema, type EngineConfigInput } from '../../src/config/schema.js';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { sleep, startRedis, type RedisServer } from '../support/index.js';

/** Six consecutive deliveries per service; the first five services form a call chain, the rest stand alone. */
const SERVICES = Array.from({ length: 20 }, (_, g) => `svc-${g}`);
const EDGES = SERVICES.slice(1, 5).map((to, i) => ({ from: SERVICES[i]!, to }));
const ALERTNAMES = ['HighErrorRate', 'PodCrashLooping', 'ErrorBudgetBurn'];
// Alerts start after the first pages go out, so an alert joining an already paged incident waits for an update
// notice: that state depends on where each page sits in the log relative to the deliveries around it.
const START = Date.now() + 60_000;
const PREFIX = 'group-commit:';

function config(redisUrl: string): EngineConfigInput {
  return {
    logLevel: 'silent',
    server: { port: 0, auth: { enabled: false } },
    cluster: { kind: 'simulated', injectFaults: false },
    serviceGraph: { edges: EDGES },
    store: { kind: 'redis', url: redisUrl, keyPrefix: PREFIX },
    // Critical alerts page at once, so notifications land in the log between deliveries of the same batch.
    alerts: {
      autoRca: false,
      pagingRules: [
        { matchers: ['severity="critical"'], page: true },
        { matchers: [], page: false },
      ],
    },
  } as EngineConfigInput;
}

/**
 * Delivery i: one to three critical alerts on service floor(i / 6); whichever of a service's six arrives first opens
 * its incident and pages at once, the others join it, so in a batch a page sits between deliveries that join the
 * incident it paged (and, starting after the page, wait for an update notice). The alerts are about services (told apart
 * by `instance`, not `pod`): only service alerts cross the chain's edges, and the chain's incident pages at once by
 * corroboration (several services) while the alerts' own start is still ahead.
 */
function delivery(i: number): AlertmanagerWebhook {
  const service = SERVICES[Math.floor(i / 6)]!;
  const alerts = Array.from({ length: 1 + (i % 3) }, (_, k) => {
    const labels = {
      alertname: ALERTNAMES[(i + k) % ALERTNAMES.length]!,
      severity: 'critical',
      namespace: 'shop',
      service,
      instance: `${service}-${i}-${k}`,
    };
    return {
      status: 'firing' as const,
      labels,
      annotations: {},
      startsAt: new Date(START + i * 1_000).toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: labelsFingerprint(labels),
    };
  });
  return {
    version: '4',
    groupKey: `{}:{service="${service}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'aicloudops',
    groupLabels: { service },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
  };
}

async function post(url: string, body: AlertmanagerWebhook): Promise<number> {
  try {
    const response = await fetch(`${url}/api/v1/alerts/webhook/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Every incident of a server's live pipeline: what a replay must rebuild exactly. */
function incidentsOf(server: RunningServer) {
  return incidentsIn(alertsOf(server.engine));
}

function incidentsIn(service: AlertService) {
  const pipeline = service.state;
  // The alerts still to be announced as updates (private: no API shows them until the next update notice).
  const unannounced = pipeline['unannounced'];
  return [...pipeline.incidents.values()]
    .map((i) => ({
      id: i.id,
      status: i.status,
      title: i.title,
      services: i.services,
      notifiedAt: i.notifiedAt,
      members: i.members.map((m) => `${m.fingerprint}:${m.reason.kind}:${m.reason.joinedTo ?? ''}`),
      unannounced: [...(unannounced.get(i.id) ?? [])].sort(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

describe('group commit of concurrent deliveries (real Redis)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => redis?.stop());

  it('stores every delivery before its 200, even when Redis is killed mid-storm, and a restart rebuilds the same incidents', async () => {
    const deliveries = Array.from({ length: 120 }, (_, i) => delivery(i));
    let server = await startServer({ config: config(redis.url), logger: pino({ level: 'silent' }) });
    const inspector = new RedisStore({ url: redis.url, keyPrefix: PREFIX });
    try {
      // A storm: 60 deliveries in flight at once; every one is answered 200.
      const first = await Promise.all(deliveries.slice(0, 60).map((d) => post(server.url, d)));
      expect(first.every((s) => s === 200)).toBe(true);

      // 60 more, and Redis is killed (SIGKILL) as soon as the first of them is answered: whatever got its 200 must be
      // in Redis's AOF, so it is in the log once Redis is back. The rest are re-sent until accepted, as Alertmanager does.
      const statuses = new Map<number, number>();
      let killed: Promise<void> | undefined;
      await Promise.all(
        deliveries.slice(60).map(async (d, k) => {
          const status = await post(server.url, d);
          statuses.set(60 + k, status);
          if (status === 200) killed ??= redis.crash();
        }),
      );
      await killed;
      await redis.up();
      await inspector.waitUntilReady(10_000);
      const logged = new Set(
        (await inspector.lrange('alerts:log', 0, -1)).flatMap((line) => {
          const entry = JSON.parse(line) as { t: string; events?: Array<{ fingerprint: string }> };
          return entry.t === 'delivery' ? entry.events!.map((e) => e.fingerprint) : [];
        }),
      );
      const answered200 = [...statuses].filter(([, s]) => s === 200).map(([i]) => i);
      expect(answered200.length).toBeGreaterThan(0);
      for (const i of [...Array(60).keys(), ...answered200]) {
        for (const a of deliveries[i]!.alerts)
          expect(logged.has(a.fingerprint!), `delivery ${i} answered 200 but not in the log`).toBe(true);
      }
      for (const [i, s] of statuses) {
        if (s === 200) continue;
        for (let attempt = 0; attempt < 100 && (await post(server.url, deliveries[i]!)) !== 200; attempt++)
          await sleep(100);
      }

      const before = incidentsOf(server);
      const statsBefore = await alertsOf(server.engine).stats();
      expect(before.length).toBeGreaterThan(0);
      expect(before.some((i) => i.notifiedAt !== undefined)).toBe(true);
      expect(statsBefore.accepted).toBe(deliveries.reduce((n, d) => n + d.alerts.length, 0));
      await server.close();

      // The engine restarts and replays the log: the same incidents, members, merge rules and paging times.
      server = await startServer({ config: config(redis.url), logger: pino({ level: 'silent' }) });
      await alertsOf(server.engine).start({ tick: false });
      expect(incidentsOf(server)).toEqual(before);
      const statsAfter = await alertsOf(server.engine).stats();
      expect(statsAfter).toMatchObject({
        accepted: statsBefore.accepted,
        incidents: statsBefore.incidents,
        notifications: statsBefore.notifications,
      });

      // Idempotent: the whole storm re-sent concurrently changes nothing.
      const resent = await Promise.all(deliveries.map((d) => post(server.url, d)));
      expect(resent.every((s) => s === 200)).toBe(true);
      expect(incidentsOf(server)).toEqual(before);
      expect((await alertsOf(server.engine).stats()).accepted).toBe(statsBefore.accepted);
    } finally {
      await inspector.close();
      await server.close();
    }
  }, 120_000);
});

describe('group commit order (memory store, virtual clock)', () => {
  it('logs a page between the deliveries of its batch where it happened, so a replay rebuilds the pending update notices', async () => {
    const store = new MemoryStore();
    const alerts = configSchema.parse({ alerts: config('redis://unused').alerts }).alerts;
    const clock = Date.parse('2026-01-05T10:00:00Z');
    const service = () =>
      new AlertService({ store, config: alerts, edges: async () => [], now: () => clock });
    const live = service();
    await live.start({ tick: false });
    const at = (ms: number) => new Date(ms).toISOString();
    // Both calls are queued before the first batch starts: one batch, the opener (pages at once) then the joiner,
    // which started after that page and so waits for an update notice.
    const opener = delivery(0);
    opener.alerts = opener.alerts.slice(0, 1).map((a) => ({ ...a, startsAt: at(clock - 60_000) }));
    const joiner = delivery(1);
    joiner.alerts = joiner.alerts.slice(0, 1).map((a) => ({ ...a, startsAt: at(clock + 1) }));
    const [first, second] = await Promise.all([
      live.ingestAlertmanager(opener),
      live.ingestAlertmanager(joiner),
    ]);
    expect(second!.incidents).toEqual(first!.incidents);
    const before = incidentsIn(live);
    expect(before).toHaveLength(1);
    expect(before[0]!.notifiedAt).toBe(clock);
    expect(before[0]!.unannounced).toEqual([joiner.alerts[0]!.fingerprint]);

    const replayed = service();
    await replayed.start({ tick: false });
    expect(incidentsIn(replayed)).toEqual(before);
    live.stop();
    replayed.stop();
  }, 30_000);
});
