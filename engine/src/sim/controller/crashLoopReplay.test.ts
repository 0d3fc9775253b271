import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../apiserver/ObjectStore.js';
import type { KubeObject } from '../apiserver/KubeObject.js';
import { FaultLedger } from '../faults.js';
import { Controller } from './Controller.js';
import { DEFAULT_TUNING, SETTLED_AGE_SECONDS, type ControllerTuning } from './ControllerContext.js';
import { replayCrashLoop } from './crashLoopReplay.js';
import { createRandom, uuidFrom } from './random.js';
import { seedShop } from './seedShop.js';

const T0 = Date.parse('2026-12-01T14:00:00Z');

/** The seeded shop, settled at T0, on a clock the test moves. */
function shop(
  faultsBefore: (ledger: FaultLedger) => void = () => {},
  tuning: Partial<ControllerTuning> = {},
) {
  const clock = { ms: T0 };
  const uids = createRandom(7);
  const store = new ObjectStore({ uid: () => uuidFrom(uids) });
  const ledger = new FaultLedger();
  faultsBefore(ledger);
  seedShop(store);
  const controller = new Controller({ store, ledger, seed: 3, clock: () => clock.ms, tuning });
  controller.settle(6);
  return { clock, store, ledger, controller };
}

/** What `kubectl describe` shows of the cart pods: restarts, state, last termination, and the kubelet's events. */
function cartStory(store: ObjectStore) {
  const pods = store.list('/pods', 'shop').filter((p) => p.metadata.labels?.['app'] === 'cart');
  const events = store.list('/events', 'shop');
  return pods
    .map((pod) => {
      const status = (pod['status'] as { containerStatuses: Array<Record<string, any>> })
        .containerStatuses[0]!;
      const count = (reason: string) =>
        events
          .filter(
            (e) =>
              (e['involvedObject'] as KubeObject['metadata']).name === pod.metadata.name &&
              e['reason'] === reason,
          )
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

/**
 * The crash loop stepped tick by tick for `n` ticks of `secondsPerTick` each, and the same fault backdated so that one
 * tick replays it (crashLoopReplay.ts): the two must tell the same story.
 */
function steppedAndReplayed(n: number, secondsPerTick: number) {
  const tuning = { secondsPerTick };
  const stepped = shop(undefined, tuning);
  stepped.ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'cart', startedAt: T0 / 1000 });
  for (let i = 0; i < n; i++) {
    stepped.clock.ms += secondsPerTick * 1000;
    stepped.controller.step(1);
  }
  const replayed = shop(undefined, tuning);
  // The first stepped tick (at T0 + one tick) was the fault's first; this one's tick at T0 + n ticks is its n-th.
  replayed.ledger.inject({
    type: 'crash-loop',
    namespace: 'shop',
    service: 'cart',
    startedAt: T0 / 1000 + secondsPerTick,
  });
  replayed.clock.ms = T0 + n * secondsPerTick * 1000;
  replayed.controller.step(1);
  return { stepped, replayed };
}

describe('crash loop replay', () => {
  // One-second ticks (the demo). Kills at 0, 11, 32, 73, 154, 315, 616, 917 (10 s back-off doubling to 300 s, 1 tick
  // running): 3, early (a fault one tick old is no catch-up: the kubelet's next sync sees it as new); 12 and 33, just
  // after a restart; 160, mid back-off; 950, two kills at the 5-minute ceiling.
  // Ten-second ticks (repairScenarios.ts): kills at ticks 0, 2, 5, 10, 19, 36, 67, 98 (the back-off in whole ticks).
  it.each([
    [3, 1],
    [12, 1],
    [33, 1],
    [160, 1],
    [950, 1],
    [3, 10],
    [40, 10],
    [100, 10],
  ])(
    'after %i ticks of %i s, a backdated crash loop leaves what stepping tick by tick does',
    (n, secondsPerTick) => {
      const { stepped, replayed } = steppedAndReplayed(n, secondsPerTick);
      const story = cartStory(replayed.store);
      expect(story).toEqual(cartStory(stepped.store));
      const replay = replayCrashLoop(n, { ...DEFAULT_TUNING, secondsPerTick });
      expect(story[0]!.restartCount).toBe(replay.crashes.length);
      expect(story[0]!.backOff[0]!.count).toBe(replay.backOffs);
      // The restart history, not only the count: the metric reads it at every past time.
      const uid = (s: ReturnType<typeof shop>) =>
        s.store.list('/pods', 'shop').find((p) => p.metadata.name === story[0]!.pod)!.metadata.uid!;
      for (let t = T0 / 1000; t <= T0 / 1000 + n * secondsPerTick; t++) {
        expect(replayed.controller.restarts.countAt(uid(replayed), 'cart', t)).toBe(
          stepped.controller.restarts.countAt(uid(stepped), 'cart', t),
        );
      }
    },
    60_000,
  );

  it('a fault older than the cluster: its settled pods open in the crash loop, their events dated from the fault', () => {
    const began = T0 / 1000 - 900;
    const { store } = shop((ledger) =>
      ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'cart', startedAt: began }),
    );
    const story = cartStory(store);
    expect(story.length).toBeGreaterThan(0);
    for (const pod of story) {
      // 15 minutes of a real kubelet's crash loop: kills at 0, 11, 32, 73, 154, 315 and 616 s, waiting out 5m0s since.
      expect(pod.restartCount).toBe(7);
      expect(pod.state).toMatchObject({ waiting: { reason: 'CrashLoopBackOff' } });
      expect((pod.state as { waiting: { message: string } }).waiting.message).toMatch(
        /^back-off 5m0s restarting failed container=cart pod=cart-/,
      );
      expect(pod.lastState).toMatchObject({ terminated: { reason: 'Error', exitCode: 1 } });
      // A BackOff at each kill and at each 10 s retry while waiting: 1 + 2 + 4 + 8 + 16 + 30 + 29.
      expect(pod.backOff[0]!.count).toBe(90);
      expect(Date.parse(pod.backOff[0]!.first as string) / 1000).toBeLessThanOrEqual(began + 1);
      // Started after each replayed kill but the last, first 10 s after the fault's first kill. Its first start, when
      // the pod was created two days ago, is past the event TTL: not counted (it was, dated at settle, before).
      expect(Date.parse(pod.started[0]!.first as string) / 1000).toBe(began + 10);
      expect(pod.started[0]!.count).toBe(6);
    }
  });

  it('settled pods are as old as the shop, not seconds: created and started two days before the cluster clock', () => {
    const began = T0 / 1000 - 900;
    const { store } = shop((ledger) =>
      ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'cart', startedAt: began }),
    );
    const twoDaysBefore = new Date(T0 - SETTLED_AGE_SECONDS * 1000).toISOString();
    expect(SETTLED_AGE_SECONDS).toBe(2 * 24 * 3600);
    const pods = store.list('/pods', 'shop');
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      expect(pod.metadata.creationTimestamp).toBe(twoDaysBefore);
      expect((pod['status'] as { startTime: string }).startTime).toBe(twoDaysBefore);
    }
    for (const rs of store.list('apps/replicasets', 'shop'))
      expect(rs.metadata.creationTimestamp).toBe(twoDaysBefore);
    // A healthy container has run since then; a crash-looping one ran since then until the fault's first kill.
    const status = (name: string) =>
      (
        pods.find((p) => p.metadata.labels?.['app'] === name)!['status'] as {
          containerStatuses: Array<Record<string, any>>;
        }
      ).containerStatuses[0]!;
    expect(status('catalog')['state']).toEqual({ running: { startedAt: twoDaysBefore } });
    expect(status('cart')['restartCount']).toBe(7);
  });

  it('says the wait it is waiting out: back-off 10s, 20s, 40s, 1m20s, 2m40s', () => {
    const { clock, store, ledger, controller } = shop();
    ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'cart', startedAt: T0 / 1000 });
    const waits: string[] = [];
    for (let i = 0; i < 160; i++) {
      clock.ms += 1000;
      controller.step(1);
      const message = (cartStory(store)[0]!.state as { waiting?: { message: string } }).waiting?.message;
      const wait = message?.match(/^back-off (\S+) restarting failed container=cart /)?.[1];
      if (wait && wait !== waits.at(-1)) waits.push(wait);
    }
    expect(waits).toEqual(['10s', '20s', '40s', '1m20s', '2m40s']);
  }, 60_000);

  it('counts restarts at the back-off ceiling in closed cycles', () => {
    expect(replayCrashLoop(900, DEFAULT_TUNING).crashes).toEqual([0, 11, 32, 73, 154, 315, 616]);
    // At the ceiling a cycle is 300 ticks waiting and 1 running: kills at 315 + 301k < 3600.
    const replay = replayCrashLoop(3600, DEFAULT_TUNING);
    expect(replay.crashes).toHaveLength(5 + Math.ceil((3600 - 315) / 301));
    expect(replay.stage).toBe('backoff');
    expect(replay.backoffSeconds).toBe(300);
  });
});
