import { EngineError } from '../../errors.js';
import type { Store } from '../../store/Store.js';
import type { ActionRecord } from './ActionRecord.js';

const PREFIX = 'repair:action:';
const TOUCHES = 'repair:touches:';
const DECIDED = 'repair:decided:';

/**
 * Action records in the engine's Store (Redis in live use, so every replica sees them and a restarted engine finds
 * its in-flight actions). The record is rewritten whole at every step; the audit log keeps the history.
 */
export class ActionStore {
  constructor(private readonly store: Store) {}

  async save(record: ActionRecord): Promise<void> {
    await this.store.set(PREFIX + record.id, JSON.stringify(record));
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
    return this.touches(target, now, windowSeconds);
  }

  async touches(target: string, now: Date, windowSeconds: number): Promise<number> {
    const times = await this.store.lrange(TOUCHES + target, 0, -1);
    const since = now.getTime() - windowSeconds * 1000;
    return times.filter((t) => Date.parse(t) >= since).length;
  }
}
