import { CoreV1Api, type CoreV1Event } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControllerTuning } from '../../src/sim/controller/ControllerContext.js';
import { FaultLedger } from '../../src/sim/faults.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';

/**
 * The startup events (Scheduled, Pulling, Pulled, Created, Started) of the pods the seeded shop settles with, through
 * the Events API as kubectl reads them. The pods were created two days before the cluster's clock began, so their
 * startup happened then: with the API server's one-hour event TTL those events are long gone; with a TTL longer than
 * that they carry the pods' creation time. Before, they were stamped with the moment the cluster settled ("27s").
 */
const T0 = Date.parse('2026-12-01T14:00:00Z');
const STARTUP = ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'];

let cluster: SimulatedCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function start(tuning: Partial<ControllerTuning> = {}, ledger = new FaultLedger()) {
  const clock = { ms: T0 };
  cluster = await SimulatedCluster.start({
    seedShop: true,
    tickMs: 0,
    clock: () => clock.ms,
    tuning,
    ledger,
  });
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  const step = (ticks: number) => {
    for (let i = 0; i < ticks; i++) {
      clock.ms += 1000;
      cluster!.step(1);
    }
  };
  return { core, step, clock };
}

async function cartPods(core: CoreV1Api) {
  const { items } = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=cart' });
  return items.filter((p) => !p.metadata?.deletionTimestamp);
}

async function podEvents(core: CoreV1Api, pod: string): Promise<CoreV1Event[]> {
  const fieldSelector = `involvedObject.name=${pod},involvedObject.kind=Pod`;
  return (await core.listNamespacedEvent({ namespace: 'shop', fieldSelector })).items;
}

const startupOf = (events: CoreV1Event[]) => events.filter((e) => STARTUP.includes(e.reason ?? ''));

describe('startup events of the settled shop', () => {
  it('are past the one-hour event TTL, so the Events API has none, before and after the first sweep', async () => {
    const { core, step } = await start();
    const pods = await cartPods(core);
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      expect(pod.metadata!.creationTimestamp!.getTime()).toBeLessThan(T0 - 3600_000);
      expect(startupOf(await podEvents(core, pod.metadata!.name!))).toEqual([]);
    }
    step(61);
    for (const pod of await cartPods(core))
      expect(startupOf(await podEvents(core, pod.metadata!.name!))).toEqual([]);
  });

  it('carry the pod’s creation time when the TTL keeps events longer than the pods have run', async () => {
    const { core } = await start({ eventTtlSeconds: 7 * 24 * 3600 });
    for (const pod of await cartPods(core)) {
      const created = pod.metadata!.creationTimestamp!.toISOString();
      const events = startupOf(await podEvents(core, pod.metadata!.name!));
      expect(events.map((e) => e.reason).sort()).toEqual([...STARTUP].sort());
      for (const e of events)
        expect({ reason: e.reason, first: e.firstTimestamp, last: e.lastTimestamp }).toEqual({
          reason: e.reason,
          first: new Date(created),
          last: new Date(created),
        });
    }
  });

  it('of a pod started after the cluster began are recorded when it started', async () => {
    const { core, step, clock } = await start();
    const [victim] = await cartPods(core);
    await core.deleteNamespacedPod({
      namespace: 'shop',
      name: victim!.metadata!.name!,
      gracePeriodSeconds: 0,
    });
    step(6);
    const fresh = (await cartPods(core)).filter((p) => p.metadata!.creationTimestamp!.getTime() > T0);
    expect(fresh).toHaveLength(1);
    const events = startupOf(await podEvents(core, fresh[0]!.metadata!.name!));
    expect(new Set(events.map((e) => e.reason))).toEqual(new Set(STARTUP));
    for (const e of events) {
      expect(e.lastTimestamp!.getTime()).toBeGreaterThan(T0);
      expect(e.lastTimestamp!.getTime()).toBeLessThanOrEqual(clock.ms);
    }
  });

  it('do not reach back two days through the restarts a backdated crash loop replays', async () => {
    const ledger = new FaultLedger();
    const faultStart = T0 / 1000 - 15 * 60;
    ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'cart', startedAt: faultStart });
    const { core } = await start({}, ledger);
    for (const pod of await cartPods(core)) {
      const status = pod.status!.containerStatuses![0]!;
      const started = (await podEvents(core, pod.metadata!.name!)).filter((e) => e.reason === 'Started');
      // One Started per restart the kubelet replayed since the fault began, less the one it waits to make.
      const starts = status.restartCount - (status.state?.running ? 0 : 1);
      expect(started).toHaveLength(1);
      expect(started[0]!.firstTimestamp!.getTime()).toBeGreaterThanOrEqual(faultStart * 1000);
      expect(started[0]!.count).toBe(starts);
    }
  });
});
