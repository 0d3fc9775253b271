import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/MemoryStore.js';
import { readScheduledRuns, Scheduler } from './Scheduler.js';
import { StoreLeaderLock } from './StoreLeaderLock.js';

/** The scheduler's rules on a moved clock: ticks near their start only, no overlap of a task with itself, failures contained. */
describe('Scheduler', () => {
  const LEASE = 6;
  const setup = (startMs: number) => {
    let now = startMs;
    const clock = { now: () => now, set: (ms: number) => (now = ms) };
    const store = new MemoryStore(clock.now);
    const make = (instance: string) =>
      new Scheduler({
        store,
        lease: new StoreLeaderLock(store, {
          name: 's',
          identity: instance,
          leaseDurationSeconds: LEASE,
          now: clock.now,
        }),
        logger: pino({ level: 'silent' }),
        instance,
        leaseSeconds: LEASE,
        now: clock.now,
      });
    return { clock, store, make };
  };
  const HOUR = 3_600_000;

  it('runs a tick near its start, not one a late starter missed, and records each run', async () => {
    const base = Math.ceil(Date.now() / HOUR) * HOUR;
    // Starts 30 min into an hourly tick: far beyond the grace (lease + two polls), so that tick is not replayed.
    const { clock, store, make } = setup(base + 30 * 60_000);
    const scheduler = make('a');
    const ran: number[] = [];
    scheduler.register({
      name: 'hourly',
      intervalSeconds: 3600,
      run: async ({ tick }) => void ran.push(tick),
    });
    await scheduler.poll();
    expect(scheduler.isLeader).toBe(true);
    expect(ran).toEqual([]);
    clock.set(base + HOUR + 2_000);
    await scheduler.poll();
    await scheduler.poll();
    expect(ran).toEqual([(base + HOUR) / HOUR]);
    expect((await readScheduledRuns(store)).map((r) => [r.task, r.tick, r.instance])).toEqual([
      ['hourly', (base + HOUR) / HOUR, 'a'],
    ]);
  });

  it('does not start a task again while its last run is still going, and survives a failing task', async () => {
    const base = Math.ceil(Date.now() / 60_000) * 60_000;
    const { clock, make } = setup(base);
    const scheduler = make('a');
    let release!: () => void;
    let started = 0;
    scheduler.register({
      name: 'slow',
      intervalSeconds: 10,
      run: () => {
        started++;
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    let failures = 0;
    scheduler.register({
      name: 'failing',
      intervalSeconds: 10,
      run: async () => {
        failures++;
        throw new Error('boom');
      },
    });
    await scheduler.poll();
    clock.set(base + 10_000);
    await scheduler.poll();
    expect(started).toBe(1);
    expect(failures).toBe(2);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    await scheduler.poll();
    expect(started).toBe(2);
    expect(() =>
      scheduler.register({ name: 'slow', intervalSeconds: 1, run: async () => undefined }),
    ).toThrow(/already registered/);
  });
});
