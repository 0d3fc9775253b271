import { describe, expect, it } from 'vitest';
import { AlertPipeline } from './AlertPipeline.js';
import { alertsConfigSchema, type AlertsConfig } from './config.js';
import { labelsFingerprint } from './fingerprint.js';
import type { AlertEvent, Notification } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const MIN = 60_000;
// checkout → payments → postgres; frontend → checkout
const EDGES = [
  { from: 'frontend', to: 'checkout' },
  { from: 'checkout', to: 'payments' },
  { from: 'payments', to: 'postgres' },
];

function config(overrides: Record<string, unknown> = {}): AlertsConfig {
  return alertsConfigSchema.parse({ autoRca: false, ...overrides });
}

function alert(
  labels: Record<string, string>,
  startsAt: number,
  status: 'firing' | 'resolved' = 'firing',
  endsAt?: number,
): AlertEvent {
  return {
    fingerprint: labelsFingerprint(labels),
    status,
    labels,
    annotations: {},
    startsAt,
    ...(status === 'resolved' ? { endsAt: endsAt ?? startsAt + MIN } : {}),
    source: 'alertmanager',
    receivedAt: startsAt,
  };
}

/** Feeds (time, events) steps and ticks the clock every 5 s in between, collecting notifications. */
function run(pipeline: AlertPipeline, steps: Array<[number, AlertEvent[]]>, until?: number): Notification[] {
  const sent: Notification[] = [];
  let clock = steps[0]![0];
  for (const [at, events] of steps) {
    for (; clock + 5_000 < at; clock += 5_000) sent.push(...pipeline.tick(clock + 5_000).notifications);
    clock = at;
    sent.push(...pipeline.ingest(events, at).notifications);
  }
  for (const end = until ?? clock; clock < end; clock += 5_000)
    sent.push(...pipeline.tick(clock + 5_000).notifications);
  return sent;
}

const svc = (service: string, alertname = 'HighErrorRate', severity = 'critical') => ({
  alertname,
  severity,
  namespace: 'shop',
  service,
});

