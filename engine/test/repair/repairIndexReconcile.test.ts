import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOpen, type ActionRecord, type ActionState } from '../../src/repair/executor/ActionRecord.js';
import { ActionStore } from '../../src/repair/executor/ActionStore.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import type { Store } from '../../src/store/Store.js';
import { bootRepairEngine, type RepairEngine } from '../support/repairEngine.js';
import { startRedis, type RedisServer } from '../support/startRedis.js';

/**
 * The update-time index while replicas of the engine from before it (index version 2) still write actions, as in a
 * rolling update: `updatedSince` finds what they changed, and each action keeps one member. And the upkeep that
 * drops the index members of expired actions without anyone reading. On the memory store and on a real Redis, over
 * HTTP through the typed client; the old replica writes through the Store port exactly as that version's
 * ActionStore.save did (4981d2b), from its own connection on Redis.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (msAgo: number, now = Date.now()) => new Date(now - msAgo).toISOString();
const ACTION = 'repair:action:';
const BY_UPDATE = 'repair:index:updated';
const BY_TIME = 'repair:index:created';

function action(
  id: string,
  state: ActionState,
  times: { createdAt: string; updatedAt: string },
  name = 'rec-web',
): ActionRecord {
  const ref = { kind: 'Deployment', namespace: 'shop', name };
  return {
    id,
    state,
    planned: {
      type: 'rollout-restart',
      target: ref,
      params: {},
      mode: 'approve',
      ruleId: 'test',
      ruleVersion: 1,
      findingFingerprint: `fp-${id}`,
      reason: 'test',
    },
    finding: {
      fingerprint: `fp-${id}`,
      type: 'CrashLoopBackOff',
      object: ref,
      owners: [],
      workload: ref,
      evidence: { statuses: [], events: [], logTail: [] },
      since: times.createdAt,
      heldSeconds: 60,
      severity: 'warning',
      message: 'test',
      details: {},
    },
    ...times,
  };
}

/**
 * A save as the engine at index version 2 made it: the record whole, its creation, open and applied members, no
 * update-time member and no guard. Its executor rewrote the record it had read, whole, so fields it did not know
 * stay as they were.
 */
async function saveAsVersion2(store: Store, record: ActionRecord): Promise<void> {
  const member = `${record.createdAt}|${record.id}`;
  await store.batch([
    {
      op: 'set',
      key: ACTION + record.id,
      value: JSON.stringify(record),
      ...(isOpen(record) ? {} : { ttlSeconds: 7 * 86_400 }),
    },
    { op: 'zadd', key: BY_TIME, members: [member] },
    isOpen(record)
      ? { op: 'zadd', key: 'repair:index:open', members: [member] }
      : { op: 'zrem', key: 'repair:index:open', members: [member] },
  ]);
}

/** The version-2 executor moving a stored action on: read whole, changed, saved. */
async function moveAsVersion2(store: Store, id: string, change: Partial<ActionRecord>): Promise<void> {
  const stored = JSON.parse((await store.get(ACTION + id))!) as ActionRecord;
  await saveAsVersion2(store, { ...stored, ...change });
}

/** The update-time members of one action, read from the store without going through ActionStore. */
async function updateMembersOf(store: Store, id: string): Promise<string[]> {
  const all = await store.zrangeByLex(BY_UPDATE, { order: 'asc', limit: 100_000 });
  return all.filter((m) => m.endsWith(`|${id}`));
}

type Running = RepairEngine;
const boot = (store?: Record<string, unknown>) => bootRepairEngine('repair-reconcile', store);

const ids = (page: { items: Array<{ id: string }> }) => page.items.map((a) => a.id);

