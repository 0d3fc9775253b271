import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../apiserver/ObjectStore.js';
import type { KubeObject } from '../apiserver/KubeObject.js';
import { FaultLedger } from '../faults.js';
import { Controller } from './Controller.js';
import { replayCrashLoop } from './crashLoopReplay.js';
import { createRandom, uuidFrom } from './random.js';
import { seedShop } from './seedShop.js';

const T0 = Date.parse('2026-12-01T14:00:00Z');

/** The seeded shop, settled at T0, on a clock the test moves. */
function shop(faultsBefore: (ledger: FaultLedger) => void = () => {}) {
  const clock = { ms: T0 };
  const uids = createRandom(7);
  const store = new ObjectStore({ uid: () => uuidFrom(uids) });
  const ledger = new FaultLedger();
  faultsBefore(ledger);
  seedShop(store);
  const controller = new Controller({ store, ledger, seed: 3, clock: () => clock.ms });
  controller.settle(6);
  return { clock, store, ledger, controller };
}

/** What `kubectl describe` shows of the cart pods: restarts, state, last termination, and the kubelet's events. */
function cartStory(store: ObjectStore) {
  const pods = store.list('/pods', 'shop').filter((p) => p.metadata.labels?.['app'] === 'cart');
  const events = store.list('/events', 'shop');
  return pods
    .map((pod) => {
      const status = (pod['status'] as { containerStatuses: Array<Record<string, any>> }).containerStatuses[0]!;
      const count = (reason: string) =>
        events
          .filter((e) => (e['involvedObject'] as KubeObject['metadata']).name === pod.metadata.name && e['reason'] === reason)
          .map((e) => ({ count: e['count'], first: e['firstTimestamp'], last: e['lastTimestamp'] }));
      return {
        pod: pod.metadata.name,
        restartCount: status['restartCount'],
        state: status['state'],
        lastState: status['lastState'],
        ready: status['ready'],
        backOff: count('BackOff'),
        started: count('Started'),
      };
    })
    .sort((a, b) => a.pod.localeCompare(b.pod));
}

describe('crash loop replay', () => {
  // 3 and 4: early kills and restarts (a fault one tick old is no catch-up: the kubelet's next sync sees it as new);
  // 17 and 60: back-off reaching its ceiling; 120: many cycles at it.
  it.each([3, 4, 17, 60, 120])('after %i ticks, a backdated crash loop leaves what stepping tick by tick does', (n) => {
    const stepped = shop();
    stepped.ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'cart', startedAt: T0 / 1000 });
    for (let i = 0; i < n; i++) {
      stepped.clock.ms += 1000;
      stepped.controller.step(1);
    }

    const replayed = shop();
    // The first stepped tick (at T0 + 1 s) was the fault's first; this one's tick at T0 + n s is its n-th.
    replayed.ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'cart', startedAt: T0 / 1000 + 1 });
    replayed.clock.ms = T0 + n * 1000;
    replayed.controller.step(1);

    const story = cartStory(replayed.store);
    expect(story).toEqual(cartStory(stepped.store));
    expect(story[0]!.restartCount).toBe(replayCrashLoop(n, { crashAfterTicks: 1, maxBackoffTicks: 8 }).crashes.length);
    // The restart history, not only the count: the metric reads it at every past time.
    const uid = (s: ReturnType<typeof shop>) =>
      s.store.list('/pods', 'shop').find((p) => p.metadata.name === story[0]!.pod)!.metadata.uid!;
    for (let t = T0 / 1000; t <= T0 / 1000 + n; t++) {
      expect(replayed.controller.restarts.countAt(uid(replayed), 'cart', t)).toBe(
        stepped.controller.restarts.countAt(uid(stepped), 'cart', t),
      );
    }
  });

  it('a fault older than the cluster: its settled pods open in the crash loop, their events dated from the fault', () => {
    const began = T0 / 1000 - 900;
    const { store } = shop((ledger) => ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'cart', startedAt: began }));
    const story = cartStory(store);
    expect(story.length).toBeGreaterThan(0);
    for (const pod of story) {
      expect(pod.restartCount).toBeGreaterThan(90);
      expect(pod.lastState).toMatchObject({ terminated: { reason: 'Error', exitCode: 1 } });
      expect(Date.parse(pod.backOff[0]!.first as string) / 1000).toBeLessThanOrEqual(began + 1);
      // The container started at settle, and again after each replayed kill: first seen when the fault began.
      expect(Date.parse(pod.started[0]!.first as string) / 1000).toBeLessThan(began + 10);
      expect(pod.started[0]!.count).toBeGreaterThan(90);
    }
  });

  it('counts restarts at the back-off ceiling in closed cycles', () => {
    const replay = replayCrashLoop(900, { crashAfterTicks: 1, maxBackoffTicks: 8 });
    // Kills at 0, 2, 5, 10, 19, then every 9 ticks (8 waiting + 1 running): 19 + 9k < 900.
    expect(replay.crashes.slice(0, 6)).toEqual([0, 2, 5, 10, 19, 28]);
    expect(replay.crashes).toHaveLength(4 + Math.ceil((900 - 19) / 9));
  });
});
