import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/MemoryStore.js';
import { StoreLeaderLock } from './StoreLeaderLock.js';

/** The store lock on a moved clock: one holder at a time, renewal keeps it, a dead holder's lock frees within the lease. */
describe('StoreLeaderLock', () => {
  const LEASE = 15;
  const setup = () => {
    let now = 1_000_000_000_000;
    const clock = { now: () => now, advance: (ms: number) => (now += ms) };
    // The store's TTLs follow the same clock, so term keys expire as they would.
    const store = new MemoryStore(clock.now);
    const lock = (identity: string) =>
      new StoreLeaderLock(store, { name: 'test', identity, leaseDurationSeconds: LEASE, now: clock.now });
    return { clock, lock };
  };

  it('has one holder; polling every lease/6 keeps it; a dead holder is replaced within one lease', async () => {
    const { clock, lock } = setup();
    const a = lock('a');
    const b = lock('b');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    const tokens: number[] = [a.token!];
    // 20 leases of polling: a keeps the lock throughout and b never gets it.
    for (let i = 0; i < 120; i++) {
      clock.advance((LEASE * 1000) / 6);
      expect(await a.tryAcquireOrRenew()).toBe(true);
      expect(await b.tryAcquireOrRenew()).toBe(false);
      tokens.push(a.token!);
    }
    expect(tokens).toEqual([...tokens].sort((x, y) => x - y));

    // a dies (stops polling); b polls every lease/6 and must lead within one lease (+ one poll).
    const diedAt = clock.now();
    let takenAfter = -1;
    for (let i = 1; i <= 12 && takenAfter < 0; i++) {
      clock.advance((LEASE * 1000) / 6);
      if (await b.tryAcquireOrRenew()) takenAfter = clock.now() - diedAt;
    }
    expect(takenAfter).toBeGreaterThan(0);
    expect(takenAfter).toBeLessThanOrEqual(LEASE * 1000 + (LEASE * 1000) / 6);
    expect(b.token!).toBeGreaterThan(tokens.at(-1)!);
    expect(await a.tryAcquireOrRenew()).toBe(false);
  });

  it('keeps the lock with one poll per term (a holder whose polls are late by most of a term)', async () => {
    const { clock, lock } = setup();
    const a = lock('a');
    const b = lock('b');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    for (let i = 0; i < 40; i++) {
      clock.advance(LEASE * 500 - 100);
      expect(await a.tryAcquireOrRenew()).toBe(true);
      expect(await b.tryAcquireOrRenew()).toBe(false);
    }
  });

  it('release lets another take over at its next poll', async () => {
    const { clock, lock } = setup();
    const a = lock('a');
    const b = lock('b');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    clock.advance(LEASE * 500);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    await a.release();
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(a.token).toBeUndefined();
  });
});
