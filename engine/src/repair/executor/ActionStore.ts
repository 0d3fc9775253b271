import { EngineError } from '../../errors.js';
import type { Store, StoreWrite } from '../../store/Store.js';
import { backfillIndexOnce } from '../../store/backfillIndexOnce.js';
import { idOfIndexMember, indexMember, readIndexPage } from '../../store/readIndexPage.js';
import { isOpen, type ActionRecord } from './ActionRecord.js';

const PREFIX = 'repair:action:';
const TOUCHES = 'repair:touches:';
const DECIDED = 'repair:decided:';
/** Finished actions stay this long (cooldowns and budgets look back an hour, people a week); the audit keeps all. */
const FINISHED_TTL_SECONDS = 7 * 86_400;
/**
 * Sorted sets of `${createdAt}|${id}`: every action, and the open ones (awaiting approval, applying, verifying), so a
 * page of the list reads its own records, not every stored one. Entries whose record expired are dropped when a
 * read meets them.
 */
const BY_TIME = 'repair:index:created';
const OPEN_BY_TIME = 'repair:index:open';
/**
 * `${applied.at}|${id}` of every action that changed something: the planner's cooldowns and budgets read the last
 * hours of it on every plan, instead of every action kept for a week.
 */
const APPLIED_BY_TIME = 'repair:index:applied';
/**
 * `${updatedAt}|${id}` of every action, one member per action: a record's save swaps its previous member for the new
 * one in the same batch (one Lua script in Redis) that writes the record, guarded by the record it replaces, so the
 * index never holds an update time the record does not. `updatedSince` reads it down to its bound.
 */
const BY_UPDATE = 'repair:index:updated';
/** Set once the indexes hold every stored record; bumped when an index is added, so a store from before is back-filled. */
const INDEX_VERSION_KEY = 'repair:index:version';
const INDEX_VERSION = '3';
/**
 * Saves that lose the race for a record to another writer read it again and retry: two writers of one action (the
 * leader's step and an approval on another replica) meet rarely, so a handful of attempts ends any real contention.
 */
const SAVE_ATTEMPTS = 8;
/**
 * Where the last reconciliation of the update-time index stopped (see `reconcile`): `{ at, open }`, the time it
 * began and the open actions' ids it saw. Outside `repair:action:`, so the back-fill does not read it as a record.
 */
const RECONCILED = 'repair:index:reconciled';
/**
 * How far before the last reconciliation a new action's `createdAt` may lie and still be new to it: replicas stamp
 * times with their own clocks and write a moment later. Ten minutes of new actions is a few records to re-read.
 */
const CLOCK_MARGIN_MS = 10 * 60_000;
/** Index members read, and records re-read, per round trip of a reconciliation or a prune. */
const CHUNK = 500;

/** The indexes a page can be read from: by creation (all, or the open ones) or by update time. */
export type ActionIndex = 'created' | 'open' | 'updated';
const INDEX_KEYS: Record<ActionIndex, string> = {
  created: BY_TIME,
  open: OPEN_BY_TIME,
  updated: BY_UPDATE,
};

/**
 * Action records in the engine's Store (Redis in live use, so every replica sees them and a restarted engine finds
 * its in-flight actions). The record is rewritten whole at every step; the audit log keeps the history.
 */
export class ActionStore {
  private indexChecked = false;

