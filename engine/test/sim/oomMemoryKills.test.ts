import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultLedger } from '../../src/sim/faults.js';
import { PodRoster } from '../../src/sim/metrics/PodRoster.js';
import { ShopMetricsGenerator } from '../../src/sim/metrics/ShopMetricsGenerator.js';
import { SHOP_SERVICES } from '../../src/sim/shop.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';

/**
 * The oom-killed fault's memory saw-tooth and the OOMKilled restarts the simulated kubelet records tell one story: the
 * kill times read from the API server (each restartCount step and its lastState.terminated.finishedAt) are where
 * `container_memory_working_set_bytes`, sampled on the 15 s scrape grid, drops, and it drops nowhere else. Before,
 * the saw-tooth ran on its own 150 s period and dropped between the kills.
 */
const T0 = Date.parse('2026-12-01T14:00:00Z');
const STEP = 15;
/** On a scrape, so the grid is the same relative to every kill whatever the test's start. */
const FAULT_START = T0 / 1000 + 60;
const TICKS = 60 + 700;

let cluster: SimulatedCluster;
let roster: PodRoster;
let generator: ShopMetricsGenerator;
const clock = { ms: T0 };
/** Pod name → kill times (unix s) as the API server reported them. */
const kills = new Map<string, number[]>();

beforeAll(async () => {
  const ledger = new FaultLedger();
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0, clock: () => clock.ms, ledger });
  roster = new PodRoster({
    store: cluster.store,
    namespace: 'shop',
    services: SHOP_SERVICES,
    now: () => clock.ms / 1000,
    restarts: cluster.controller.restarts,
  });
  generator = new ShopMetricsGenerator({ seed: 42, ledger, roster, placement: roster.placement });
  expect(generator.scrapeIntervalSeconds).toBe(STEP);
  ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart', startedAt: FAULT_START });
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  const seen = new Map<string, number>();
  for (let tick = 0; tick < TICKS; tick++) {
    clock.ms += 1000;
    cluster.step(1);
    const { items } = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=cart' });
    for (const pod of items) {
      const name = pod.metadata!.name!;
      const status = pod.status!.containerStatuses![0]!;
      const before = seen.get(name) ?? 0;
      seen.set(name, status.restartCount);
      if (status.restartCount === before) continue;
      // One kill per tick at most, so each step's finishedAt is that kill's time.
      expect(status.restartCount).toBe(before + 1);
      expect(status.lastState?.terminated?.reason).toBe('OOMKilled');
      const at = status.lastState!.terminated!.finishedAt!.getTime() / 1000;
      kills.set(name, [...(kills.get(name) ?? []), at]);
    }
  }
}, 120_000);

afterAll(async () => {
  roster?.stop();
  await cluster?.stop();
});

/** The pod's working set on the scrape grid from the fault's start to now: [time, bytes] pairs. */
function memorySeries(pod: string): Array<[number, number]> {
  const def = generator
    .series()
    .find((d) => d.labels.__name__ === 'container_memory_working_set_bytes' && d.labels.pod === pod)!;
  expect(def).toBeDefined();
  const kFrom = Math.floor(FAULT_START / STEP);
  const kTo = Math.floor(clock.ms / 1000 / STEP);
  return [...generator.sampleGrid(def, kFrom, kTo)].map((v, i) => [(kFrom + i) * STEP, v]);
}

describe('oom-killed: memory drops where the kubelet killed the container', () => {
  it('each recorded kill is a drop within one scrape step, and every drop is a recorded kill', () => {
    expect(kills.size).toBeGreaterThan(0);
    const limit = SHOP_SERVICES.find((s) => s.name === 'cart')!.memoryLimitBytes;
    for (const [pod, times] of kills) {
      // The kubelet's crash loop over 700 s: kills at 0, 11, 32, 73, 154, 315 and 616 s into the fault.
      expect({ pod, kills: times.map((k) => k - FAULT_START) }).toEqual({
        pod,
        kills: [0, 11, 32, 73, 154, 315, 616],
      });
      const series = memorySeries(pod);
      const drops = series
        .slice(1)
        .map(([t, v], i) => ({ from: series[i]![0], to: t, by: (series[i]![1] - v) / limit }))
        .filter((d) => d.by > 0.01);
      // Not the first kill, on the fault's first tick: the scrape before it saw the healthy pod, not a leak.
      for (const kill of times.slice(1)) {
        const drop = drops.find((d) => d.from < kill && kill <= d.to);
        expect({ pod, kill, drop: drop !== undefined && drop.by > 0.1 }).toEqual({ pod, kill, drop: true });
      }
      for (const drop of drops) {
        const killed = times.some((k) => drop.from < k && k <= drop.to);
        expect({ pod, drop, killed }).toEqual({ pod, drop, killed: true });
      }
    }
  });

  it('reads the same kill times the restart metric counts', () => {
    for (const [pod, times] of kills) {
      const def = generator
        .series()
        .find(
          (d) => d.labels.__name__ === 'kube_pod_container_status_restarts_total' && d.labels.pod === pod,
        )!;
      for (const [i, kill] of times.entries()) {
        expect(generator.valueAt(def, kill - 0.5)).toBe(i);
        expect(generator.valueAt(def, kill)).toBe(i + 1);
      }
    }
  });
});
