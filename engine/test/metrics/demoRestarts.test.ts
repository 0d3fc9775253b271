import { CoreV1Api } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';

/**
 * The demo's restart metric and its pods' status tell one story: after a crash loop is injected, at every tick the
 * `kube_pod_container_status_restarts_total` of a pod, as the demo's Prometheus scrape endpoint answers (and its
 * PromQL route at each 15 s scrape point), equals the restartCount the in-process API server reports for that pod. (Before, the metric came
 * from its own back-off model: `restarts=0` beside a pod with six restarts, and the scrape named made-up pods.)
 */
let engine: Engine;
let app: FastifyInstance;
let core: CoreV1Api;

beforeAll(async () => {
  // One clock for the cluster, the scrape endpoint (Date.now) and the PromQL route: Date only is faked.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 11, 1, 14, 0, 0) });
  const config = parseConfig({
    profile: 'demo',
    logLevel: 'silent',
    cluster: { kind: 'simulated', injectFaults: false },
  });
  engine = await createEngine(config, { logger: pino({ level: 'silent' }), clock: () => Date.now() });
  app = await buildApp(engine);
  await app.ready();
  core = engine.demo!.cluster.kubeConfig().makeApiClient(CoreV1Api);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await engine?.close();
  vi.useRealTimers();
});

async function podRestarts(service: string): Promise<Map<string, number>> {
  const { items } = await core.listNamespacedPod({ namespace: 'shop', labelSelector: `app=${service}` });
  return new Map(
    items
      .filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp)
      .map((p) => [
        p.metadata!.name!,
        p.status!.containerStatuses!.find((c) => c.name === service)!.restartCount,
      ]),
  );
}

async function scrapedRestarts(pod: string): Promise<number | undefined> {
  const response = await app.inject({ method: 'GET', url: '/demo/metrics' });
  expect(response.statusCode).toBe(200);
  const line = response.body
    .split('\n')
    .find((l) => l.startsWith('kube_pod_container_status_restarts_total{') && l.includes(`pod="${pod}"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function queriedRestarts(pod: string): Promise<number[]> {
  const query = encodeURIComponent(`kube_pod_container_status_restarts_total{namespace="shop",pod="${pod}"}`);
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/metrics/query?query=${query}&time=${Date.now() / 1000}`,
  });
  expect(response.statusCode).toBe(200);
  return (response.json() as { samples: Array<{ value: number }> }).samples.map((s) => s.value);
}

describe('demo restarts: metric and pod status agree', () => {
  it('at every tick of a freshly injected crash loop, for every pod of the service', async () => {
    const injected = await app.inject({
      method: 'POST',
      url: '/api/v1/demo/faults',
      payload: { type: 'crash-loop', service: 'cart' },
    });
    expect(injected.statusCode).toBe(201);
    let seen = 0;
    for (let tick = 0; tick < 80; tick++) {
      vi.setSystemTime(Date.now() + 1000);
      engine.demo!.cluster.step(1);
      const pods = await podRestarts('cart');
      expect(pods.size).toBeGreaterThan(0);
      for (const [pod, restarts] of pods) {
        expect({ tick, pod, scraped: await scrapedRestarts(pod) }).toEqual({ tick, pod, scraped: restarts });
        // PromQL reads the 15 s scrape grid, as a Prometheus scraping the endpoint would: compare on its points.
        if (Date.now() % 15_000 === 0)
          expect({ tick, pod, queried: await queriedRestarts(pod) }).toEqual({
            tick,
            pod,
            queried: [restarts],
          });
        seen = Math.max(seen, restarts);
      }
    }
    // The crash loop did restart the pods (killed at 0, 11, 32 and 73 s: the kubelet's back-off of 10, 20, 40 s), so
    // the equality is not 0 = 0.
    expect(seen).toBe(4);
  }, 120_000);
});