  /** `now` stamps reconciliations; pass the clock the executor stamps records with. */
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Writes the record whole with its index entries, as one batch applied only if the stored record is still the one
   * read first (its update-time member is swapped for the new one); a concurrent save makes it read and try again.
   */
  async save(record: ActionRecord): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const before = await this.store.get(PREFIX + record.id);
      try {
        await this.store.batch([
          { op: 'expect', key: PREFIX + record.id, value: before },
          storedWrite(record),
          ...updateIndexSwap(before, record),
          ...indexWrites(record),
        ]);
        return;
      } catch (error) {
        if (!(error instanceof EngineError && error.code === 'CONFLICT') || attempt >= SAVE_ATTEMPTS)
          throw error;
      }
    }
  }

  /**
   * Actions applied at or after `since`, newest first: reads the applied index down to `since` and only those
   * records. Index entries older than the records' time to live are pruned on the way (their records are gone).
   */
  async appliedSince(since: Date, now: Date): Promise<ActionRecord[]> {
    await this.indexOnce();
    await this.store.zremBelow(
      APPLIED_BY_TIME,
      new Date(now.getTime() - FINISHED_TTL_SECONDS * 1000).toISOString(),
    );
    const rows = await readIndexPage(
      this.store,
      APPLIED_BY_TIME,
      { limit: Number.MAX_SAFE_INTEGER, stopBelow: since.toISOString() },
      (id) => this.get(id),
    );
    return rows.map((r) => r.record);
  }

  /**
   * Up to `limit` records of an index (all by creation, the open ones by creation, all by update), newest first, after
   * the sort key `after`, each with its key. Reads the index, then only these records; with `stopBelow` (an ISO time)
   * it stops at the first one created (or, by update, updated) before.
   */
  async page(options: {
    index: ActionIndex;
    limit: number;
    after?: string;
    stopBelow?: string;
  }): Promise<Array<{ record: ActionRecord; key: string }>> {
    await this.indexOnce();
    // The first page by update time first takes in what replicas that do not know the index changed.
    if (options.index === 'updated' && options.after === undefined) await this.reconcile();
    return readIndexPage(this.store, INDEX_KEYS[options.index], options, (id) => this.get(id));
  }

  /**
   * The leader's upkeep after each scan: `reconcile`, then `prune`. Keeps the update-time index right while nobody
   * reads it, and the next reader's reconciliation short.
   */
  async maintain(): Promise<void> {
    await this.reconcile();
    await this.prune();
  }

  /**
   * Puts right the update-time members of records saved by a replica that does not know that index (the engine
   * before index version 3, during a rolling update): such a save moves the record's `updatedAt` and leaves the
   * index at the time before, or, for an action it created, without a member. A record carries the update time its
   * member has (`indexedUpdatedAt`, which the old code keeps, rewriting the record whole), so a record whose two
   * times differ names both the member to drop and the one to add. Which records to read: any save of an action is
   * of an open one or creates one, and an action never reopens, so a record changed since the last reconciliation
   * was open then, or is open now, or was created since (less CLOCK_MARGIN_MS). Those are re-read; with no
   * reconciliation stored yet, every record is, and every member is checked.
   *
   * Why this and not the alternatives: the old code cannot be made to refuse writes (it reads no version before it
   * saves), and a periodic pass by the Lease holder alone comes too late for a client that asks again from the
   * newest update it saw, and not at all while an old replica holds the Lease, as it does for most of a rolling
   * update. So every first page by update time reconciles, at the cost of re-reading the open and new actions.
   * Measured (bench/repair/reconcileCost.ts, 10,000 stored actions of which 20 open, real Redis on loopback with
   * AOF fsynced on every write, 3 runs on 2 cores at load average 13-14, so the ranges are wide): a first page of
   * 100 takes 11-28 ms with a pass that finds nothing to do, 2.5-6.5 ms without; a pass that fixes 15 records an old
   * replica wrote, among up to 150 created in the last 10 minutes, 16-37 ms; the one-off first pass, reading all
   * 10,000 records, 0.54-1.6 s (memory store: 0.39-0.43 s).
   *
   * Replicas may reconcile at once: each fix is one batch guarded by the record read (it changes no field but
   * `indexedUpdatedAt`), and any reconciliation's record is a valid starting point for the next.
   */
  async reconcile(): Promise<void> {
    const started = this.now();
    const last = parseReconciled(await this.store.get(RECONCILED));
    const open = (await membersFrom(this.store, OPEN_BY_TIME, '')).map(idOfIndexMember);
    if (last === undefined) await this.reconcileAll();
    else {
      const newSince = new Date(Date.parse(last.at) - CLOCK_MARGIN_MS).toISOString();
      const created = (await membersFrom(this.store, BY_TIME, newSince)).map(idOfIndexMember);
      const ids = [...new Set([...last.open, ...open, ...created])];
      await inChunks(ids, (id) => this.reconcileRecord(id));
    }
    await this.store.set(RECONCILED, JSON.stringify({ at: started.toISOString(), open }));
  }

  /** Every record against every update-time member of its id (members read first; a stray one is dropped). */
  private async reconcileAll(): Promise<void> {
    const ids = (await this.store.keys(PREFIX)).map((key) => key.slice(PREFIX.length));
    const members = new Map<string, string[]>();
    for (const member of await membersFrom(this.store, BY_UPDATE, '')) {
      const id = idOfIndexMember(member);
      members.set(id, [...(members.get(id) ?? []), member]);
    }
    await inChunks(ids, (id) => this.reconcileRecord(id, members.get(id) ?? []));
  }

  /**
   * Makes the index hold the record's update time and no other for it. `members` are the id's members when known
   * (the full pass); otherwise the record's `indexedUpdatedAt` names its member (none when absent). The record is
   * rewritten to name its member, as a later save by old code moves its `updatedAt`, and so that the next pass finds
   * nothing to do; a finished one is given its full time to live again (it was saved minutes ago). The full pass
   * leaves finished records as they are: they never change again, and rewriting a week of them would give each
   * another week.
   */
  private async reconcileRecord(id: string, members?: string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const text = await this.store.get(PREFIX + id);
      if (text === null) return; // expired: prune drops its members
      const stored = JSON.parse(text) as StoredAction;
      const wanted = updatedMember(stored);
      const named = stored.indexedUpdatedAt === stored.updatedAt;
      const held =
        members ??
        (stored.indexedUpdatedAt === undefined
          ? []
          : [updatedMember({ id, updatedAt: stored.indexedUpdatedAt })]);
      const stale = held.filter((m) => m !== wanted);
      const add = members === undefined ? !named : !members.includes(wanted);
      const rename = !named && (isOpen(stored) || members === undefined);
      if (stale.length === 0 && !add && !rename) return;
      try {
        await this.store.batch([
          { op: 'expect', key: PREFIX + id, value: text },
          ...(rename ? [storedWrite(stored)] : []),
          ...(stale.length > 0 ? [{ op: 'zrem' as const, key: BY_UPDATE, members: stale }] : []),
          { op: 'zadd', key: BY_UPDATE, members: [wanted] },
        ]);
        return;
      } catch (error) {
        if (!(error instanceof EngineError && error.code === 'CONFLICT') || attempt >= SAVE_ATTEMPTS)
          throw error;
      }
    }
  }

  /**
   * Drops the creation- and update-time members whose record has expired, so the indexes do not grow on an engine
   * nobody reads (a read drops those it meets). Only members older than the records' time to live (less
   * CLOCK_MARGIN_MS) can be of expired records, so only those are checked: after the first prune, the ones that
   * expired since, and the few records created or last saved that long ago that are still open. A member is written
   * in one batch with its record, and ids are never reused, so a member without its record is of an expired one.
   * Returns how many members went. Measured as `reconcile`: 0.9-9.4 ms a prune of 10,000 actions none of which
   * expired; the first on an engine whose 10,000 actions all had (20,000 members): 0.52-0.79 s on Redis, 1.5-2.5 s
   * on the memory store.
   */
  async prune(): Promise<number> {
    const bound = new Date(
      this.now().getTime() - FINISHED_TTL_SECONDS * 1000 - CLOCK_MARGIN_MS,
    ).toISOString();
    let removed = 0;
    for (const index of [BY_TIME, BY_UPDATE]) {
      const old = await membersBelow(this.store, index, bound);
      for (let i = 0; i < old.length; i += CHUNK) {
        const chunk = old.slice(i, i + CHUNK);
        const live = await Promise.all(chunk.map((m) => this.store.exists(PREFIX + idOfIndexMember(m))));
        const gone = chunk.filter((_, k) => !live[k]);
        if (gone.length > 0) removed += await this.store.zrem(index, ...gone);
      }
    }
    return removed;
  }

  /**
   * Indexes actions stored before an index existed (once per store; version 2 added the applied-time index, 3 the
   * update-time one). Only index members are written, each guarded by the record read: a record saved meanwhile was
   * indexed by that save, and writing back the copy read here would undo it.
   */
  private async indexOnce(): Promise<void> {
    if (this.indexChecked) return;
    await backfillIndexOnce(this.store, INDEX_VERSION_KEY, INDEX_VERSION, async () => {
      for (const key of await this.store.keys(PREFIX)) {
        const text = await this.store.get(key);
        if (text === null) continue;
        const record = JSON.parse(text) as ActionRecord;
        await this.store
          .batch([
            { op: 'expect', key, value: text },
            ...updateIndexSwap(null, record),
            ...indexWrites(record),
          ])
          .catch((error: unknown) => {
            if (!(error instanceof EngineError && error.code === 'CONFLICT')) throw error;
          });
      }
    });
    this.indexChecked = true;
  }

  async get(id: string): Promise<ActionRecord | undefined> {
    const text = await this.store.get(PREFIX + id);
    if (!text) return undefined;
    const { indexedUpdatedAt: _, ...record } = JSON.parse(text) as StoredAction;
    return record;
  }

  async require(id: string): Promise<ActionRecord> {
    const record = await this.get(id);
    if (!record) throw new EngineError('NOT_FOUND', `no repair action ${id}`);
    return record;
  }

  /** All records (only open ones with `open`), newest first. */
  async list(options: { open?: boolean } = {}): Promise<ActionRecord[]> {
    const index = options.open ? 'open' : 'created';
    return (await this.page({ index, limit: Number.MAX_SAFE_INTEGER })).map((r) => r.record);
  }

  /** Claims the single use of an approval: true for the first decision on an action, false after. */
  async claimDecision(id: string, ttlSeconds: number): Promise<boolean> {
    return this.store.setIfAbsent(DECIDED + id, '1', { ttlSeconds });
  }

  /** Records a write to a target and returns how many writes it had in the last `windowSeconds`. */
  async touch(target: string, now: Date, windowSeconds: number): Promise<number> {
    await this.store.rpush(TOUCHES + target, now.toISOString());
    // The breaker's k is at most 100 (config schema), so older entries never matter.
    await this.store.ltrim(TOUCHES + target, -100, -1);
    return this.touches(target, now, windowSeconds);
  }

  async touches(target: string, now: Date, windowSeconds: number): Promise<number> {
    const times = await this.store.lrange(TOUCHES + target, 0, -1);
    const since = now.getTime() - windowSeconds * 1000;
    return times.filter((t) => Date.parse(t) >= since).length;
  }
}

