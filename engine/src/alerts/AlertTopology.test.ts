import { describe, expect, it } from 'vitest';
import { labelsFingerprint } from './fingerprint.js';
import { feed, firing, incidentOf, mergeOf, S, T0 } from '../../test/support/alertPipelineFixture.js';

// checkout → payments
const EDGES = [{ from: 'checkout', to: 'payments' }];

describe('AlertTopology: the service an alert is about, whatever the label convention', () => {
  it('reads the service from the scrape job when the job names a service of the graph', () => {
    // prometheus-operator names a ServiceMonitor's job after its Service: a rule file written on `job` carries no `service`.
    const job = (name: string) => ({
      alertname: 'HighErrorRate',
      severity: 'critical',
      namespace: 'shop',
      job: name,
    });
    const p = feed(EDGES, [firing(job('payments'), T0), firing(job('checkout'), T0 + 90 * S)]);
    expect(incidentOf(p, job('checkout'))).toBe(incidentOf(p, job('payments')));
    expect(mergeOf(p, job('checkout'))).toMatchObject({
      kind: 'service-graph',
      detail: 'edge checkout → payments',
    });
  });

  it("does not take an exporter's job for a service: a kube-state-metrics pod alert belongs to its pod's service", () => {
    const podAlert = {
      alertname: 'KubePodCrashLooping',
      severity: 'warning',
      namespace: 'shop',
      pod: 'checkout-6c8d7f9b4-abcde',
      job: 'kube-state-metrics',
    };
    const other = {
      alertname: 'KubePodCrashLooping',
      severity: 'warning',
      namespace: 'shop',
      pod: 'payments-7d9f8b6c5d-x2x7q',
      job: 'kube-state-metrics',
    };
    const p = feed(EDGES, [firing(podAlert, T0), firing(other, T0 + 10 * S)]);
    expect(p.subjectOf(p.alerts.get(labelsFingerprint(podAlert))!)).toMatchObject({
      service: 'checkout',
      serviceFrom: 'owner-chain',
    });
    // Two pods of different services are not one "kube-state-metrics" service.
    expect(incidentOf(p, other)).not.toBe(incidentOf(p, podAlert));
  });
});
