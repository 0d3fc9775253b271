import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { EngineError } from '../errors.js';
import type { HealthCheck } from '../health/HealthCheck.js';
import type { Store, StoreWrite } from './Store.js';
import { BATCH_SCRIPT, encodeBatch, parseChanged, parseWrongType } from './redisBatchScript.js';
import { assertKey, assertWrites, changedKey, ttlMillis, wrongType } from './storeValidation.js';

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every logical key, so several engines (or tests) share one Redis without seeing each other. */
  keyPrefix: string;
  logger?: Logger;
  /** Commands fail after this many reconnect attempts while Redis is down, instead of queueing forever. */
  maxRetriesPerRequest?: number;
  /** Ceiling of the reconnect backoff, milliseconds. */
  maxBackoffMs?: number;
}

/** The client with the batch script registered (ioredis sends EVALSHA and falls back to EVAL on NOSCRIPT). */
type BatchClient = Redis & {
  aicloudopsBatch(numKeys: number, ...keysAndArgs: Array<string | Buffer>): Promise<number>;
};

/** Shared state for several engine replicas. Logical keys are prefixed here; callers never see the prefix. */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly client: Redis;
  private readonly prefix: string;
  private readonly where: string;
  /** A connection in subscriber mode cannot run other commands: subscriptions get their own, made on first use. */
  private subClient: Redis | undefined;
  private readonly listeners = new Map<string, Set<(message: string) => void>>();

  constructor(options: RedisStoreOptions) {
    this.prefix = options.keyPrefix;
    this.where = `Redis at ${redactUrl(options.url)}`;
    const maxBackoff = options.maxBackoffMs ?? 2_000;
    const redisOptions: RedisOptions = {
      // Exponential backoff with a ceiling: a restarting Redis is picked up within seconds, a dead one is not hammered.
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxBackoff),
      maxRetriesPerRequest: options.maxRetriesPerRequest ?? 3,
      connectTimeout: 5_000,
      lazyConnect: false,
      // autoResendUnfulfilledCommands stays on: with it off, ioredis 5.11 drops the commands that were unanswered when
      // the connection closed without ever settling their promises (a webhook hung forever across a Redis restart in
      // alertRoutes.test.ts). A re-sent batch may apply twice; the alert log's commit chain refuses a second copy.
    };
    this.client = new Redis(options.url, redisOptions);
    this.client.defineCommand('aicloudopsBatch', { lua: BATCH_SCRIPT });
    let warned = false;
    this.client.on('error', (error: Error) => {
      // ioredis emits every failed reconnect; one warning per outage is enough.
      if (!warned)
        options.logger?.warn({ err: error.message }, `${this.where}: connection problem, reconnecting`);
      warned = true;
    });
    this.client.on('ready', () => {
      if (warned) options.logger?.info(`${this.where}: connected again`);
      warned = false;
    });
  }

  /** Resolves once connected, or false after `timeoutMs` (the store keeps trying in the background). */
  async waitUntilReady(timeoutMs = 5_000): Promise<boolean> {
    if (this.client.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.client.once('ready', onReady);
    });
  }

  async get(key: string): Promise<string | null> {
    assertKey(key);
    return this.run(key, 'string', () => this.client.get(this.k(key)));
  }

  async set(key: string, value: string, options: { ttlSeconds?: number } = {}): Promise<void> {
    assertKey(key);
    const ttl = ttlMillis(options.ttlSeconds);
    await this.run(key, 'string', () =>
      ttl === undefined
        ? this.client.set(this.k(key), value)
        : this.client.set(this.k(key), value, 'PX', ttl),
    );
  }

  async setIfAbsent(key: string, value: string, options: { ttlSeconds?: number } = {}): Promise<boolean> {
    assertKey(key);
    const ttl = ttlMillis(options.ttlSeconds);
    const reply = await this.run(key, 'string', () =>
      ttl === undefined
        ? this.client.set(this.k(key), value, 'NX')
        : this.client.set(this.k(key), value, 'PX', ttl, 'NX'),
    );
    return reply === 'OK';
  }

  async getBuffer(key: string): Promise<Buffer | null> {
    assertKey(key);
    return this.run(key, 'string', () => this.client.getBuffer(this.k(key)));
  }

  async setBuffer(key: string, value: Buffer, options: { ttlSeconds?: number } = {}): Promise<void> {
    assertKey(key);
    const ttl = ttlMillis(options.ttlSeconds);
    await this.run(key, 'string', () =>
      ttl === undefined
        ? this.client.set(this.k(key), value)
        : this.client.set(this.k(key), value, 'PX', ttl),
    );
  }

  async del(...keys: string[]): Promise<number> {
    keys.forEach((k) => assertKey(k));
    if (keys.length === 0) return 0;
    return this.run(keys[0]!, 'key', () => this.client.del(...keys.map((k) => this.k(k))));
  }

  async exists(key: string): Promise<boolean> {
    assertKey(key);
    return (await this.run(key, 'key', () => this.client.exists(this.k(key)))) === 1;
  }

  async incr(key: string, by = 1): Promise<number> {
    assertKey(key);
    if (!Number.isInteger(by)) {
      throw new EngineError('INVALID_INPUT', `store incr amount must be an integer, got ${by}`, {
        issues: [{ field: 'by', message: 'must be an integer' }],
      });
    }
    return this.run(key, 'string', () => this.client.incrby(this.k(key), by));
  }

  async keys(prefix: string): Promise<string[]> {
    const pattern = `${escapeGlob(this.prefix + prefix)}*`;
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.run(prefix, 'key', () =>
        this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500),
      );
      cursor = next;
      for (const key of batch) found.add(key.slice(this.prefix.length));
    } while (cursor !== '0');
    return [...found];
  }

  async hset(key: string, fields: Record<string, string>): Promise<void> {
    assertKey(key);
    if (Object.keys(fields).length === 0) return;
    await this.run(key, 'hash', () => this.client.hset(this.k(key), fields));
  }

  async hget(key: string, field: string): Promise<string | null> {
    assertKey(key);
    return this.run(key, 'hash', () => this.client.hget(this.k(key), field));
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    assertKey(key);
    return this.run(key, 'hash', () => this.client.hgetall(this.k(key)));
  }

  async hdel(key: string, ...fields: string[]): Promise<number> {
    assertKey(key);
    if (fields.length === 0) return 0;
    return this.run(key, 'hash', () => this.client.hdel(this.k(key), ...fields));
  }

  async rpush(key: string, ...values: string[]): Promise<number> {
    assertKey(key);
    if (values.length === 0) return this.run(key, 'list', () => this.client.llen(this.k(key)));
    return this.run(key, 'list', () => this.client.rpush(this.k(key), ...values));
  }

  async lrange(key: string, start: number, stop: number): Promise<string[]> {
    assertKey(key);
    return this.run(key, 'list', () => this.client.lrange(this.k(key), start, stop));
  }

  async ltrim(key: string, start: number, stop: number): Promise<void> {
    assertKey(key);
    await this.run(key, 'list', () => this.client.ltrim(this.k(key), start, stop));
  }

  async zadd(key: string, ...members: string[]): Promise<void> {
    assertKey(key);
    if (members.length === 0) return;
    await this.run(key, 'zset', () => this.client.zadd(this.k(key), ...members.flatMap((m) => ['0', m])));
  }

  async zrem(key: string, ...members: string[]): Promise<number> {
    assertKey(key);
    if (members.length === 0) return 0;
    return this.run(key, 'zset', () => this.client.zrem(this.k(key), ...members));
  }

  async zrangeByLex(
    key: string,
    options: { order: 'asc' | 'desc'; after?: string; limit: number },
  ): Promise<string[]> {
    assertKey(key);
    const { order, after, limit } = options;
    if (order === 'asc') {
      return this.run(key, 'zset', () =>
        this.client.zrangebylex(this.k(key), after === undefined ? '-' : `(${after}`, '+', 'LIMIT', 0, limit),
      );
    }
    return this.run(key, 'zset', () =>
      this.client.zrevrangebylex(
        this.k(key),
        after === undefined ? '+' : `(${after}`,
        '-',
        'LIMIT',
        0,
        limit,
      ),
    );
  }

  async zremBelow(key: string, bound: string): Promise<number> {
    assertKey(key);
    return this.run(key, 'zset', () => this.client.zremrangebylex(this.k(key), '-', `(${bound}`));
  }

  async zcard(key: string): Promise<number> {
    assertKey(key);
    return this.run(key, 'zset', () => this.client.zcard(this.k(key)));
  }

  /**
   * All writes or none, in one round trip: a Lua script checks every key's type and then writes (see
   * redisBatchScript.ts). Batches sent one after another are applied in that order.
   */
  async batch(ops: StoreWrite[]): Promise<void> {
    assertWrites(ops);
    const { keys, logicalKeys, args } = encodeBatch(ops, (k) => this.k(k));
    if (args.length === 0) return;
    try {
      await this.run(logicalKeys[0]!, 'key', () =>
        (this.client as BatchClient).aicloudopsBatch(keys.length, ...keys, ...args),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const refused = parseWrongType(message, logicalKeys);
      if (refused) throw wrongType(refused.key, refused.holds, refused.wanted);
      const changed = parseChanged(message, logicalKeys);
      throw changed ? changedKey(changed) : error;
    }
  }

  async publish(channel: string, message: string): Promise<void> {
    assertKey(channel);
    await this.run(channel, 'channel', () => this.client.publish(this.k(channel), message));
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    assertKey(channel);
    const sub = (this.subClient ??= this.duplicateForSubscriptions());
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      // ioredis re-subscribes by itself after a reconnect (autoResubscribe), so a Redis restart keeps the stream.
      await this.run(channel, 'channel', () => sub.subscribe(this.k(channel)));
    }
    set.add(listener);
    return async () => {
      const current = this.listeners.get(channel);
      current?.delete(listener);
      if (current && current.size === 0) {
        this.listeners.delete(channel);
        await sub.unsubscribe(this.k(channel)).catch(() => undefined);
      }
    };
  }

  async check(): Promise<HealthCheck> {
    const started = performance.now();
    try {
      const pong = await this.client.ping();
      return {
        name: 'store',
        ok: pong === 'PONG',
        detail: `${this.where} answers PING (prefix "${this.prefix}")`,
        latencyMs: performance.now() - started,
      };
    } catch (error) {
      return {
        name: 'store',
        ok: false,
        detail: `${this.where} does not answer PING (${error instanceof Error ? error.message : String(error)}); check store.url and that Redis is running`,
        latencyMs: performance.now() - started,
      };
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([this.client, this.subClient].map((client) => (client ? quit(client) : undefined)));
  }

  private duplicateForSubscriptions(): Redis {
    const sub = this.client.duplicate();
    sub.on('error', () => undefined);
    sub.on('message', (channel: string, message: string) => {
      const listeners = this.listeners.get(channel.slice(this.prefix.length));
      for (const listener of listeners ?? []) listener(message);
    });
    return sub;
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  /** Runs one command, translating Redis and connection errors into EngineErrors. */
  private async run<T>(key: string, wanted: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (error instanceof EngineError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (message.startsWith('WRONGTYPE')) throw wrongType(key, 'value of another type', wanted);
      if (message.includes('not an integer'))
        throw new EngineError('CONFLICT', `store key "${key}" does not hold an integer`);
      if (
        /max retries|Connection is closed|ECONNREFUSED|ECONNRESET|connect ETIMEDOUT|Stream isn't writeable/i.test(
          message,
        )
      ) {
        throw new EngineError('UPSTREAM_UNAVAILABLE', `${this.where} is unavailable: ${message}`, {
          cause: error,
        });
      }
      throw new EngineError('UPSTREAM_ERROR', `${this.where} failed: ${message}`, { cause: error });
    }
  }
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await Promise.race([client.quit(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  } catch {
    // Not connected: nothing to flush.
  }
  client.disconnect();
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'the configured URL';
  }
}
