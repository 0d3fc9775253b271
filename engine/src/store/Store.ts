import type { HealthCheck } from '../health/HealthCheck.js';

/**
 * Shared state of the engine: results, models, knowledge-base chunks and vectors, audit trails, locks.
 * RedisStore lets several engine replicas share it; MemoryStore is the demo default. Both honour the same semantics
 * (keys are namespaced by the configured prefix inside the implementation, callers use logical keys).
 */
export interface Store {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { ttlSeconds?: number }): Promise<void>;
  /** Sets only when absent; true when this call set it (a lock or a once-only marker). */
  setIfAbsent(key: string, value: string, options?: { ttlSeconds?: number }): Promise<boolean>;
  getBuffer(key: string): Promise<Buffer | null>;
  setBuffer(key: string, value: Buffer, options?: { ttlSeconds?: number }): Promise<void>;
  del(...keys: string[]): Promise<number>;
  exists(key: string): Promise<boolean>;
  incr(key: string, by?: number): Promise<number>;
  /** Logical keys starting with the prefix (SCAN, never KEYS, in Redis). */
  keys(prefix: string): Promise<string[]>;

  hset(key: string, fields: Record<string, string>): Promise<void>;
  hget(key: string, field: string): Promise<string | null>;
  hgetall(key: string): Promise<Record<string, string>>;
  hdel(key: string, ...fields: string[]): Promise<number>;

  /** Append-only lists (audit trails, histories); `lrange` indices as in Redis (0, -1 for all). */
  rpush(key: string, ...values: string[]): Promise<number>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  ltrim(key: string, start: number, stop: number): Promise<void>;

  /**
   * Sorted sets of strings ordered by their UTF-8 bytes (Redis sorted sets with every score 0, read by lex range):
   * indexes that let a list endpoint read one page of records instead of all of them. Members are sort keys, e.g.
   * `${createdAt}|${id}`.
   */
  zadd(key: string, ...members: string[]): Promise<void>;
  zrem(key: string, ...members: string[]): Promise<number>;
  /** Up to `limit` members strictly after `after` (all when absent), in ascending or descending byte order. */
  zrangeByLex(
    key: string,
    options: { order: 'asc' | 'desc'; after?: string; limit: number },
  ): Promise<string[]>;
  /** Removes the members sorting strictly before `bound`; returns how many (pruning an index of expired records). */
  zremBelow(key: string, bound: string): Promise<number>;
  zcard(key: string): Promise<number>;

  /** Applies all writes or none (one Lua script in Redis), so nothing is half-written. */
  batch(ops: StoreWrite[]): Promise<void>;

  /**
   * Fire-and-forget messages to every subscriber of a logical channel, on every replica sharing the store (Redis
   * PUBLISH/SUBSCRIBE; an EventEmitter in memory). Nothing is kept: a subscriber sees only what is published after
   * its subscribe() resolved.
   */
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active; the returned function ends it. */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;

  check(): Promise<HealthCheck>;
  close(): Promise<void>;
}

export type StoreWrite =
  | { op: 'set'; key: string; value: string; ttlSeconds?: number }
  | { op: 'setBuffer'; key: string; value: Buffer; ttlSeconds?: number }
  | { op: 'del'; key: string }
  | { op: 'hset'; key: string; fields: Record<string, string> }
  | { op: 'hdel'; key: string; fields: string[] }
  | { op: 'rpush'; key: string; values: string[] }
  | { op: 'zadd'; key: string; members: string[] }
  | { op: 'zrem'; key: string; members: string[] }
  /**
   * A precondition, not a write: the batch is applied only if `key` holds exactly `value` (a string; null: absent)
   * before the batch, and otherwise refused with CONFLICT, writing nothing (a compare-and-set, as etcd's txn compare).
   */
  | { op: 'expect'; key: string; value: string | null };
