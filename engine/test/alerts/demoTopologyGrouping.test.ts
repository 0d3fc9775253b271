import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../../src/server/app.js';
import { startDemoApp, type DemoApp } from '../support/index.js';

/**
 * Alerts group along the graph RCA sees, not only the configured one: the demo configures no edges (its graph comes
 * from the client request metrics), so before, two alerts on checkout and payment (checkout calls payment) opened
 * two incidents, and the Grafana Alerts page showed them apart. Alerts on services with no call between them stay apart.
 */
let demo: DemoApp;
let app: FastifyInstance;

beforeAll(async () => {
  demo = await startDemoApp();
  app = demo.app;
}, 60_000);
afterAll(async () => {
  await demo?.close();
});

type Incident = {
  id: string;
  services: string[];
  alerts: Array<{ labels: Record<string, string>; reason: { kind: string; detail: string } }>;
};

const post = async (services: string[], alertname: string) => {
  const startsAt = new Date(Date.now() - 300_000).toISOString();
  const alerts = services.map((service) => ({
    labels: { alertname, service, namespace: 'shop', severity: 'critical' },
    status: 'firing',
    startsAt,
  }));
  const res = await app.inject({ method: 'POST', url: `${API_PREFIX}/alerts`, payload: { alerts } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { incidents: string[] }).incidents;
};

const incident = async (id: string): Promise<Incident> => {
  const res = await app.inject({ method: 'GET', url: `${API_PREFIX}/incidents/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json() as Incident;
};

describe('alert grouping along the demo shop service graph', () => {
  it('joins a caller and its callee into one incident and says which edge joined them', async () => {
    const ids = await post(['checkout', 'payment'], 'HighLatency');
    expect(new Set(ids).size).toBe(1);
    const joined = await incident(ids[0]!);
    expect(joined.services.sort()).toEqual(['checkout', 'payment']);
    expect(joined.alerts.map((a) => a.reason)).toContainEqual(
      expect.objectContaining({ kind: 'service-graph', detail: 'edge checkout → payment' }),
    );
  }, 60_000);

  it('keeps services with no call between them apart', async () => {
    // ads and redis-cart: no call between them, nor to checkout or payment (frontend calls ads, cart redis-cart).
    const ids = await post(['ads', 'redis-cart'], 'HighErrorRate');
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect((await incident(id)).services).toHaveLength(1);
  }, 60_000);
});