/** What both stores must do; `oldReplica()` is the store as a version-2 replica reaches it. */
function mixedVersionSuite(running: () => Running, oldReplica: () => Store) {
  const store = () => running().engine.context.store;
  const actions = () => new ActionStore(store());
  const updatedSince = (msAgo: number) =>
    running().client.repairActions({ name: 'rec-web', updatedSince: at(msAgo) });

  it('lists an action an old replica moved on at its new update time, once', async () => {
    const created = at(3 * HOUR);
    await actions().save(action('moved', 'awaiting-approval', { createdAt: created, updatedAt: created }));
    expect(ids(await updatedSince(4 * HOUR))).toEqual(['moved']);

    // Rejected on a replica of the version before: the record's update time moves, its index member did not.
    await moveAsVersion2(oldReplica(), 'moved', { state: 'rejected', updatedAt: at(10 * MINUTE) });
    const page = await updatedSince(30 * MINUTE);
    expect(ids(page)).toEqual(['moved']);
    expect(page.items[0]!.state).toBe('rejected');
    expect(await updateMembersOf(store(), 'moved')).toEqual([
      `${(await actions().require('moved')).updatedAt}|moved`,
    ]);
  });

  it('lists an action an old replica created and finished since the last read', async () => {
    await saveAsVersion2(
      oldReplica(),
      action('denied-by-old', 'denied', { createdAt: at(5 * MINUTE), updatedAt: at(4 * MINUTE) }),
    );
    expect(ids(await updatedSince(30 * MINUTE))).toEqual(['denied-by-old', 'moved']);
  });

  it("leaves one member for an action saved after an old replica's save, with nobody reading between", async () => {
    await actions().save(
      action('stepped', 'awaiting-approval', { createdAt: at(2 * HOUR), updatedAt: at(2 * HOUR) }),
    );
    await moveAsVersion2(oldReplica(), 'stepped', { state: 'approved', updatedAt: at(HOUR) });
    const failedAt = at(MINUTE);
    await actions().save({ ...(await actions().require('stepped')), state: 'failed', updatedAt: failedAt });
    expect(await updateMembersOf(store(), 'stepped')).toEqual([`${failedAt}|stepped`]);
  });

  it("drops the index members of expired actions in the leader's round, without a read", async () => {
    const long = { createdAt: at(9 * DAY), updatedAt: at(9 * DAY) };
    await actions().save(action('expired-one', 'rejected', long, 'rec-old'));
    await actions().save(action('still-open', 'awaiting-approval', long, 'rec-old'));
    // What the record's time to live does to it (Redis expires it; the memory store drops it when touched).
    await store().del(ACTION + 'expired-one');

    const round = await running().engine.services.repair!.runOnce();
    expect(round.leader).toBe(true);
    expect(await updateMembersOf(store(), 'expired-one')).toEqual([]);
    const created = await store().zrangeByLex(BY_TIME, { order: 'asc', limit: 100_000 });
    expect(created.filter((m) => m.endsWith('|expired-one'))).toEqual([]);
    // An action open for nine days has no time to live: it keeps its members.
    expect(created).toContain(`${long.createdAt}|still-open`);
    expect(await updateMembersOf(store(), 'still-open')).toEqual([`${long.updatedAt}|still-open`]);
  });
}

describe('the update-time index with an old replica writing, on the memory store', () => {
  let engine: Running;
  beforeAll(async () => {
    engine = await boot();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });

  mixedVersionSuite(
    () => engine,
    () => engine.engine.context.store,
  );

  it('a restarted replica finds what an old one finished after the last read, from the stored reconciliation', async () => {
    const store = new MemoryStore();
    const before = new ActionStore(store);
    await before.save(
      action('open-then', 'awaiting-approval', { createdAt: at(2 * HOUR), updatedAt: at(2 * HOUR) }),
    );
    expect((await before.page({ index: 'updated', limit: 10 })).map((r) => r.record.id)).toEqual([
      'open-then',
    ]);

    await moveAsVersion2(store, 'open-then', { state: 'expired', updatedAt: at(MINUTE) });
    const restarted = new ActionStore(store);
    const page = await restarted.page({ index: 'updated', limit: 10, stopBelow: at(5 * MINUTE) });
    expect(page.map((r) => [r.record.id, r.record.state])).toEqual([['open-then', 'expired']]);
  });

  it("the first reconciliation drops a member the earlier version-3 engine left behind an old replica's save", async () => {
    const store = new MemoryStore();
    const old = action('left', 'awaiting-approval', { createdAt: at(3 * HOUR), updatedAt: at(3 * HOUR) });
    // As the engine at index version 3 before this change left it: the record without indexedUpdatedAt, its member.
    await saveAsVersion2(store, old);
    await store.zadd(BY_UPDATE, `${old.updatedAt}|left`);
    await store.set('repair:index:version', '3');
    const rejectedAt = at(HOUR);
    await moveAsVersion2(store, 'left', { state: 'rejected', updatedAt: rejectedAt });

    const page = await new ActionStore(store).page({ index: 'updated', limit: 10, stopBelow: at(2 * HOUR) });
    expect(page.map((r) => r.key)).toEqual([`${rejectedAt}|left`]);
    expect(await updateMembersOf(store, 'left')).toHaveLength(1);
  });

  it('drops the members of actions whose time to live ran out, by the clock the store expires with', async () => {
    const clock = { now: Date.now() };
    const store = new MemoryStore(() => clock.now);
    const actions = new ActionStore(store, () => new Date(clock.now));
    for (let i = 0; i < 3; i++)
      await actions.save(
        action(`done-${i}`, 'verified', { createdAt: at(HOUR, clock.now), updatedAt: at(HOUR, clock.now) }),
      );
    clock.now += 8 * DAY;
    await actions.maintain();
    expect(await store.zcard(BY_TIME)).toBe(0);
    expect(await store.zcard(BY_UPDATE)).toBe(0);
  });
});

