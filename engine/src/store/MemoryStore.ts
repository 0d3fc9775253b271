import { EventEmitter } from 'node:events';
import type { HealthCheck } from '../health/HealthCheck.js';
import { EngineError } from '../errors.js';
import type { Store, StoreWrite } from './Store.js';
import { assertKey, assertWrites, changedKey, listWindow, ttlMillis, wrongType } from './storeValidation.js';
import { plural } from '../util/plural.js';

type Entry =
  | { type: 'string'; value: Buffer; expiresAt?: number }
  | { type: 'hash'; value: Map<string, string>; expiresAt?: number }
  | { type: 'list'; value: string[]; expiresAt?: number }
  /** Members sorted by their UTF-8 bytes, as Redis orders a sorted set whose scores are all equal. */
  | { type: 'zset'; value: string[]; expiresAt?: number };

/**
 * The store of a single engine process (the demo default): Redis semantics (types, TTLs, list indices) in a Map,
 * so code tested against it behaves the same on Redis. Expired keys are dropped lazily when touched.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly channels = new EventEmitter().setMaxListeners(0);
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | null> {
    return (await this.getBuffer(key))?.toString('utf8') ?? null;
  }

  async set(key: string, value: string, options: { ttlSeconds?: number } = {}): Promise<void> {
    assertKey(key);
    ttlMillis(options.ttlSeconds);
    this.apply([{ op: 'set', key, value, ...options }]);
  }

  async setIfAbsent(key: string, value: string, options: { ttlSeconds?: number } = {}): Promise<boolean> {
    assertKey(key);
    const ttl = ttlMillis(options.ttlSeconds);
    if (this.live(key)) return false;
    this.entries.set(key, { type: 'string', value: Buffer.from(value, 'utf8'), ...this.expiry(ttl) });
    return true;
  }

  async getBuffer(key: string): Promise<Buffer | null> {
    assertKey(key);
    const entry = this.live(key);
    if (!entry) return null;
    if (entry.type !== 'string') throw wrongType(key, entry.type, 'string');
    return Buffer.from(entry.value);
  }

  async setBuffer(key: string, value: Buffer, options: { ttlSeconds?: number } = {}): Promise<void> {
    assertKey(key);
    ttlMillis(options.ttlSeconds);
    this.apply([{ op: 'setBuffer', key, value, ...options }]);
  }

  async del(...keys: string[]): Promise<number> {
    keys.forEach((k) => assertKey(k));
    this.ensureOpen();
    let removed = 0;
    for (const key of new Set(keys)) if (this.live(key) && this.entries.delete(key)) removed++;
    return removed;
  }

  async exists(key: string): Promise<boolean> {
    assertKey(key);
    return this.live(key) !== undefined;
  }

  async incr(key: string, by = 1): Promise<number> {
    assertKey(key);
    if (!Number.isInteger(by)) {
      throw new EngineError('INVALID_INPUT', `store incr amount must be an integer, got ${by}`, {
        issues: [{ field: 'by', message: 'must be an integer' }],
      });
    }
    this.ensureOpen();
    const entry = this.live(key);
    if (entry && entry.type !== 'string') throw wrongType(key, entry.type, 'string');
    const current = entry ? entry.value.toString('utf8') : '0';
    if (!/^-?\d+$/.test(current))
      throw new EngineError('CONFLICT', `store key "${key}" does not hold an integer`);
    const next = Number(current) + by;
    this.entries.set(key, {
      type: 'string',
      value: Buffer.from(String(next)),
      ...(entry?.expiresAt ? { expiresAt: entry.expiresAt } : {}),
    });
    return next;
  }

  async keys(prefix: string): Promise<string[]> {
    this.ensureOpen();
    const found: string[] = [];
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix) && this.live(key)) found.push(key);
    return found;
  }

  async hset(key: string, fields: Record<string, string>): Promise<void> {
    this.apply([{ op: 'hset', key, fields }]);
  }

  async hget(key: string, field: string): Promise<string | null> {
    return this.hash(key)?.get(field) ?? null;
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.hash(key) ?? []);
  }

  async hdel(key: string, ...fields: string[]): Promise<number> {
    assertKey(key);
    const hash = this.hash(key);
    if (!hash) return 0;
    let removed = 0;
    for (const field of new Set(fields)) if (hash.delete(field)) removed++;
    if (hash.size === 0) this.entries.delete(key);
    return removed;
  }

  async rpush(key: string, ...values: string[]): Promise<number> {
    assertKey(key);
    this.apply([{ op: 'rpush', key, values }]);
    return this.list(key)?.length ?? 0;
  }

  async lrange(key: string, start: number, stop: number): Promise<string[]> {
    const list = this.list(key) ?? [];
    const [from, to] = listWindow(list.length, start, stop);
    return list.slice(from, to);
  }

  async ltrim(key: string, start: number, stop: number): Promise<void> {
    const entry = this.live(key);
    if (!entry) return;
    if (entry.type !== 'list') throw wrongType(key, entry.type, 'list');
    const [from, to] = listWindow(entry.value.length, start, stop);
    entry.value = entry.value.slice(from, to);
    if (entry.value.length === 0) this.entries.delete(key);
  }

  async zadd(key: string, ...members: string[]): Promise<void> {
    assertKey(key);
    this.apply([{ op: 'zadd', key, members }]);
  }

  async zrem(key: string, ...members: string[]): Promise<number> {
    const sorted = this.zset(key);
    if (!sorted) return 0;
    const removed = removeMembers(sorted, members);
    if (sorted.length === 0) this.entries.delete(key);
    return removed;
  }

  async zrangeByLex(
    key: string,
    options: { order: 'asc' | 'desc'; after?: string; limit: number },
  ): Promise<string[]> {
    const sorted = this.zset(key) ?? [];
    if (options.order === 'asc') {
      const from = options.after === undefined ? 0 : upperBound(sorted, options.after);
      return sorted.slice(from, from + options.limit);
    }
    const to = options.after === undefined ? sorted.length : lowerBound(sorted, options.after);
    return sorted.slice(Math.max(0, to - options.limit), to).reverse();
  }

  async zremBelow(key: string, bound: string): Promise<number> {
    const sorted = this.zset(key);
    if (!sorted) return 0;
    const removed = sorted.splice(0, lowerBound(sorted, bound)).length;
    if (sorted.length === 0) this.entries.delete(key);
    return removed;
  }

  async zcard(key: string): Promise<number> {
    return this.zset(key)?.length ?? 0;
  }

  async batch(ops: StoreWrite[]): Promise<void> {
    this.apply(ops);
  }

  async check(): Promise<HealthCheck> {
    const started = performance.now();
    return {
      name: 'store',
      ok: !this.closed,
      detail: this.closed
        ? 'memory store is closed'
        : `memory store holds ${plural(this.entries.size, 'key')} (not shared between replicas)`,
      latencyMs: performance.now() - started,
    };
  }

  async publish(channel: string, message: string): Promise<void> {
    assertKey(channel);
    this.ensureOpen();
    // Delivered on a later tick, as Redis would: a publisher never runs its subscribers inside its own call.
    setImmediate(() => this.channels.emit(channel, message));
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    assertKey(channel);
    this.ensureOpen();
    this.channels.on(channel, listener);
    return async () => {
      this.channels.off(channel, listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.channels.removeAllListeners();
  }

  /** All writes checked before any is made: one synchronous pass, so a batch is all-or-nothing. */
  private apply(ops: StoreWrite[]): void {
    this.ensureOpen();
    assertWrites(ops);
    // Type conflicts are found against the state the batch itself builds up, as Redis would meet them in order.
    const types = new Map<string, Entry['type'] | undefined>();
    const typeOf = (key: string) => (types.has(key) ? types.get(key) : this.live(key)?.type);
    for (const op of ops)
      if (op.op === 'expect' && this.stringValue(op.key) !== op.value) throw changedKey(op.key);
    for (const op of ops) {
      if (op.op === 'expect') continue;
      const wanted = WRITE_TYPE[op.op];
      const current = typeOf(op.key);
      if (op.op === 'del') types.set(op.key, undefined);
      else if (op.op === 'set' || op.op === 'setBuffer') types.set(op.key, 'string');
      else if (current !== undefined && current !== wanted) throw wrongType(op.key, current, wanted!);
      else if (op.op !== 'hdel' && op.op !== 'zrem') types.set(op.key, wanted);
    }
    for (const op of ops) this.write(op);
  }

  /** A string key's value, null when absent, undefined when the key holds another type. */
  private stringValue(key: string): string | null | undefined {
    const entry = this.live(key);
    if (!entry) return null;
    return entry.type === 'string' ? entry.value.toString('utf8') : undefined;
  }

  private write(op: StoreWrite): void {
    switch (op.op) {
      case 'expect':
        return;
      case 'set':
      case 'setBuffer': {
        const value = op.op === 'set' ? Buffer.from(op.value, 'utf8') : Buffer.from(op.value);
        this.entries.set(op.key, { type: 'string', value, ...this.expiry(ttlMillis(op.ttlSeconds)) });
        return;
      }
      case 'del':
        this.entries.delete(op.key);
        return;
      case 'hset': {
        if (Object.keys(op.fields).length === 0) return;
        const entry = this.live(op.key);
        if (entry?.type === 'hash') for (const [f, v] of Object.entries(op.fields)) entry.value.set(f, v);
        else this.entries.set(op.key, { type: 'hash', value: new Map(Object.entries(op.fields)) });
        return;
      }
      case 'hdel': {
        const entry = this.live(op.key);
        if (entry?.type !== 'hash') return;
        for (const f of op.fields) entry.value.delete(f);
        if (entry.value.size === 0) this.entries.delete(op.key);
        return;
      }
      case 'zadd': {
        if (op.members.length === 0) return;
        const entry = this.live(op.key);
        const sorted = entry?.type === 'zset' ? entry.value : [];
        for (const member of op.members) {
          const i = lowerBound(sorted, member);
          if (sorted[i] !== member) sorted.splice(i, 0, member);
        }
        if (entry?.type !== 'zset') this.entries.set(op.key, { type: 'zset', value: sorted });
        return;
      }
      case 'zrem': {
        const entry = this.live(op.key);
        if (entry?.type !== 'zset') return;
        removeMembers(entry.value, op.members);
        if (entry.value.length === 0) this.entries.delete(op.key);
        return;
      }
      case 'rpush': {
        if (op.values.length === 0) return;
        const entry = this.live(op.key);
        if (entry?.type === 'list') entry.value.push(...op.values);
        else this.entries.set(op.key, { type: 'list', value: [...op.values] });
        return;
      }
    }
  }

  private hash(key: string): Map<string, string> | undefined {
    assertKey(key);
    const entry = this.live(key);
    if (entry && entry.type !== 'hash') throw wrongType(key, entry.type, 'hash');
    return entry?.value;
  }

  private zset(key: string): string[] | undefined {
    assertKey(key);
    const entry = this.live(key);
    if (entry && entry.type !== 'zset') throw wrongType(key, entry.type, 'zset');
    return entry?.value;
  }

  private list(key: string): string[] | undefined {
    assertKey(key);
    const entry = this.live(key);
    if (entry && entry.type !== 'list') throw wrongType(key, entry.type, 'list');
    return entry?.value;
  }

  private live(key: string): Entry | undefined {
    this.ensureOpen();
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expiry(ttlMs: number | undefined): { expiresAt?: number } {
    return ttlMs === undefined ? {} : { expiresAt: this.now() + ttlMs };
  }

  private ensureOpen(): void {
    if (this.closed) throw new EngineError('UPSTREAM_UNAVAILABLE', 'the memory store is closed');
  }
}

