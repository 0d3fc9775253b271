import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { EngineError } from '../errors.js';
import type { HealthCheck } from '../health/HealthCheck.js';
import type { Store, StoreWrite } from './Store.js';
import { assertKey, assertWrites, ttlMillis, wrongType } from './storeValidation.js';

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every logical key, so several engines (or tests) share one Redis without seeing each other. */
  keyPrefix: string;
  logger?: Logger;
  /** Commands fail after this many reconnect attempts while Redis is down, instead of queueing forever. */
  maxRetriesPerRequest?: number;
  /** Ceiling of the reconnect backoff, milliseconds. */
  maxBackoffMs?: number;
  /** How long one batch retries when a concurrent writer touches its keys between check and commit. */
  batchAttempts?: number;
}

const REDIS_TYPE: Record<string, string> = { string: 'string', hash: 'hash', list: 'list' };

/** Shared state for several engine replicas. Logical keys are prefixed here; callers never see the prefix. */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly client: Redis;
  private readonly prefix: string;
  private readonly where: string;
  private readonly batchAttempts: number;
  /** WATCH is per connection: batches get their own connection and run one at a time on it. */
  private txClient: Redis | undefined;
  private txQueue: Promise<unknown> = Promise.resolve();
  /** A connection in subscriber mode cannot run other commands: subscriptions get their own, made on first use. */
  private subClient: Redis | undefined;
  private readonly listeners = new Map<string, Set<(message: string) => void>>();

  constructor(options: RedisStoreOptions) {
    this.prefix = options.keyPrefix;
    this.where = `Redis at ${redactUrl(options.url)}`;
    this.batchAttempts = options.batchAttempts ?? 10;
    const maxBackoff = options.maxBackoffMs ?? 2_000;
    const redisOptions: RedisOptions = {
      // Exponential backoff with a ceiling: a restarting Redis is picked up within seconds, a dead one is not hammered.
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxBackoff),
      maxRetriesPerRequest: options.maxRetriesPerRequest ?? 3,
      connectTimeout: 5_000,
      lazyConnect: false,
    };
    this.client = new Redis(options.url, redisOptions);
    let warned = false;
    this.client.on('error', (error: Error) => {
      // ioredis emits every failed reconnect; one warning per outage is enough.
      if (!warned) options.logger?.warn({ err: error.message }, `${this.where}: connection problem, reconnecting`);
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
      ttl === undefined ? this.client.set(this.k(key), value) : this.client.set(this.k(key), value, 'PX', ttl),
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
      ttl === undefined ? this.client.set(this.k(key), value) : this.client.set(this.k(key), value, 'PX', ttl),
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
      const [next, batch] = await this.run(prefix, 'key', () => this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500));
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

  /**
   * MULTI/EXEC only guarantees isolation: a command failing inside EXEC (WRONGTYPE) does not undo the others. So the
   * keys are WATCHed and their types checked first; a conflicting batch is refused before anything is written, and
   * a concurrent change between check and EXEC aborts the transaction, which is retried.
   */
  async batch(ops: StoreWrite[]): Promise<void> {
    assertWrites(ops);
    if (ops.length === 0) return;
    const keys = [...new Set(ops.map((op) => op.key))];
    const tx = (this.txClient ??= this.duplicateForTransactions());
    const turn = this.txQueue.then(() => this.run(keys[0]!, 'key', async () => {
      for (let attempt = 0; attempt < this.batchAttempts; attempt++) {
        await tx.watch(...keys.map((k) => this.k(k)));
        const types = new Map<string, string | undefined>();
        const typeReplies = await Promise.all(keys.map((k) => tx.type(this.k(k))));
        keys.forEach((k, i) => types.set(k, typeReplies[i] === 'none' ? undefined : REDIS_TYPE[typeReplies[i]!] ?? typeReplies[i]));
        try {
          checkBatchTypes(ops, types);
        } catch (error) {
          await tx.unwatch();
          throw error;
        }
        const multi = tx.multi();
        for (const op of ops) this.queue(multi, op);
        const replies = await multi.exec();
        if (replies === null) continue; // a watched key changed: nothing was written, try again
        const failed = replies.find(([error]) => error);
        if (failed) throw failed[0];
        return;
      }
      throw new EngineError('CONFLICT', `batch kept conflicting with concurrent writers after ${this.batchAttempts} attempts`);
    }));
    this.txQueue = turn.catch(() => undefined);
    await turn;
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
    await Promise.all([this.client, this.txClient, this.subClient].map((client) => (client ? quit(client) : undefined)));
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

  private queue(multi: ReturnType<Redis['multi']>, op: StoreWrite): void {
    const key = this.k(op.key);
    switch (op.op) {
      case 'set':
      case 'setBuffer': {
        const ttl = ttlMillis(op.ttlSeconds);
        if (ttl === undefined) multi.set(key, op.value);
        else multi.set(key, op.value, 'PX', ttl);
        return;
      }
      case 'del':
        multi.del(key);
        return;
      case 'hset':
        if (Object.keys(op.fields).length > 0) multi.hset(key, op.fields);
        return;
      case 'hdel':
        if (op.fields.length > 0) multi.hdel(key, ...op.fields);
        return;
      case 'rpush':
        if (op.values.length > 0) multi.rpush(key, ...op.values);
        return;
    }
  }

  private duplicateForTransactions(): Redis {
    const tx = this.client.duplicate();
    // The main client already reports outages; without a listener ioredis would print each reconnect error.
    tx.on('error', () => undefined);
    return tx;
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
      if (message.includes('not an integer')) throw new EngineError('CONFLICT', `store key "${key}" does not hold an integer`);
      if (/max retries|Connection is closed|ECONNREFUSED|ECONNRESET|connect ETIMEDOUT|Stream isn't writeable/i.test(message)) {
        throw new EngineError('UPSTREAM_UNAVAILABLE', `${this.where} is unavailable: ${message}`, { cause: error });
      }
      throw new EngineError('UPSTREAM_ERROR', `${this.where} failed: ${message}`, { cause: error });
    }
  }
}

/** The same write-type rules MemoryStore applies, against the types Redis reported for the watched keys. */
function checkBatchTypes(ops: StoreWrite[], types: Map<string, string | undefined>): void {
  for (const op of ops) {
    if (op.op === 'del') {
      types.set(op.key, undefined);
      continue;
    }
    if (op.op === 'set' || op.op === 'setBuffer') {
      types.set(op.key, 'string');
      continue;
    }
    const wanted = op.op === 'rpush' ? 'list' : 'hash';
    const current = types.get(op.key);
    if (current !== undefined && current !== wanted) throw wrongType(op.key, current, wanted);
    if (op.op !== 'hdel') types.set(op.key, wanted);
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