describe('the update-time index with an old replica writing, on a real Redis', () => {
  const PREFIX = `repairreconcile-${process.pid}:`;
  let redis: RedisServer;
  let engine: Running;
  let old: RedisStore;
  const onRedis = () => boot({ kind: 'redis', url: redis.url, keyPrefix: PREFIX });

  beforeAll(async () => {
    redis = await startRedis();
    old = new RedisStore({ url: redis.url, keyPrefix: PREFIX });
    engine = await onRedis();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await old?.close();
    await redis?.stop();
  });

  mixedVersionSuite(
    () => engine,
    () => old,
  );

  it('two replicas reconciling at once after old-replica writes both list them, one member each', async () => {
    const second = await onRedis();
    try {
      const mine = Array.from({ length: 5 }, (_, i) => `pair-${i}`);
      const created = at(2 * HOUR);
      for (const id of mine)
        await new ActionStore(engine.engine.context.store).save(
          action(id, 'awaiting-approval', { createdAt: created, updatedAt: created }, 'rec-pair'),
        );
      const read = (replica: Running) =>
        replica.client.repairActions({ name: 'rec-pair', updatedSince: at(10 * MINUTE) });
      expect(ids(await read(engine))).toEqual([]);

      for (const [i, id] of mine.entries())
        await moveAsVersion2(old, id, { state: 'rejected', updatedAt: at((i + 1) * MINUTE) });
      const fresh = Array.from({ length: 5 }, (_, i) => `pair-new-${i}`);
      for (const [i, id] of fresh.entries())
        await saveAsVersion2(
          old,
          action(
            id,
            'denied',
            { createdAt: at(7 * MINUTE), updatedAt: at((i + 1) * MINUTE + 30_000) },
            'rec-pair',
          ),
        );

      const [one, two] = await Promise.all([read(engine), read(second)]);
      const expected = [...mine, ...fresh].sort();
      expect(ids(one).sort()).toEqual(expected);
      expect(ids(two).sort()).toEqual(expected);
      for (const id of expected) expect(await updateMembersOf(old, id)).toHaveLength(1);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('finds what an old replica finished while the engine and Redis restarted', async () => {
    const created = at(2 * HOUR);
    await new ActionStore(engine.engine.context.store).save(
      action('while-down', 'awaiting-approval', { createdAt: created, updatedAt: created }, 'rec-down'),
    );
    expect(ids(await engine.client.repairActions({ name: 'rec-down', updatedSince: at(3 * HOUR) }))).toEqual([
      'while-down',
    ]);
    await engine.close();
    await moveAsVersion2(old, 'while-down', { state: 'expired', updatedAt: at(MINUTE) });
    await redis.restart();
    engine = await onRedis();
    const page = await engine.client.repairActions({ name: 'rec-down', updatedSince: at(5 * MINUTE) });
    expect(page.items.map((a) => [a.id, a.state])).toEqual([['while-down', 'expired']]);
  }, 60_000);
});
