import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsOf } from '../../src/alerts/alertsOf.js';
import { repairFindingSink } from '../../src/alerts/repairFindingAlerts.js';
import type { Engine } from '../../src/engine.js';
import { API_PREFIX } from '../../src/server/app.js';
import { startDemoApp, type DemoApp } from '../support/index.js';

/**
 * Repair's findings enter unified alerting as alerts with source `repair`: an OOM-killed workload in the demo shop
 * is found by a repair scan, and GET /api/v1/alerts lists it, labelled with its namespace and service so it groups
 * with the workload's other alerts; once a scan no longer finds it, the alert resolves.
 */
let demo: DemoApp;
let engine: Engine;
let app: FastifyInstance;

beforeAll(async () => {
  demo = await startDemoApp({ repair: { namespaces: ['shop'] } });
  ({ engine, app } = demo);
}, 60_000);
afterAll(async () => {
  await demo?.close();
});

type ListedAlert = { source: string; status: string; labels: Record<string, string> };
const repairAlerts = async (): Promise<ListedAlert[]> => {
  const res = await app.inject({ method: 'GET', url: `${API_PREFIX}/alerts?status=all` });
  return (res.json() as { items: ListedAlert[] }).items.filter((a) => a.source === 'repair');
};

describe('repair findings as alerts', () => {
  it('fires for a finding found by a scan and resolves when a later scan no longer has it', async () => {
    const repair = engine.services.repair!;
    const fault = engine.demo!.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    await expect
      .poll(
        async () => {
          const scan = await repair.scan();
          return scan.findings.some((f) => f.type === 'OOMKilled' && f.workload.name === 'cart');
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(true);
    await expect
      .poll(async () => (await repairAlerts()).find((a) => a.labels.finding === 'OOMKilled'), {
        timeout: 10_000,
      })
      .toMatchObject({
        status: 'firing',
        labels: { namespace: 'shop', service: 'cart', alertname: 'RepairOOMKilled' },
      });

    engine.demo!.ledger.resolve(fault.id, Date.now() / 1000);

    // A finding clears only after minutes of healthy pods; the sink's rule is what matters here: a scan that no
    // longer has the finding resolves its alert. Fed the real finding, then a later scan without it.
    const finding = (await repair.findings()).findings.find(
      (f) => f.type === 'OOMKilled' && f.workload.name === 'cart',
    )!;
    const sink = repairFindingSink(alertsOf(engine), pino({ level: 'silent' }));
    sink({ at: new Date().toISOString(), findings: [finding] });
    sink({ at: new Date(Date.now() + 60_000).toISOString(), findings: [] });
    await expect
      .poll(async () => (await repairAlerts()).find((a) => a.labels.finding === 'OOMKilled')?.status, {
        timeout: 10_000,
      })
      .toBe('resolved');
  }, 150_000);

  it('resolves the alert raised at the old severity when a finding changes severity, so its incident can close', async () => {
    const finding = {
      fingerprint: 'sev-change-1',
      type: 'CrashLoopBackOff',
      severity: 'critical',
      message: 'Deployment shop/shipping: 2 pods crash-looping',
      since: new Date(Date.now() - 120_000).toISOString(),
      workload: { kind: 'Deployment', namespace: 'shop', name: 'shipping' },
      object: { kind: 'Deployment', namespace: 'shop', name: 'shipping' },
    } as unknown as Parameters<ReturnType<typeof repairFindingSink>>[0]['findings'][number];
    const sink = repairFindingSink(alertsOf(engine), pino({ level: 'silent' }));
    const mine = async () =>
      (await repairAlerts()).filter((a) => a.labels.repair_fingerprint === 'sev-change-1');
    sink({ at: new Date().toISOString(), findings: [finding] });
    // One replica back: the same finding, now a warning.
    sink({
      at: new Date(Date.now() + 30_000).toISOString(),
      findings: [{ ...finding, severity: 'warning' }],
    });
    await expect
      .poll(async () => (await mine()).map((a) => `${a.labels.severity}:${a.status}`).sort(), {
        timeout: 10_000,
      })
      .toEqual(['critical:resolved', 'warning:firing']);
    sink({ at: new Date(Date.now() + 60_000).toISOString(), findings: [] });
    await expect
      .poll(async () => (await mine()).map((a) => a.status), { timeout: 10_000 })
      .toEqual(['resolved', 'resolved']);
  }, 60_000);
});
