import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/AlertService.js';
import { alertsConfigSchema } from '../../src/alerts/config.js';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import { PrometheusAlertPoller } from '../../src/alerts/ingest/PrometheusAlertPoller.js';
import type { IncidentDto } from '../../src/alerts/schemas.js';
import { EngineClient } from '@ai-cloudops/engine-client';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import {
  sleep,
  startAlertmanager,
  startPrometheus,
  type AlertmanagerServer,
  type PrometheusServer,
} from '../support/index.js';

const TOKEN = 'alertmanager-token-0123456789';

// Two always-true rules on services joined by an edge of the configured service graph (checkout → payments).
const RULES = `groups:
  - name: e2e
    interval: 1s
    rules:
      - alert: PaymentsErrors
        expr: vector(1)
        labels: { severity: critical, namespace: shop, service: payments }
        annotations: { summary: payments answers 5xx }
      - alert: CheckoutErrors
        expr: vector(1)
        labels: { severity: critical, namespace: shop, service: checkout }
`;

/**
 * End to end with real components: Prometheus evaluates rules → Alertmanager groups and posts its webhook → the engine
 * (listening on loopback) turns the two deliveries into one incident, links an RCA, and pages once.
 */
describe('Prometheus → Alertmanager → engine webhook → incident', () => {
  let engine: RunningServer;
  let alertmanager: AlertmanagerServer;
  let prometheus: PrometheusServer;
  let tokenDir: string;

  beforeAll(async () => {
    engine = await startServer({
      config: {
        logLevel: 'silent',
        server: {
          port: 0,
          auth: { enabled: true, tokens: [{ name: 'alertmanager', token: TOKEN, role: 'operator' }] },
        },
        cluster: { kind: 'simulated', injectFaults: false },
        serviceGraph: { edges: [{ from: 'checkout', to: 'payments' }] },
        // Alertmanager below flushes every second; until the engine has seen that rhythm it assumes 1 s, not the 5 min default.
        alerts: {
          autoRca: true,
          defaultResolutionLatencySeconds: 1,
          pagingRules: [
            { matchers: ['severity="critical"'], page: true, forSeconds: 2 },
            { matchers: [], page: false },
          ],
        },
      },
      logger: pino({ level: 'silent' }),
    });
    tokenDir = await mkdtemp(join(tmpdir(), 'am-token-'));
    const tokenFile = join(tokenDir, 'token');
    await writeFile(tokenFile, TOKEN);
    alertmanager = await startAlertmanager({
      config: `route:
  receiver: engine
  group_by: ['alertname', 'namespace', 'service']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 2s
receivers:
  - name: engine
    webhook_configs:
      - url: ${engine.url}/api/v1/alerts/webhook/alertmanager
        send_resolved: true
        http_config:
          authorization: { type: Bearer, credentials_file: ${tokenFile} }
`,
    });
    prometheus = await startPrometheus({
      files: { 'rules.yml': RULES },
      config: `global:
  evaluation_interval: 1s
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs: [{ targets: ['${new URL(alertmanager.url).host}'] }]
`,
      args: ['--rules.alert.resend-delay=1s'],
    });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await engine?.close();
    if (tokenDir) await rm(tokenDir, { recursive: true, force: true });
  });

  it('opens one incident for both rules, joined by the service-graph edge, with the fingerprints Alertmanager computed', async () => {
    const client = new EngineClient({ baseUrl: engine.url, token: TOKEN });
    let incident: IncidentDto | undefined;
    for (
      let i = 0;
      i < 300 && !(incident && incident.alerts.length === 2 && incident.notifiedAt && incident.rcaId);
      i++
    ) {
      incident = (await client.incidents()).items[0];
      await sleep(100);
    }
    expect(incident).toBeDefined();
    expect(incident!.alerts.map((a) => a.labels.alertname).sort()).toEqual([
      'CheckoutErrors',
      'PaymentsErrors',
    ]);
    expect(incident!.alerts.map((a) => a.reason.kind)).toEqual(['opened', 'service-graph']);
    expect(incident!.alerts[1]!.reason.detail).toBe('edge checkout → payments');
    for (const alert of incident!.alerts) {
      expect(alert.source).toBe('alertmanager');
      // Alertmanager's fingerprint of the labels, reproduced by the engine for sources that carry none.
      expect(alert.fingerprint).toBe(labelsFingerprint(alert.labels));
    }
    expect(incident!.notifiedAt).toBeDefined();
    // The RCA started for it is a real job of the engine.
    const job = await client.job(incident!.rcaId!);
    expect(job.kind).toBe('rca');

    // Alertmanager keeps re-sending (repeat_interval 2s): the engine counts the re-sends as duplicates, pages once.
    let stats = await client.alertStats();
    for (let i = 0; i < 100 && stats.deliveries <= 2; i++) {
      await sleep(100);
      stats = await client.alertStats();
    }
    expect(stats.deliveries).toBeGreaterThan(2);
    expect(stats.duplicates).toBeGreaterThan(0);
    expect(stats).toMatchObject({ incidents: 1, notifications: 1 });
  }, 90_000);

  it('polls the same alerts from Prometheus /api/v1/alerts with the same fingerprints', async () => {
    const service = new AlertService({
      store: new MemoryStore(),
      config: alertsConfigSchema.parse({ autoRca: false }),
      edges: async () => [{ from: 'checkout', to: 'payments' }],
    });
    await service.start({ tick: false });
    const poller = new PrometheusAlertPoller({ url: prometheus.url, intervalSeconds: 60, service });
    let delivered = 0;
    for (let i = 0; i < 100 && delivered < 2; i++) {
      delivered = await poller.poll();
      if (delivered < 2) await sleep(100);
    }
    const alerts = await service.listAlerts();
    expect(alerts.map((a) => a.labels.alertname).sort()).toEqual(['CheckoutErrors', 'PaymentsErrors']);
    const pushed = (await new EngineClient({ baseUrl: engine.url, token: TOKEN }).alerts()).items;
    expect(alerts.map((a) => a.fingerprint).sort()).toEqual(pushed.map((a) => a.fingerprint).sort());
    // A second poll with nothing new changes nothing.
    await poller.poll();
    expect((await service.stats()).accepted).toBe(2);
    service.stop();
  }, 60_000);
});
