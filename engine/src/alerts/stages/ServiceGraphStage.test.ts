import { describe, expect, it } from 'vitest';
import { AlertPipeline } from '../AlertPipeline.js';
import { alertsConfigSchema } from '../config.js';
import { labelsFingerprint } from '../fingerprint.js';
import type { AlertEvent } from '../types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const S = 1000;
// checkout → payments → postgres
const EDGES = [
  { from: 'checkout', to: 'payments' },
  { from: 'payments', to: 'postgres' },
];

function firing(labels: Record<string, string>, startsAt: number): AlertEvent {
  return { fingerprint: labelsFingerprint(labels), status: 'firing', labels, annotations: {}, startsAt, source: 'alertmanager', receivedAt: startsAt };
}

const svc = (service: string, alertname = 'HighErrorRate', severity = 'critical') => ({ alertname, severity, namespace: 'shop', service });
const pod = (name: string, node: string, alertname = 'KubePodNotReady') => ({ alertname, severity: 'warning', namespace: 'shop', pod: name, node });

/** Feeds each alert at its own start time; returns the pipeline. */
function feed(alerts: AlertEvent[]): AlertPipeline {
  const p = new AlertPipeline(alertsConfigSchema.parse({ autoRca: false }), EDGES);
  for (const a of [...alerts].sort((x, y) => x.startsAt - y.startsAt)) p.ingest([a], a.startsAt);
  return p;
}

const incidentOf = (p: AlertPipeline, labels: Record<string, string>) => p.alerts.get(labelsFingerprint(labels))!.incidentId;
const mergeOf = (p: AlertPipeline, labels: Record<string, string>) => p.alerts.get(labelsFingerprint(labels))!.merge;

describe('ServiceGraphStage', () => {
  it('joins a caller that fails after its callee, naming the edge', () => {
    const p = feed([firing(svc('payments'), T0), firing(svc('checkout'), T0 + 90 * S)]);
    expect(incidentOf(p, svc('checkout'))).toBe(incidentOf(p, svc('payments')));
    expect(mergeOf(p, svc('checkout'))).toMatchObject({ kind: 'service-graph', detail: 'edge checkout → payments' });
  });

  it('keeps a caller that failed a minute before its callee apart: failures travel from callee to caller', () => {
    // Both orders of arrival: the callee's alert looking for the caller's incident, and the caller's for the callee's.
    for (const [first, second] of [
      [firing(svc('checkout'), T0), firing(svc('payments'), T0 + 60 * S)],
      [firing(svc('payments'), T0 + 60 * S), firing(svc('checkout'), T0)],
    ] as const) {
      const p = new AlertPipeline(alertsConfigSchema.parse({ autoRca: false }), EDGES);
      p.ingest([first], T0 + 60 * S);
      p.ingest([second], T0 + 61 * S);
      expect(incidentOf(p, svc('checkout'))).not.toBe(incidentOf(p, svc('payments')));
    }
  });

  it('still joins within one rule-evaluation interval of skew (caller 20 s before callee)', () => {
    const p = feed([firing(svc('payments'), T0 + 20 * S), firing(svc('checkout'), T0)]);
    expect(incidentOf(p, svc('checkout'))).toBe(incidentOf(p, svc('payments')));
  });

  it("does not cross an edge through a pod's alert: one replica down is not its callers' failure", () => {
    const replica = pod('payments-7d9f8b6c5d-x2x7q', 'node-a');
    const p = feed([firing(replica, T0), firing(svc('checkout'), T0 + 60 * S), firing(pod('checkout-6c8d7f9b4-abcde', 'node-b', 'KubeContainerWaiting'), T0 + 70 * S)]);
    expect(incidentOf(p, svc('checkout'))).not.toBe(incidentOf(p, replica));
    // A pod's alert joins its own service's incident, not a neighbour's.
    expect(mergeOf(p, pod('checkout-6c8d7f9b4-abcde', 'node-b', 'KubeContainerWaiting'))).toMatchObject({ kind: 'same-service' });
  });

  it('keeps a service that is down apart from a callee that only errors, and joins it to a callee that is down too', () => {
    const errors = feed([firing(svc('payments'), T0), firing(svc('checkout', 'ServiceDown'), T0 + 60 * S)]);
    expect(incidentOf(errors, svc('checkout', 'ServiceDown'))).not.toBe(incidentOf(errors, svc('payments')));
    expect(mergeOf(errors, svc('checkout', 'ServiceDown'))).toMatchObject({ kind: 'opened' });

    const down = feed([firing(svc('payments', 'ServiceDown'), T0), firing(svc('checkout', 'ServiceDown'), T0 + 60 * S)]);
    expect(incidentOf(down, svc('checkout', 'ServiceDown'))).toBe(incidentOf(down, svc('payments', 'ServiceDown')));
  });
});
