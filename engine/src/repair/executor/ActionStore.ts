import { EngineError } from '../../errors.js';
import type { Store, StoreWrite } from '../../store/Store.js';
import { backfillIndexOnce } from '../../store/backfillIndexOnce.js';
import { indexMember, readIndexPage } from '../../store/readIndexPage.js';
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

  constructor(private readonly store: Store) {}

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
          {
            op: 'set',
            key: PREFIX + record.id,
            value: JSON.stringify(record),
            ...(isOpen(record) ? {} : { ttlSeconds: FINISHED_TTL_SECONDS }),
          },
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
    return readIndexPage(this.store, INDEX_KEYS[options.index], options, (id) => this.get(id));
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
    return text ? (JSON.parse(text) as ActionRecord) : undefined;
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

/** The update-time member of the stored text `before` (if any, and if it differs) out, the record's in. */
function updateIndexSwap(before: string | null, record: ActionRecord): StoreWrite[] {
  const next = updatedMember(record);
  const previous = before === null ? undefined : updatedMember(JSON.parse(before) as ActionRecord);
  return [
    ...(previous !== undefined && previous !== next
      ? [{ op: 'zrem' as const, key: BY_UPDATE, members: [previous] }]
      : []),
    { op: 'zadd', key: BY_UPDATE, members: [next] },
  ];
}
