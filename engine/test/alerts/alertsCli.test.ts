import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import type { StoredIncident } from '../../src/alerts/AlertRepository.js';
import type { IncidentDto } from '../../src/alerts/schemas.js';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { runCliProcess, startRedis, type RedisServer } from '../support/index.js';

const TOKEN = 'operator-token-0123456789';

/** The CLI against a running engine that shares its Redis: reads from the store, changes over HTTP. */
describe('aicloudops alerts / incidents', () => {
  let redis: RedisServer;
  let server: RunningServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedis();
    const store = { kind: 'redis' as const, url: redis.url, keyPrefix: 'cli-alerts:' };
    server = await startServer({
      config: {
        logLevel: 'silent',
        server: {
          port: 0,
          auth: { enabled: true, tokens: [{ name: 'oncall', token: TOKEN, role: 'operator' }] },
        },
        cluster: { kind: 'simulated', injectFaults: false },
        store,
        alerts: { autoRca: false },
      },
      logger: pino({ level: 'silent' }),
    });
    env = {
      AICLOUDOPS_STORE__KIND: 'redis',
      AICLOUDOPS_STORE__URL: redis.url,
      AICLOUDOPS_STORE__KEY_PREFIX: store.keyPrefix,
    };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('sends a webhook file, lists and shows the incident with merge reasons, acknowledges it', async () => {
    const labels = {
      alertname: 'HighErrorRate',
      severity: 'critical',
      namespace: 'shop',
      service: 'payments',
    };
    const file = join(mkdtempSync(join(tmpdir(), 'alerts-cli-')), 'webhook.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: '4',
        groupKey: '{}:{service="payments"}',
        status: 'firing',
        receiver: 'aicloudops',
        alerts: [
          {
            status: 'firing',
            labels,
            startsAt: new Date(Date.now() - 60_000).toISOString(),
            fingerprint: labelsFingerprint(labels),
          },
        ],
      }),
    );
    const send = await runCliProcess(
      ['alerts', '--send', file, '--server', server.url, '--token', TOKEN, '--json'],
      env,
    );
    expect(send.code).toBe(0);
    const sent = JSON.parse(send.stdout) as { accepted: number; incidents: string[] };
    expect(sent.accepted).toBe(1);

    const list = await runCliProcess(['incidents', '--json'], env);
    expect(list.code).toBe(0);
    const { items } = JSON.parse(list.stdout) as { items: IncidentDto[] };
    expect(items.map((i) => i.id)).toEqual(sent.incidents);

    const show = await runCliProcess(['incidents', '--show', sent.incidents[0]!], env);
    expect(show.stdout).toContain('HighErrorRate on payments');
    expect(show.stdout).toContain('joined: opened');

    const ack = await runCliProcess(
      ['incidents', '--ack', sent.incidents[0]!, '--server', server.url, '--token', TOKEN, '--json'],
      env,
    );
    expect(JSON.parse(ack.stdout)).toMatchObject({ acknowledgedBy: 'oncall' });

    const stats = await runCliProcess(['alerts', '--stats', '--json'], env);
    expect(JSON.parse(stats.stdout)).toMatchObject({ deliveries: 1, alerts: 1 });

    const refused = await runCliProcess(['incidents', '--resolve', sent.incidents[0]!], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--server');
  }, 120_000);

  it('prints engine-provided text with its control characters escaped (a label cannot drive the terminal)', async () => {
    // Ingest refuses such labels now; a store written before that (or by anything else) may still hold them.
    const store = new RedisStore({ url: redis.url, keyPrefix: env.AICLOUDOPS_STORE__KEY_PREFIX! });
    const labels = { alertname: 'Esc\u001b[2J\u001b[31mFAKE', severity: 'critical', service: 'ca\rrt\nx' };
    const now = Date.now();
    try {
      await store.hset('alerts:alerts', {
        ffffffffffffffff: JSON.stringify({
          fingerprint: 'ffffffffffffffff',
          status: 'firing',
          labels,
          annotations: {},
          startsAt: now,
          source: 'generic',
          firstSeenAt: now,
          lastSeenAt: now + 3600_000,
          firingDeliveries: 1,
          transitions: [],
          flapping: false,
        }),
      });
    } finally {
      await store.close();
    }
    const human = await runCliProcess(['alerts', '--status', 'firing'], env);
    expect(human.code).toBe(0);
    const line = human.stdout.split('\n').find((l) => l.includes('ffffffffffffffff'))!;
    expect(line).toContain('Esc\\x1b[2J\\x1b[31mFAKE');
    expect(line).toContain('ca\\x0drt\\x0ax');
    // eslint-disable-next-line no-control-regex -- the test looks for the control characters the CLI must not print
    expect(human.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    // --json keeps the data as it is (JSON escapes it).
    const json = await runCliProcess(['alerts', '--status', 'firing', '--json'], env);
    const items = (JSON.parse(json.stdout) as { items: Array<{ labels: Record<string, string> }> }).items;
    expect(items.find((a) => a.labels.service === 'ca\rrt\nx')?.labels.alertname).toBe(labels.alertname);
  }, 120_000);

  it('says why an incident has no automatic RCA where its rca id would be, escaped', async () => {
    // As the engine stores a NotReady node's incident (no alert names a service, so no RCA was started); the reason
    // carries a control character to show it is printed escaped.
    const store = new RedisStore({ url: redis.url, keyPrefix: env.AICLOUDOPS_STORE__KEY_PREFIX! });
    const now = Date.now();
    const stored: StoredIncident = {
      id: 'inc-node-skipped',
      status: 'open',
      title: 'RepairNodeNotReady on node sim-node-2',
      severity: 'critical',
      openedAt: now,
      onsetAt: now,
      updatedAt: now,
      services: [],
      rcaSkipped:
        'no automatic RCA: node sim-node-2\u001b[31m is not a service, and no alert of the incident names one',
      truncatedAlerts: 0,
    };
    try {
      await store.hset('alerts:incidents', { [stored.id]: JSON.stringify(stored) });
    } finally {
      await store.close();
    }
    const human = await runCliProcess(['incidents', '--status', 'open'], env);
    expect(human.code).toBe(0);
    const line = human.stdout.split('\n').find((l) => l.startsWith('inc-node-skipped'))!;
    expect(line).toContain(
      'services=- rca=skipped (node sim-node-2\\x1b[31m is not a service, and no alert of the incident names one)',
    );
    expect(human.stdout).not.toContain('\u001b');
  }, 120_000);
});
