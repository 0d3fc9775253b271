import { describe, expect, it } from 'vitest';
import { labelsFingerprint } from '../fingerprint.js';
import type { Notification } from '../types.js';
import { feed, firing, incidentOf, S, T0 } from '../../../test/support/alertPipelineFixture.js';

// checkout → payments
const EDGES = [{ from: 'checkout', to: 'payments' }];
const svc = (service: string, alertname: string, severity: string) => ({
  alertname,
  severity,
  namespace: 'shop',
  service,
});

describe('ContextAlertStage', () => {
  it('an informational alert is no bridge: a caller failing next to a callee that only has an info alert opens its own incident', () => {
    const throttled = svc('payments', 'CPUThrottlingHigh', 'info');
    const failing = svc('checkout', 'HighErrorRate', 'critical');
    const p = feed(EDGES, [firing(throttled, T0), firing(failing, T0 + 60 * S)]);
    expect(p.muteOf(p.alerts.get(labelsFingerprint(throttled))!, T0 + 60 * S)).toMatchObject({
      kind: 'context',
    });
    expect(incidentOf(p, failing)).not.toBe(incidentOf(p, throttled));
    // A maintenance marker (severity none) bridges nothing either.
    const maintenance = {
      alertname: 'Maintenance',
      severity: 'none',
      namespace: 'shop',
      service: 'payments',
    };
    const q = feed(EDGES, [firing(maintenance, T0), firing(failing, T0 + 60 * S)]);
    expect(incidentOf(q, failing)).not.toBe(incidentOf(q, maintenance));
  });

  it('joins the incident of a failure on its service, and the page lists only the failure', () => {
    const failing = svc('payments', 'HighErrorRate', 'critical');
    const throttled = svc('payments', 'CPUThrottlingHigh', 'info');
    const p = feed(EDGES, [firing(failing, T0), firing(throttled, T0 + 30 * S)]);
    expect(incidentOf(p, throttled)).toBe(incidentOf(p, failing));
    const sent: Notification[] = [];
    for (let t = T0 + 35 * S; t <= T0 + 15 * 60 * S; t += 5 * S) sent.push(...p.tick(t).notifications);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.fingerprints).toEqual([labelsFingerprint(failing)]);
  });
});
