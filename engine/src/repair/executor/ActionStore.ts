import { EngineError } from '../../errors.js';
import type { Store } from '../../store/Store.js';
import { isOpen, type ActionRecord } from './ActionRecord.js';

const PREFIX = 'repair:action:';
const TOUCHES = 'repair:touches:';
const DECIDED = 'repair:decided:';
/** Finished actions stay this long (cooldowns and budgets look back an hour, people a week); the audit keeps all. */
const FINISHED_TTL_SECONDS = 7 * 86_400;

/**
 * Action records in the engine's Store (Redis in live use, so every replica sees them and a restarted engine finds
 * its in-flight actions). The record is rewritten whole at every step; the audit log keeps the history.
 */
export class ActionStore {
  constructor(private readonly store: Store) {}

  async save(record: ActionRecord): Promise<void> {
    await this.store.set(
      PREFIX + record.id,
      JSON.stringify(record),
      isOpen(record) ? {} : { ttlSeconds: FINISHED_TTL_SECONDS },
    );
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

  /** All records, newest first. */
  async list(): Promise<ActionRecord[]> {
    const keys = await this.store.keys(PREFIX);
    const records = await Promise.all(keys.map((k) => this.get(k.slice(PREFIX.length))));
    return records
      .filter((r): r is ActionRecord => r !== undefined)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
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
