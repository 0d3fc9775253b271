import { describe, expect, it } from 'vitest';
import { AlertPipeline } from '../../src/alerts/AlertPipeline.js';
import { alertsConfigSchema } from '../../src/alerts/config.js';
import type { AlertEvent } from '../../src/alerts/types.js';
import { feed, firing, incidentOf, S, T0 } from '../support/alertPipelineFixture.js';

// checkout → payments
const EDGES = [{ from: 'checkout', to: 'payments' }];
const svc = (service: string, alertname = 'HighErrorRate') => ({
  alertname,
  severity: 'critical',
  namespace: 'shop',
  service,
});
const MIN = 60 * S;

describe('grouping window (alerts.groupWindowSeconds, default 300)', () => {
  it('joins alerts whose onsets are minutes apart, and keeps apart a failure beginning 6 minutes after the one it touches', () => {
    const near = feed(EDGES, [
      firing(svc('payments'), T0),
      firing(svc('payments', 'HighLatency'), T0 + 3 * MIN),
      firing(svc('checkout'), T0 + 4 * MIN),
    ]);
    expect(incidentOf(near, svc('payments', 'HighLatency'))).toBe(incidentOf(near, svc('payments')));
    expect(incidentOf(near, svc('checkout'))).toBe(incidentOf(near, svc('payments')));

    const far = feed(EDGES, [
      firing(svc('payments'), T0),
      firing(svc('payments', 'HighLatency'), T0 + 6 * MIN),
      firing(svc('checkout'), T0 + 6 * MIN),
    ]);
    expect(incidentOf(far, svc('payments', 'HighLatency'))).not.toBe(incidentOf(far, svc('payments')));
    expect(incidentOf(far, svc('checkout'))).not.toBe(incidentOf(far, svc('payments')));
  });
});

describe('resolution latency learned from Alertmanager groups', () => {
  const event = (
    labels: Record<string, string>,
    groupKey: string,
    startsAt: number,
    at: number,
    status: 'firing' | 'resolved' = 'firing',
  ): AlertEvent => ({
    ...firing(labels, startsAt),
    groupKey,
    status,
    receivedAt: at,
    ...(status === 'resolved' ? { endsAt: at } : {}),
  });

  it("does not take a group's one long gap (firing, resolved 40 minutes later) for its flush interval when the others flush every 2 minutes", () => {
    const p = new AlertPipeline(alertsConfigSchema.parse({ autoRca: false }), EDGES);
    const node = { alertname: 'KubeNodeNotReady', severity: 'critical', node: 'node-a' };
    const slow = '{}:{alertname="KubeNodeNotReady"}';
    p.ingest([event(node, slow, T0, T0)], T0);
    // Two busy groups change every 2 minutes: the dispatcher's rhythm.
    for (const [i, service] of ['cart', 'orders'].entries()) {
      const key = `{}:{service="${service}"}`;
      for (let k = 0; k < 3; k++) {
        const at = T0 + (i + 1) * S + k * 2 * MIN;
        p.ingest([event(svc(service, `Alert${k}`), key, at, at)], at);
      }
    }
    p.ingest([event(node, slow, T0, T0 + 40 * MIN, 'resolved')], T0 + 40 * MIN);
    // The node fails again: its resolution, if it comes, comes within the rhythm of 2 minutes, not 15.
    const again = T0 + 60 * MIN;
    p.ingest([event(node, slow, again, again)], again);
    expect(p.resolutionLatencyOf(p.alerts.get(firing(node, again).fingerprint)!)).toBe(2 * MIN);
  });
});
