import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../bench/alerts/diagnoseStream.js';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const S = 1000;
const dir = mkdtempSync(join(os.tmpdir(), 'diagnose-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Labels = Record<string, string>;
/** One Alertmanager delivery of one group at `at`, with the truth of each alert. */
function delivery(at: number, group: string, alerts: Array<[Labels, number, string | null]>) {
  return {
    at: new Date(at).toISOString(),
    payload: {
      version: '4',
      groupKey: `{}:{service="${group}"}`,
      status: 'firing',
      receiver: 'test',
      alerts: alerts.map(([labels, startsAt]) => ({
        status: 'firing',
        labels,
        startsAt: new Date(startsAt).toISOString(),
        fingerprint: labelsFingerprint(labels),
      })),
    },
    truth: Object.fromEntries(alerts.map(([labels, , truth]) => [labelsFingerprint(labels), truth])),
  };
}

describe('diagnoseStream', () => {
  it('names the join that made a page impure, and the real incident no page carried', () => {
    const svc = (service: string, alertname: string, severity = 'critical') => ({
      alertname,
      severity,
      namespace: 'shop',
      service,
    });
    // Noise on payments; a minute later a real failure on its caller checkout joins it across the edge. A lone
    // warning incident on cart never pages.
    const stream = [
      delivery(T0 + 30 * S, 'payments', [[svc('payments', 'HighErrorRate'), T0, null]]),
      delivery(T0 + 90 * S, 'checkout', [
        [svc('checkout', 'HighErrorRate'), T0 + 60 * S, 'I1'],
        [svc('checkout', 'HighLatency'), T0 + 70 * S, 'I1'],
      ]),
      delivery(T0 + 100 * S, 'cart', [[svc('cart', 'HighLatency', 'warning'), T0 + 80 * S, 'I2']]),
    ];
    writeFileSync(
      join(dir, 'topology.json'),
      JSON.stringify({ services: ['checkout', 'payments', 'cart'], edges: [['checkout', 'payments']] }),
    );
    writeFileSync(join(dir, 'alerts.jsonl'), stream.map((d) => JSON.stringify(d)).join('\n') + '\n');

    const d = diagnose(dir);
    expect(d.scores).toMatchObject({ real_incidents: 2, incident_recall: 0.5, notifications: 1 });
    expect(d.scores.purity).toBeCloseTo(2 / 3);
    const merge = d.misses.find((m) => m.type === 'merge');
    expect(merge).toMatchObject({ mechanism: 'merge service-graph real→noise', weight: 1 });
    expect(merge!.detail).toContain('edge checkout → payments');
    expect(d.misses.filter((m) => m.type === 'missed')).toEqual([
      expect.objectContaining({ mechanism: 'missed held, no alert of it may page' }),
    ]);
    expect(d.misses.find((m) => m.type === 'missed')!.detail).toMatch(/^I2: HighLatency\/warning cart/);
  });
});