/**
 * A record as stored: with the update time its member in the update-time index has, which code that does not know
 * that index keeps when it rewrites the record (`reconcile`). Absent: never indexed, or indexed at `updatedAt` by
 * the engine before it was kept.
 */
type StoredAction = ActionRecord & { indexedUpdatedAt?: string };

/** The write of a record as stored, naming its update time as indexed; finished ones expire. */
const storedWrite = (record: ActionRecord): StoreWrite => ({
  op: 'set',
  key: PREFIX + record.id,
  value: JSON.stringify({ ...record, indexedUpdatedAt: record.updatedAt } satisfies StoredAction),
  ...(isOpen(record) ? {} : { ttlSeconds: FINISHED_TTL_SECONDS }),
});

function parseReconciled(text: string | null): { at: string; open: string[] } | undefined {
  return text === null ? undefined : (JSON.parse(text) as { at: string; open: string[] });
}

/** Members of a time index at or after `from` (all with ''), newest first, read CHUNK at a time. */
async function membersFrom(store: Store, index: string, from: string): Promise<string[]> {
  const found: string[] = [];
  for (let after: string | undefined; ;) {
    const read = await store.zrangeByLex(index, { order: 'desc', limit: CHUNK, ...(after ? { after } : {}) });
    const kept = read.filter((m) => m >= from);
    found.push(...kept);
    if (read.length < CHUNK || kept.length < read.length) return found;
    after = read.at(-1);
  }
}

