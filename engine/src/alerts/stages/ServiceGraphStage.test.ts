import { describe, expect, it } from 'vitest';
import { AlertPipeline } from '../AlertPipeline.js';
import { labelsFingerprint } from '../fingerprint.js';
import { alertsConfigSchema } from '../config.js';
import { feed, firing, incidentOf, mergeOf, pod, S, T0 } from '../../../test/support/alertPipelineFixture.js';

// checkout → payments → postgres
const EDGES = [
  { from: 'checkout', to: 'payments' },
  { from: 'payments', to: 'postgres' },
];
const svc = (service: string, alertname = 'HighErrorRate', severity = 'critical') => ({
  alertname,
  severity,
  namespace: 'shop',
  service,
});

describe('ServiceGraphStage', () => {
  it('joins a caller that fails after its callee, naming the edge', () => {
    const p = feed(EDGES, [firing(svc('payments'), T0), firing(svc('checkout'), T0 + 90 * S)]);
    expect(incidentOf(p, svc('checkout'))).toBe(incidentOf(p, svc('payments')));
    expect(mergeOf(p, svc('checkout'))).toMatchObject({
      kind: 'service-graph',
      detail: 'edge checkout → payments',
    });
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
    const p = feed(EDGES, [firing(svc('payments'), T0 + 20 * S), firing(svc('checkout'), T0)]);
    expect(incidentOf(p, svc('checkout'))).toBe(incidentOf(p, svc('payments')));
  });

  it("does not cross an edge through a pod's alert: one replica down is not its callers' failure", () => {
    const replica = pod('payments-7d9f8b6c5d-x2x7q', 'node-a');
    const p = feed(EDGES, [
      firing(replica, T0),
      firing(svc('checkout'), T0 + 60 * S),
      firing(pod('checkout-6c8d7f9b4-abcde', 'node-b', 'KubeContainerWaiting'), T0 + 70 * S),
    ]);
    expect(incidentOf(p, svc('checkout'))).not.toBe(incidentOf(p, replica));
    // A pod's alert joins its own service's incident, not a neighbour's.
    expect(mergeOf(p, pod('checkout-6c8d7f9b4-abcde', 'node-b', 'KubeContainerWaiting'))).toMatchObject({
      kind: 'same-service',
    });
  });

  it('keeps a service that is down apart from a callee that only errors, and joins it to a callee that is down too', () => {
    const errors = feed(EDGES, [
      firing(svc('payments'), T0),
      firing(svc('checkout', 'ServiceDown'), T0 + 60 * S),
    ]);
    expect(incidentOf(errors, svc('checkout', 'ServiceDown'))).not.toBe(incidentOf(errors, svc('payments')));
    expect(mergeOf(errors, svc('checkout', 'ServiceDown'))).toMatchObject({ kind: 'opened' });

    const down = feed(EDGES, [
      firing(svc('payments', 'ServiceDown'), T0),
      firing(svc('checkout', 'ServiceDown'), T0 + 60 * S),
    ]);
    expect(incidentOf(down, svc('checkout', 'ServiceDown'))).toBe(
      incidentOf(down, svc('payments', 'ServiceDown')),
    );
  });

  describe('namespaces: the same names in staging and production are different services', () => {
    const inNs = (namespace: string | undefined, service: string) => ({
      alertname: 'HighErrorRate',
      severity: 'critical',
      service,
      ...(namespace ? { namespace } : {}),
    });

    it('does not join the same service name in another namespace, and does join an alert that names no namespace', () => {
      const p = feed(EDGES, [
        firing(inNs('staging', 'payments'), T0),
        firing(inNs('prod', 'payments'), T0 + 30 * S),
        firing(inNs(undefined, 'payments'), T0 + 40 * S),
      ]);
      expect(incidentOf(p, inNs('prod', 'payments'))).not.toBe(incidentOf(p, inNs('staging', 'payments')));
      expect(incidentOf(p, inNs(undefined, 'payments'))).toBe(incidentOf(p, inNs('staging', 'payments')));
    });

    it('crosses an edge the metrics saw in one namespace only there; an operator-declared edge holds in every namespace', () => {
      const seenInStaging = [{ from: 'checkout', to: 'payments', namespace: 'staging' }];
      const alerts = (ns: string) => [
        firing(inNs(ns, 'payments'), T0),
        firing(inNs(ns, 'checkout'), T0 + 60 * S),
      ];
      const staging = feed(seenInStaging, alerts('staging'));
      expect(incidentOf(staging, inNs('staging', 'checkout'))).toBe(
        incidentOf(staging, inNs('staging', 'payments')),
      );
      const prod = feed(seenInStaging, alerts('prod'));
      expect(incidentOf(prod, inNs('prod', 'checkout'))).not.toBe(incidentOf(prod, inNs('prod', 'payments')));
      const declared = feed(EDGES, alerts('prod'));
      expect(incidentOf(declared, inNs('prod', 'checkout'))).toBe(
        incidentOf(declared, inNs('prod', 'payments')),
      );
    });

    it('crosses namespaces along an operator-declared edge (a shared database), not along one the metrics saw in one namespace', () => {
      const alerts = [firing(inNs('data', 'payments'), T0), firing(inNs('prod', 'checkout'), T0 + 60 * S)];
      const declared = feed(EDGES, alerts);
      expect(incidentOf(declared, inNs('prod', 'checkout'))).toBe(
        incidentOf(declared, inNs('data', 'payments')),
      );
      const seenInProd = feed([{ from: 'checkout', to: 'payments', namespace: 'prod' }], alerts);
      expect(incidentOf(seenInProd, inNs('prod', 'checkout'))).not.toBe(
        incidentOf(seenInProd, inNs('data', 'payments')),
      );
    });

    it("keeps an operator-declared edge in the caller's namespace when the callee's name runs there too (DNS resolves a short name there first)", () => {
      // payments runs in prod and in staging (its alerts came from both): prod's checkout calls prod's payments.
      const down = (ns: string) => ({ ...inNs(ns, 'payments'), alertname: 'ServiceDown' });
      const alerts = [
        firing(inNs('prod', 'payments'), T0 - 3600 * S),
        firing(down('staging'), T0),
        firing(inNs('prod', 'checkout'), T0 + 60 * S),
      ];
      const p = feed(EDGES, alerts);
      expect(incidentOf(p, inNs('prod', 'checkout'))).not.toBe(incidentOf(p, down('staging')));
      // Nor does staging's payments being down mute prod's checkout as its echo.
      const checkout = p.alerts.get(labelsFingerprint(inNs('prod', 'checkout')))!;
      expect(p.muteOf(checkout, T0 + 90 * S)).toBeUndefined();
      // Staging's checkout is its echo.
      const staging = feed(EDGES, [...alerts, firing(inNs('staging', 'checkout'), T0 + 60 * S)]);
      expect(incidentOf(staging, inNs('staging', 'checkout'))).toBe(incidentOf(staging, down('staging')));
    });
  });
});
