import { describe, expect, it } from 'vitest';
import { labelsFingerprint } from '../fingerprint.js';
import { feed, firing, S, T0 } from '../../../test/support/alertPipelineFixture.js';

const EDGES = [{ from: 'checkout', to: 'payments' }];
const app = (name: string, severity: string, alertname = 'HighErrorRate') => ({
  alertname,
  severity,
  namespace: 'shop',
  app: name,
});

describe('InhibitionStage with services named by `app` (no `service` label)', () => {
  it("critical mutes the same service's warning, not another service's of the same alertname", () => {
    const p = feed(EDGES, [
      firing(app('payments', 'critical'), T0),
      firing(app('payments', 'warning'), T0 + 10 * S),
      firing(app('checkout', 'warning'), T0 + 20 * S),
    ]);
    const muteOf = (labels: Record<string, string>) =>
      p.muteOf(p.alerts.get(labelsFingerprint(labels))!, T0 + 30 * S);
    expect(muteOf(app('payments', 'warning'))).toMatchObject({ kind: 'inhibited' });
    // `equal: [service]` found both without `service`, so equal: a critical on one service muted every other's warning.
    expect(muteOf(app('checkout', 'warning'))).toBeUndefined();
  });

  it('a Maintenance alert scoped by `app` mutes that service', () => {
    const maintenance = { alertname: 'Maintenance', severity: 'none', namespace: 'shop', app: 'payments' };
    const p = feed(EDGES, [
      firing(maintenance, T0),
      firing(app('payments', 'critical'), T0 + 60 * S),
      firing(app('checkout', 'critical', 'HighLatency'), T0 + 70 * S),
    ]);
    const muteOf = (labels: Record<string, string>) =>
      p.muteOf(p.alerts.get(labelsFingerprint(labels))!, T0 + 90 * S);
    expect(muteOf(app('payments', 'critical'))).toMatchObject({
      kind: 'inhibited',
      detail: expect.stringContaining('maintenance of the service'),
    });
    expect(muteOf(app('checkout', 'critical', 'HighLatency'))).toBeUndefined();
  });
});
