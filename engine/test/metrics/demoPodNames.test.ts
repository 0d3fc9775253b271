import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { ShopMetricsGenerator } from '../../src/sim/metrics/ShopMetricsGenerator.js';
import { SyntheticMetricsSource } from '../../src/sources/metrics/SyntheticMetricsSource.js';

/**
 * The demo's metrics name the pods the simulated cluster runs: what `kubectl get pods` lists is what
 * `rate(...{pod="..."})` answers for, before and after pods change (a scale-up, a deleted pod replaced under a new
 * name), and the shop's service totals stay those of the model without pod names.
 */
let engine: Engine;
let core: CoreV1Api;
let apps: AppsV1Api;
const clock = { ms: Date.UTC(2026, 11, 1, 14, 0, 0) };
const now = () => clock.ms / 1000;

beforeAll(async () => {
  const config = parseConfig({
    profile: 'demo',
    logLevel: 'silent',
    cluster: { kind: 'simulated', injectFaults: false },
  });
  engine = await createEngine(config, { logger: pino({ level: 'silent' }), clock: () => clock.ms });
  const kc = engine.demo!.cluster.kubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

function advance(seconds: number): void {
  for (let i = 0; i < seconds; i++) {
    clock.ms += 1000;
    engine.demo!.cluster.step(1);
  }
}

async function runningPods(): Promise<string[]> {
  const { items } = await core.listNamespacedPod({ namespace: 'shop' });
  return items
    .filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp)
    .map((p) => p.metadata!.name!)
    .sort();
}

async function podsWithSeries(metric: string, at: number): Promise<string[]> {
  const samples = await engine.context.metrics.instantQuery(
    `sum by (pod) (rate(${metric}{namespace="shop"}[1m]))`,
    at,
  );
  return samples.map((s) => s.labels.pod!).sort();
}

async function serviceTotals(
  source: { instantQuery: Engine['context']['metrics']['instantQuery'] },
  at: number,
) {
  const samples = await source.instantQuery(
    'sum by (service) (rate(http_requests_total{namespace="shop"}[1m]))',
    at,
  );
  return new Map(samples.map((s) => [s.labels.service!, s.value]));
}

describe('demo metrics name the simulated cluster pods', () => {
  it('every running pod has request and CPU series and no series names another pod', async () => {
    advance(60);
    const pods = await runningPods();
    expect(pods.length).toBeGreaterThan(10);
    expect(await podsWithSeries('http_requests_total', now())).toEqual(pods);
    expect(await podsWithSeries('container_cpu_usage_seconds_total', now())).toEqual(pods);
    const one = await engine.context.metrics.instantQuery(
      `rate(http_requests_total{pod="${pods[0]}",code="200"}[1m])`,
      now(),
    );
    expect(one).toHaveLength(1);
    expect(one[0]!.value).toBeGreaterThan(0);
    // Placement: kube_pod_info names the node the pod runs on.
    const { items } = await core.listNamespacedPod({ namespace: 'shop' });
    const info = await engine.context.metrics.instantQuery('kube_pod_info{namespace="shop"}', now());
    for (const sample of info) {
      expect(sample.labels.node).toBe(
        items.find((p) => p.metadata!.name === sample.labels.pod)!.spec!.nodeName,
      );
    }
  }, 60_000);

  it('keeps naming the running pods after a scale-up and a replaced pod, with the same service totals', async () => {
    const changedAt = now();
    const before = await runningPods();
    const checkout = await apps.readNamespacedDeployment({ namespace: 'shop', name: 'checkout' });
    checkout.spec!.replicas = 4;
    await apps.replaceNamespacedDeployment({ namespace: 'shop', name: 'checkout', body: checkout });
    const victim = before.find((p) => p.startsWith('cart-'))!;
    await core.deleteNamespacedPod({ namespace: 'shop', name: victim, gracePeriodSeconds: 0 });
    advance(180);

    const after = await runningPods();
    expect(after).not.toContain(victim);
    expect(after.filter((p) => p.startsWith('checkout-')).length).toBe(4);
    const fresh = after.filter((p) => !before.includes(p));
    expect(fresh.length).toBeGreaterThanOrEqual(3);
    expect(await podsWithSeries('http_requests_total', now())).toEqual(after);
    expect(await podsWithSeries('container_cpu_usage_seconds_total', now())).toEqual(after);

    // Over a range that spans the change, a series names a pod running now or one that stopped inside the range.
    const range = await engine.context.metrics.rangeQuery({
      query: 'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="shop"}[1m]))',
      start: changedAt - 120,
      end: now(),
      stepSeconds: 15,
    });
    const named = range.map((s) => s.labels.pod!);
    expect(named.filter((p) => !after.includes(p))).toEqual([victim]);
    const victimSeries = range.find((s) => s.labels.pod === victim)!;
    expect(victimSeries.timestamps.at(-1)!).toBeLessThanOrEqual(changedAt + 15);

    // Only names changed: per service, the request rate is the model's (a generator without pod names).
    const reference = new SyntheticMetricsSource(
      new ShopMetricsGenerator({
        seed: engine.config.metrics.kind === 'synthetic' ? engine.config.metrics.seed : 42,
        ledger: engine.demo!.ledger,
      }),
    );
    const [ours, model] = [
      await serviceTotals(engine.context.metrics, now()),
      await serviceTotals(reference, now()),
    ];
    expect([...ours.keys()].sort()).toEqual([...model.keys()].sort());
    for (const [service, rate] of model)
      expect(Math.abs(ours.get(service)! - rate) / rate).toBeLessThan(0.03);
  }, 60_000);

  it('joins pod-level evidence: the pods restarting in the metrics are those the cluster restarts and reports', async () => {
    const demo = engine.demo!;
    const fault = demo.ledger.inject({
      type: 'crash-loop',
      namespace: demo.namespace,
      service: 'payment',
      startedAt: now(),
    });
    advance(120);
    const { items } = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=payment' });
    const restarted = items
      .filter((p) => (p.status?.containerStatuses ?? []).some((c) => (c.restartCount ?? 0) > 0))
      .map((p) => p.metadata!.name!)
      .sort();
    const events = await core.listNamespacedEvent({ namespace: 'shop' });
    const reported = new Set(
      events.items.filter((e) => e.involvedObject.kind === 'Pod').map((e) => e.involvedObject.name),
    );
    const restarting = await engine.context.metrics.instantQuery(
      'increase(kube_pod_container_status_restarts_total{namespace="shop",service="payment"}[2m]) > 0',
      now(),
    );
    demo.ledger.resolve(fault.id, now());
    expect(restarted.length).toBeGreaterThan(0);
    expect(restarting.map((s) => s.labels.pod!).sort()).toEqual(restarted);
    for (const name of restarted) expect(reported.has(name)).toBe(true);
  }, 60_000);
});
