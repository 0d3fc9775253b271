import { describe, expect, it } from 'vitest';
import { AlertPipeline } from '../AlertPipeline.js';
import { alertsConfigSchema } from '../config.js';
import { labelsFingerprint } from '../fingerprint.js';
import type { AlertEvent, TrackedAlert } from '../types.js';
import { InhibitionStage } from './InhibitionStage.js';
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

  it("two alerts that are each a rule's source and target do not mute each other (Alertmanager's two-sided rule)", () => {
    // A rule without target matchers, as the maintenance rules are: every alert is a target, its sources too.
    const rules = [{ name: 'freeze', sourceMatchers: ['alertname=~"Freeze|FreezeAll"'], equal: ['app'] }];
    const freeze = (alertname: string) => ({
      alertname,
      severity: 'warning',
      namespace: 'shop',
      app: 'payments',
    });
    const p = new AlertPipeline(alertsConfigSchema.parse({ autoRca: false, inhibitRules: rules }), EDGES);
    for (const [i, labels] of [freeze('Freeze'), freeze('FreezeAll'), app('payments', 'critical')].entries())
      p.ingest([{ ...firing(labels, T0 + i * 10 * S), receivedAt: T0 + i * 10 * S }], T0 + i * 10 * S);
    const muteOf = (labels: Record<string, string>) =>
      p.muteOf(p.alerts.get(labelsFingerprint(labels))!, T0 + 90 * S);
    expect(muteOf(freeze('Freeze'))).toBeUndefined();
    expect(muteOf(freeze('FreezeAll'))).toBeUndefined();
    expect(muteOf(app('payments', 'critical'))).toMatchObject({
      kind: 'inhibited',
      detail: expect.stringContaining('freeze: Freeze ('),
    });
  });
});

describe('InhibitionStage sources indexed by their `equal` values', () => {
  const rules = [
    {
      name: 'critical mutes warning of its cluster',
      sourceMatchers: ['severity="critical"'],
      targetMatchers: ['severity="warning"'],
      equal: ['cluster'],
    },
  ];
  const critical = (cluster?: string, alertname = 'NodeDown') => ({
    alertname,
    severity: 'critical',
    ...(cluster === undefined ? {} : { cluster }),
  });
  const warning = (cluster?: string) => ({ ...critical(cluster, 'NodeNotReady'), severity: 'warning' });

  /** A real pipeline's state, and the stage fed each alert as the pipeline feeds its own, after each delivery. */
  function setup() {
    const p = new AlertPipeline(alertsConfigSchema.parse({ autoRca: false, inhibitRules: rules }), []);
    const stage = new InhibitionStage(alertsConfigSchema.parse({ inhibitRules: rules }).inhibitRules);
    let now = T0;
    const send = (event: AlertEvent) => {
      now += S;
      const out = p.ingest([{ ...event, receivedAt: now }], now);
      if (out.changedAlerts.has(event.fingerprint))
        stage.observe!(p.alerts.get(event.fingerprint)!, undefined, p, now);
    };
    /** The mute, and how many sources the stage looked up to decide it. */
    const mute = (labels: Record<string, string>) => {
      const alerts = p.alerts as Map<string, TrackedAlert>;
      const target = alerts.get(labelsFingerprint(labels))!;
      const get = alerts.get;
      let lookups = 0;
      alerts.get = (key) => (lookups++, get.call(alerts, key));
      try {
        return { reason: stage.mute!(target, p, now), lookups };
      } finally {
        alerts.get = get;
      }
    };
    return { send, mute };
  }

  it("mutes a target by its own group's source only, meeting no other group's", () => {
    const { send, mute } = setup();
    for (let i = 0; i < 20; i++) send(firing(critical(`c${i}`), T0));
    send(firing(critical('c7', 'NodeDiskFull'), T0));
    // A source delivered again (here a new episode) keeps its place in its group.
    send(firing(critical('c7'), T0 + 5 * S));
    for (const cluster of ['c7', 'c19', 'c99']) send(firing(warning(cluster), T0));

    // The first source of its group names the mute, as when every source was scanned in order.
    expect(mute(warning('c7'))).toEqual({
      reason: {
        kind: 'inhibited',
        detail: `critical mutes warning of its cluster: NodeDown (${labelsFingerprint(critical('c7'))})`,
      },
      lookups: 1,
    });
    // Scanning every source met 20 for the last group and 21 for a group with none; the index meets its own.
    expect(mute(warning('c19'))).toMatchObject({ reason: { kind: 'inhibited' }, lookups: 1 });
    expect(mute(warning('c99'))).toEqual({ reason: undefined, lookups: 0 });
  });

  it('a source that resolves stops muting; the next source of its group mutes; firing again it mutes again', () => {
    const { send, mute } = setup();
    send(firing(critical('a'), T0));
    send(firing(critical('b'), T0));
    send(firing(critical('a', 'NodeDiskFull'), T0));
    send(firing(warning('a'), T0));
    send(firing(warning('b'), T0));

    send({ ...firing(critical('a'), T0), status: 'resolved' });
    expect(mute(warning('a')).reason?.detail).toContain(labelsFingerprint(critical('a', 'NodeDiskFull')));
    send({ ...firing(critical('a', 'NodeDiskFull'), T0), status: 'resolved' });
    expect(mute(warning('a')).reason).toBeUndefined();
    expect(mute(warning('b')).reason).toMatchObject({ kind: 'inhibited' });

    send(firing(critical('a'), T0 + 60 * S));
    expect(mute(warning('a')).reason?.detail).toContain(labelsFingerprint(critical('a')));
  });

  it('treats a missing `equal` label as the empty string, as Alertmanager does (and only like that)', () => {
    const { send, mute } = setup();
    send(firing(critical(undefined), T0));
    send(firing(critical('a'), T0));
    for (const cluster of [undefined, '', 'a', 'z']) send(firing(warning(cluster), T0));

    const noCluster = `(${labelsFingerprint(critical(undefined))})`;
    expect(mute(warning(undefined)).reason?.detail).toContain(noCluster);
    expect(mute(warning('')).reason?.detail).toContain(noCluster);
    expect(mute(warning('a')).reason?.detail).toContain(`(${labelsFingerprint(critical('a'))})`);
    expect(mute(warning('z')).reason).toBeUndefined();
  });
});

describe('InhibitionStage when the service graph changes', () => {
  it('judges a source named by `job` by the service the new graph reads from it', () => {
    const alert = (job: string, severity: string) => ({
      alertname: 'HighErrorRate',
      severity,
      namespace: 'shop',
      job,
    });
    const p = feed(
      [],
      [
        firing(alert('payments', 'critical'), T0),
        firing(alert('payments', 'warning'), T0 + 10 * S),
        firing(alert('orders', 'warning'), T0 + 20 * S),
      ],
    );
    const muteOf = (labels: Record<string, string>) =>
      p.muteOf(p.alerts.get(labelsFingerprint(labels))!, T0 + 30 * S)?.kind;
    // No graph: `job` names no known service, so none of the three has a service and `equal` finds them all equal.
    expect(muteOf(alert('payments', 'warning'))).toBe('inhibited');
    expect(muteOf(alert('orders', 'warning'))).toBe('inhibited');

    // The graph now knows payments (not orders): the critical is payments', and mutes payments' warning only.
    p.setTopology([{ from: 'checkout', to: 'payments' }]);
    expect(muteOf(alert('orders', 'warning'))).toBeUndefined();
    expect(muteOf(alert('payments', 'warning'))).toBe('inhibited');
  });
});