/** The type each write needs its key to hold (or gives it); `del` any. */
const WRITE_TYPE: Record<StoreWrite['op'], Entry['type'] | undefined> = {
  set: 'string',
  setBuffer: 'string',
  expect: 'string',
  del: undefined,
  hset: 'hash',
  hdel: 'hash',
  rpush: 'list',
  zadd: 'zset',
  zrem: 'zset',
};

/** Redis orders equal-score members by memcmp of their bytes; JavaScript's `<` compares UTF-16 units, which differs. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** First index whose member is not before `member`. */
function lowerBound(sorted: string[], member: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareBytes(sorted[mid]!, member) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose member is after `member`. */
function upperBound(sorted: string[], member: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareBytes(sorted[mid]!, member) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Removes members from a sorted array in place, in one pass: a splice per member moved the rest of the array each
 * time, so the repair index's first prune of 20,000 expired members held the event loop for 1.5-2.5 s.
 */
function removeMembers(sorted: string[], members: readonly string[]): number {
  const drop = new Set<number>();
  for (const member of members) {
    const i = lowerBound(sorted, member);
    if (sorted[i] === member) drop.add(i);
  }
  if (drop.size === 0) return 0;
  let kept = 0;
  for (let i = 0; i < sorted.length; i++) if (!drop.has(i)) sorted[kept++] = sorted[i]!;
  sorted.length = kept;
  return drop.size;
}