/** Members of a time index before `bound`, oldest first, read CHUNK at a time. */
async function membersBelow(store: Store, index: string, bound: string): Promise<string[]> {
  const found: string[] = [];
  for (let after: string | undefined; ;) {
    const read = await store.zrangeByLex(index, { order: 'asc', limit: CHUNK, ...(after ? { after } : {}) });
    const kept = read.filter((m) => m < bound);
    found.push(...kept);
    if (read.length < CHUNK || kept.length < read.length) return found;
    after = read.at(-1);
  }
}

/** Runs `each` over `items`, CHUNK at once (Redis pipelines them), one chunk after another. */
async function inChunks<T>(items: T[], each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) await Promise.all(items.slice(i, i + CHUNK).map(each));
}

const appliedMember = (at: string, id: string) => indexMember({ createdAt: at, id });
const updatedMember = (record: Pick<ActionRecord, 'updatedAt' | 'id'>) =>
  indexMember({ createdAt: record.updatedAt, id: record.id });

/** The creation, open and applied index entries of a record (adding one that is there changes nothing). */
function indexWrites(record: ActionRecord): StoreWrite[] {
  const key = indexMember(record);
  return [
    { op: 'zadd', key: BY_TIME, members: [key] },
    isOpen(record)
      ? { op: 'zadd', key: OPEN_BY_TIME, members: [key] }
      : { op: 'zrem', key: OPEN_BY_TIME, members: [key] },
    ...(record.applied
      ? [
          {
            op: 'zadd' as const,
            key: APPLIED_BY_TIME,
            members: [appliedMember(record.applied.at, record.id)],
          },
        ]
      : []),
  ];
}

/**
 * The update-time member of the stored text `before` (if any, and if it differs) out, the record's in. The member
 * `before` has is at its `indexedUpdatedAt`, which differs from its `updatedAt` after a save by code that does not
 * know the index.
 */
function updateIndexSwap(before: string | null, record: ActionRecord): StoreWrite[] {
  const next = updatedMember(record);
  const stored = before === null ? undefined : (JSON.parse(before) as StoredAction);
  const previous =
    stored && updatedMember({ id: stored.id, updatedAt: stored.indexedUpdatedAt ?? stored.updatedAt });
  return [
    ...(previous !== undefined && previous !== next
      ? [{ op: 'zrem' as const, key: BY_UPDATE, members: [previous] }]
      : []),
    { op: 'zadd', key: BY_UPDATE, members: [next] },
  ];
}
