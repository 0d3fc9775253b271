import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/AlertService.js';
import { alertsOf } from '../../src/alerts/alertsOf.js';
import { repairFindingSink } from '../../src/alerts/repairFindingAlerts.js';
import type { Engine } from '../../src/engine.js';
import type { Finding } from '../../src/repair/types.js';
import { API_PREFIX } from '../../src/server/app.js';
import { startDemoApp, type DemoApp } from '../support/index.js';

/**
 * Found on a new-user walk: a node-not-ready fault's NodeNotReady finding became an incident whose service was the node
 * (`services=sim-node-2`, labels `service: sim-node-2`), and its automatic RCA failed `NOT_FOUND: no series or workload
 * named "sim-node-2"`. A node finding is labelled `node`; the automatic RCA targets a service of the incident (a pod's
 * on that node) or is not started, the incident saying why.
 */
let demo: DemoApp;
let engine: Engine;
let app: FastifyInstance;

beforeAll(async () => {
  demo = await startDemoApp({
    // Critical alerts page 2 s after their onset (the default waits 2 minutes), automatic RCA on (the default).
    alerts: { pagingRules: [{ matchers: ['severity="critical"'], page: true, forSeconds: 2 }] },
  });
  ({ engine, app } = demo);
}, 60_000);
afterAll(async () => {
  await demo?.close();
});

/** A NodeNotReady finding as the repair scan makes it (nodeFindings.ts): the Node is the object and the workload. */
function nodeNotReady(node: string, since: number): Finding {
  const ref = { kind: 'Node', namespace: '', name: node };
  return {
    fingerprint: `node-not-ready-${node}`,
    type: 'NodeNotReady',
    object: ref,
    owners: [],
    workload: ref,
    evidence: { statuses: [], events: [] },
    since: new Date(since).toISOString(),
    heldSeconds: 90,
    severity: 'critical',
    message: `Node ${node}: Ready=False (KubeletNotReady)`,
    details: { node, podsOnNode: 4 },
  } as unknown as Finding;
}

type Incident = {
  id: string;
  title: string;
  services: string[];
  rcaId?: string;
  rcaSkipped?: string;
  notifiedAt?: string;
  alerts: Array<{ labels: Record<string, string>; reason: { kind: string } }>;
};

const incidentOf = async (label: string, value: string): Promise<Incident | undefined> => {
  const res = await app.inject({ method: 'GET', url: `${API_PREFIX}/incidents?status=all` });
  return (res.json() as { items: Incident[] }).items.find((i) =>
    i.alerts.some((a) => a.labels[label] === value),
  );
};

describe('a NodeNotReady finding as an alert', () => {
  it('is labelled with its node, not as a service, and its incident starts no RCA and says why', async () => {
    const sink = repairFindingSink(alertsOf(engine), pino({ level: 'silent' }));
    sink({ at: new Date().toISOString(), findings: [nodeNotReady('sim-node-3', Date.now() - 120_000)] });

    await expect
      .poll(async () => (await incidentOf('node', 'sim-node-3'))?.notifiedAt, { timeout: 15_000 })
      .toBeDefined();
    const incident = (await incidentOf('node', 'sim-node-3'))!;
    const [alert] = incident.alerts;
    expect(alert!.labels).toMatchObject({ alertname: 'RepairNodeNotReady', node: 'sim-node-3' });
    expect(alert!.labels).not.toHaveProperty('service');
    expect(alert!.labels).not.toHaveProperty('workload');
    expect(incident.title).toBe('RepairNodeNotReady on node sim-node-3');
    expect(incident.services).toEqual([]);
    // No RCA against the node: none linked, and the reason on the incident.
    await expect
      .poll(async () => (await incidentOf('node', 'sim-node-3'))?.rcaSkipped, { timeout: 10_000 })
      .toContain('node sim-node-3 is not a service');
    expect((await incidentOf('node', 'sim-node-3'))!.rcaId).toBeUndefined();

    // The reason is in the log: an engine restarted from the store shows it the same.
    const replayed = new AlertService({
      store: engine.context.store,
      config: engine.config.alerts,
      edges: async () => [],
    });
    await replayed.start({ tick: false });
    try {
      expect((await replayed.getIncident(incident.id)).rcaSkipped).toBe(incident.rcaSkipped);
    } finally {
      replayed.stop();
    }
  }, 60_000);

  it("groups with the alerts of pods on its node, and the incident's RCA targets their service", async () => {
    const onset = Date.now();
    const sink = repairFindingSink(alertsOf(engine), pino({ level: 'silent' }));
    sink({ at: new Date().toISOString(), findings: [nodeNotReady('sim-node-1', onset)] });
    // A pod on that node failing its readiness, as kube-state-metrics labels it (pod and node).
    const res = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/alerts`,
      payload: {
        alerts: [
          {
            labels: {
              alertname: 'KubePodNotReady',
              severity: 'critical',
              namespace: 'shop',
              service: 'cart',
              pod: 'cart-7d9f8b6c5d-x2x9q',
              node: 'sim-node-1',
            },
            status: 'firing',
            startsAt: new Date(onset + 1_000).toISOString(),
          },
        ],
      },
    });
    expect(res.statusCode).toBe(200);

    await expect
      .poll(async () => (await incidentOf('node', 'sim-node-1'))?.rcaId, { timeout: 15_000 })
      .toBeDefined();
    const incident = (await incidentOf('node', 'sim-node-1'))!;
    expect(incident.alerts.map((a) => a.labels.alertname).sort()).toEqual([
      'KubePodNotReady',
      'RepairNodeNotReady',
    ]);
    expect(incident.alerts.map((a) => a.reason.kind)).toContain('kubernetes-node');
    expect(incident.services).toEqual(['cart']);
    expect(incident.rcaSkipped).toBeUndefined();
    // The RCA analyses cart, in the pod's namespace; it ran on the node before and failed.
    await expect
      .poll(
        async () => {
          const rca = await app.inject({ method: 'GET', url: `${API_PREFIX}/rca/${incident.rcaId}` });
          return rca.statusCode === 200
            ? (rca.json() as { target?: { service: string }; namespace?: string })
            : undefined;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toMatchObject({ target: { service: 'cart' }, namespace: 'shop' });
  }, 90_000);
});