describe('AlertPipeline', () => {
  it('groups a cascade along service-graph edges into one incident and pages it once, naming every merge', () => {
    const p = new AlertPipeline(config(), EDGES);
    const sent = run(
      p,
      [
        [T0, [alert(svc('postgres', 'ServiceDown'), T0)]],
        [T0 + MIN, [alert(svc('payments'), T0 + MIN)]],
        [T0 + 2 * MIN, [alert(svc('checkout'), T0 + 2 * MIN)]],
        [T0 + 3 * MIN, [alert(svc('frontend', 'HighLatency', 'warning'), T0 + 3 * MIN)]],
      ],
      T0 + 10 * MIN,
    );
    expect(p.incidents.size).toBe(1);
    const incident = [...p.incidents.values()][0]!;
    expect(incident.members.map((m) => m.reason.kind)).toEqual([
      'opened',
      'service-graph',
      'service-graph',
      'service-graph',
    ]);
    expect(incident.members[1]!.reason.detail).toBe('edge payments → postgres');
    expect(incident.services).toEqual(['postgres', 'payments', 'checkout', 'frontend']);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.incident).toBe(incident.id);
  });

  it('sends one update when a paged incident takes in a new failure that would page by itself', () => {
    // A 10-minute onset window: the page goes out 6 minutes after the onset (60 s + the default 300 s resolution latency).
    const p = new AlertPipeline(
      config({
        groupWindowSeconds: 600,
        pagingRules: [
          { matchers: ['severity="critical"'], page: true, forSeconds: 60 },
          { matchers: [], page: false },
        ],
      }),
      EDGES,
    );
    const sent = run(
      p,
      [
        [T0, [alert(svc('payments'), T0)]],
        // Begins after the page went out, next door: an update, not a second incident and not silence.
        [
          T0 + 8 * MIN,
          [
            alert(svc('checkout'), T0 + 8 * MIN),
            alert(svc('checkout', 'HighLatency', 'warning'), T0 + 8 * MIN),
          ],
        ],
      ],
      T0 + 20 * MIN,
    );
    expect(sent.map((n) => n.kind)).toEqual(['opened', 'updated']);
    expect(sent[1]!.incident).toBe(sent[0]!.incident);
    expect(sent[1]!.fingerprints).toEqual([labelsFingerprint(svc('checkout'))]);
    expect(p.stats().notifications).toBe(2);
  });

  it('keeps unrelated services apart, and a later failure next door is a new incident', () => {
    const p = new AlertPipeline(config(), EDGES);
    run(p, [
      [T0, [alert(svc('postgres'), T0)]],
      [T0 + MIN, [alert(svc('frontend'), T0 + MIN)]],
      // payments is next to postgres, but starts 30 minutes after it: outside the onset window.
      [T0 + 30 * MIN, [alert(svc('payments'), T0 + 30 * MIN)]],
    ]);
    expect(p.incidents.size).toBe(3);
  });

  it('is idempotent: the same delivery again changes nothing, and a late firing after its resolution is ignored', () => {
    const p = new AlertPipeline(config(), EDGES);
    const firing = alert(svc('payments'), T0);
    const first = p.ingest([firing], T0);
    expect(first.changedAlerts.size).toBe(1);
    const again = p.ingest([firing], T0 + 10_000);
    expect(again.changedAlerts.size).toBe(0);
    expect(again.changedIncidents.size).toBe(0);
    p.ingest([alert(svc('payments'), T0, 'resolved', T0 + 5 * MIN)], T0 + 5 * MIN);
    const late = p.ingest([firing], T0 + 6 * MIN);
    expect(late.changedAlerts.size).toBe(0);
    expect(p.alerts.get(firing.fingerprint)!.status).toBe('resolved');
    expect(p.stats()).toMatchObject({ duplicates: 1, stale: 1, accepted: 2 });
  });

  it('holds a single critical alert for T and never pages one that resolves sooner', () => {
    const p = new AlertPipeline(config(), EDGES);
    const blip = svc('checkout');
    const sent = run(
      p,
      [
        [T0, [alert(blip, T0)]],
        [T0 + 2 * MIN, [alert(blip, T0, 'resolved', T0 + 2 * MIN)]],
        [T0 + 20 * MIN, [alert(svc('payments', 'HighLatency'), T0 + 20 * MIN)]],
      ],
      T0 + 30 * MIN,
    );
    expect(sent).toHaveLength(1);
    const paged = p.incidents.get(sent[0]!.incident)!;
    expect(paged.title).toBe('HighLatency on payments');
    // for T = 300 s by default: paged no earlier than 5 minutes after the onset.
    expect(sent[0]!.at - (T0 + 20 * MIN)).toBeGreaterThanOrEqual(5 * MIN);
    const blipIncident = [...p.incidents.values()].find((i) => i.title === 'HighErrorRate on checkout')!;
    expect(blipIncident.notifiedAt).toBeUndefined();
    expect(blipIncident.status).toBe('resolved');
  });

  it('warnings alone never page; "after N" waits for N alerts of its rule; "N of M" for N of the last M firing', () => {
    const rules = [
      { matchers: ['alertname="KubePodNotReady"'], page: true, afterCount: 2, nOfM: { n: 2, m: 3 } },
      { matchers: [], page: false },
    ];
    // A 10-minute onset window, so the second pod 9 minutes on still joins the first.
    const p = new AlertPipeline(config({ pagingRules: rules, groupWindowSeconds: 600 }), EDGES);
    const pod = (name: string) => ({
      alertname: 'KubePodNotReady',
      severity: 'warning',
      namespace: 'shop',
      pod: `payments-7d9f8b6c5d-${name}`,
    });
    let sent = run(p, [[T0, [alert(pod('aaaaa'), T0)]]], T0 + 8 * MIN);
    expect(sent).toHaveLength(0);
    const incident = [...p.incidents.values()][0]!;
    expect(incident.heldBecause).toBe('1 of the 2 alerts its rule waits for');
    sent = run(p, [[T0 + 9 * MIN, [alert(pod('bbbbb'), T0 + 9 * MIN)]]]);
    expect(sent).toHaveLength(1);
    expect(incident.members[1]!.reason).toMatchObject({
      kind: 'kubernetes-owner',
      detail: 'pod payments-7d9f8b6c5d-bbbbb → workload payments',
    });
  });

  it('flapping: k state changes in T hold the incident open and mute the alert, no page after it flaps', () => {
    const pagingRules = [{ matchers: [], page: true, forSeconds: 0 }];
    const p = new AlertPipeline(
      config({ pagingRules, flap: { changes: 4, windowSeconds: 1800, quietSeconds: 1800 } }),
      EDGES,
    );
    const labels = svc('payments');
    const steps: Array<[number, AlertEvent[]]> = [];
    for (let k = 0; k < 4; k++) {
      const start = T0 + k * 8 * MIN;
      steps.push(
        [start, [alert(labels, start)]],
        [start + 6 * MIN, [alert(labels, start, 'resolved', start + 6 * MIN)]],
      );
    }
    const sent = run(p, steps, T0 + 40 * MIN);
    const tracked = p.alerts.get(labelsFingerprint(labels))!;
    expect(tracked.flapping).toBe(true);
    expect(p.muteOf(tracked, T0 + 40 * MIN)?.kind).toBe('flapping');
    // Paged for the first two episodes; from the fourth state change (T0 + 14 min) on it is muted and held open.
    expect(sent.map((n) => n.at)).toEqual([T0, T0 + 8 * MIN]);
    const incident = p.incidents.get(tracked.incidentId!)!;
    expect(incident.status).toBe('open');
    // After quietSeconds without a change, hysteresis releases it and the incident resolves.
    run(p, [[T0 + 40 * MIN, []]], T0 + 80 * MIN);
    expect(tracked.flapping).toBe(false);
    expect(incident.status).toBe('resolved');
  });

  it('inhibits like Alertmanager (source, target, equal) and by topology (node down, dependency down)', () => {
    const p = new AlertPipeline(config(), EDGES);
    p.ingest(
      [
        alert(svc('payments', 'HighLatency', 'critical'), T0),
        alert(svc('payments', 'HighLatency', 'warning'), T0),
      ],
      T0,
    );
    const warning = p.alerts.get(labelsFingerprint(svc('payments', 'HighLatency', 'warning')))!;
    expect(p.muteOf(warning, T0)).toMatchObject({ kind: 'inhibited' });

    const q = new AlertPipeline(config(), EDGES);
    const podOnNode = {
      alertname: 'KubePodNotReady',
      severity: 'warning',
      namespace: 'shop',
      pod: 'cart-6c8d7f9b4-x2x7q',
      node: 'node-a',
    };
    q.ingest([alert({ alertname: 'KubeNodeNotReady', severity: 'critical', node: 'node-a' }, T0)], T0);
    q.ingest(
      [
        alert(podOnNode, T0 + 30_000),
        alert(svc('checkout'), T0 + 30_000),
        alert(svc('payments', 'ServiceDown'), T0 + 30_000),
      ],
      T0 + 30_000,
    );
    const pod = q.alerts.get(labelsFingerprint(podOnNode))!;
    expect(q.muteOf(pod, T0 + MIN)).toMatchObject({
      kind: 'topology-inhibited',
      detail: 'node node-a is down; pod cart-6c8d7f9b4-x2x7q runs on it',
    });
    expect(pod.merge).toMatchObject({ kind: 'kubernetes-node' });
    const caller = q.alerts.get(labelsFingerprint(svc('checkout')))!;
    expect(q.muteOf(caller, T0 + MIN)).toMatchObject({
      kind: 'topology-inhibited',
      detail: 'its dependency payments is down (edge checkout → payments)',
    });

    // An edge the metrics saw in production: payments down in staging mutes nothing there.
    const r = new AlertPipeline(
      config(),
      EDGES.map((e) => ({ ...e, namespace: 'shop' })),
    );
    const staging = (service: string, alertname: string) => ({
      ...svc(service, alertname),
      namespace: 'staging',
    });
    r.ingest(
      [alert(staging('payments', 'ServiceDown'), T0), alert(svc('checkout'), T0 + 30_000)],
      T0 + 30_000,
    );
    expect(r.muteOf(r.alerts.get(labelsFingerprint(svc('checkout')))!, T0 + MIN)).toBeUndefined();
  });

  it('suppresses during maintenance (alert or window) and alerts caused by the engine’s own repairs', () => {
    const p = new AlertPipeline(config(), EDGES);
    p.addSuppression({
      id: 'w1',
      kind: 'rollout',
      matchers: ['service="frontend"'],
      startsAt: T0,
      endsAt: T0 + 30 * MIN,
      reason: 'v2 rollout',
    });
    const sent = run(
      p,
      [
        [
          T0,
          [alert({ alertname: 'Maintenance', severity: 'none', namespace: 'shop', service: 'postgres' }, T0)],
        ],
        [T0 + MIN, [alert(svc('postgres'), T0 + MIN), alert(svc('frontend'), T0 + MIN)]],
        [T0 + 2 * MIN, [alert({ ...svc('cart'), aicloudops_repair_id: 'rep-1' }, T0 + 2 * MIN)]],
      ],
      T0 + 20 * MIN,
    );
    expect(sent).toHaveLength(0);
    const reasons = [svc('postgres'), svc('frontend'), { ...svc('cart'), aicloudops_repair_id: 'rep-1' }].map(
      (l) => p.muteOf(p.alerts.get(labelsFingerprint(l))!, T0 + 20 * MIN)?.kind,
    );
    expect(reasons).toEqual(['inhibited', 'rollout', 'repair']);
  });

  it.each([
    ['all', 'open'],
    ['first', 'resolved'],
  ] as const)('resolve policy %s: the opener resolving leaves the incident %s', (policy, expected) => {
    const p = new AlertPipeline(config({ resolvePolicy: policy }), EDGES);
    p.ingest([alert(svc('payments'), T0), alert(svc('checkout'), T0 + 10_000)], T0 + 10_000);
    p.ingest([alert(svc('payments'), T0, 'resolved', T0 + 5 * MIN)], T0 + 5 * MIN);
    expect([...p.incidents.values()][0]!.status).toBe(expected);
  });

  it('resolve policy last: resolves when the last alert that joined resolves', () => {
    const p = new AlertPipeline(config({ resolvePolicy: 'last' }), EDGES);
    p.ingest([alert(svc('payments'), T0), alert(svc('checkout'), T0 + 10_000)], T0 + 10_000);
    p.ingest([alert(svc('checkout'), T0 + 10_000, 'resolved', T0 + 5 * MIN)], T0 + 5 * MIN);
    expect([...p.incidents.values()][0]!.status).toBe('resolved');
  });

  it('joins alerts Alertmanager grouped by service, and ignores a group keyed only by alertname', () => {
    const p = new AlertPipeline(config({ topologyGrouping: false, groupBy: [] }), []);
    const a = { ...alert(svc('cart', 'HighLatency'), T0), groupKey: '{}:{service="cart"}' };
    const b = {
      ...alert({ alertname: 'QueueBacklog', severity: 'warning', queue: 'orders' }, T0),
      groupKey: '{}:{service="cart"}',
    };
    const c = { ...alert(svc('ledger', 'HighLatency'), T0), groupKey: '{}:{alertname="HighLatency"}' };
    const d = { ...alert(svc('email', 'HighLatency'), T0), groupKey: '{}:{alertname="HighLatency"}' };
    p.ingest([a, b, c, d], T0);
    expect(p.incidents.size).toBe(3);
    expect(p.alerts.get(b.fingerprint)!.merge).toMatchObject({ kind: 'alertmanager-group' });
  });
});
