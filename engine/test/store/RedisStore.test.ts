import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/RedisStore.js';
import { createStore } from '../../src/store/createStore.js';
import { freePort, sleep, startRedis, type RedisServer } from '../support/index.js';
import { describeStoreContract } from './storeContract.js';

let redis: RedisServer;
let counter = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

// Each store gets a fresh prefix on the one server, which is itself the isolation the contract relies on.
describeStoreContract(
  'RedisStore',
  async () => new RedisStore({ url: redis.url, keyPrefix: `contract-${++counter}:` }),
);

describe('RedisStore on a real redis-server', () => {
  it('keeps two prefixes on one Redis apart', async () => {
    const a = new RedisStore({ url: redis.url, keyPrefix: 'tenant-a:' });
    const b = new RedisStore({ url: redis.url, keyPrefix: 'tenant-b:' });
    try {
      await a.set('shared-name', 'from a');
      await b.set('shared-name', 'from b');
      await a.rpush('list', '1');
      expect(await a.get('shared-name')).toBe('from a');
      expect(await b.get('shared-name')).toBe('from b');
      expect(await a.keys('')).toEqual(expect.arrayContaining(['shared-name', 'list']));
      expect(await b.keys('')).toEqual(['shared-name']);
      expect(await b.del('list')).toBe(0);
      expect(await a.exists('list')).toBe(true);
      // The prefix really is in Redis, not a client-side illusion.
      expect(await a.client.get('tenant-b:shared-name')).toBe('from b');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('fans a published message out to another replica on the same prefix, not to another prefix', async () => {
    const replicaA = new RedisStore({ url: redis.url, keyPrefix: 'fanout:' });
    const replicaB = new RedisStore({ url: redis.url, keyPrefix: 'fanout:' });
    const stranger = new RedisStore({ url: redis.url, keyPrefix: 'elsewhere:' });
    try {
      const seenByB: string[] = [];
      const seenByStranger: string[] = [];
      await replicaB.subscribe('incidents', (m) => seenByB.push(m));
      await stranger.subscribe('incidents', (m) => seenByStranger.push(m));
      await replicaA.publish('incidents', 'opened');
      for (let i = 0; i < 100 && seenByB.length === 0; i++) await sleep(20);
      expect(seenByB).toEqual(['opened']);
      expect(seenByStranger).toEqual([]);
    } finally {
      await Promise.all([replicaA.close(), replicaB.close(), stranger.close()]);
    }
  });

  it('writes a batch larger than one Lua unpack in one script, and refuses one whose key Redis holds as a set', async () => {
    const store = new RedisStore({ url: redis.url, keyPrefix: 'big-batch:' });
    try {
      const values = Array.from({ length: 10_001 }, (_, i) => `line-${i}`);
      const fields = Object.fromEntries(Array.from({ length: 4_001 }, (_, i) => [`f${i}`, `v${i}`]));
      const binary = Buffer.from([0, 255, 10, 13]);
      await store.batch([
        { op: 'rpush', key: 'log', values },
        { op: 'hset', key: 'hash', fields },
        { op: 'setBuffer', key: 'blob', value: binary, ttlSeconds: 60 },
        { op: 'hdel', key: 'hash', fields: ['f0'] },
      ]);
      expect(await store.lrange('log', 0, -1)).toEqual(values);
      expect(Object.keys(await store.hgetall('hash'))).toHaveLength(4_000);
      expect(await store.getBuffer('blob')).toEqual(binary);
      expect(await store.client.pttl('big-batch:blob')).toBeGreaterThan(0);
      // A type neither store writes (a Redis set made outside the engine) is still a conflict, and nothing is written.
      await store.client.sadd('big-batch:foreign', 'member');
      const refused = await store
        .batch([
          { op: 'rpush', key: 'log', values: ['not written'] },
          { op: 'rpush', key: 'foreign', values: ['x'] },
        ])
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({
        code: 'CONFLICT',
        message: 'store key "foreign" holds a set, not a list',
      });
      expect(await store.lrange('log', -1, -1)).toEqual(['line-10000']);
    } finally {
      await store.close();
    }
  });

  it('keeps data across a Redis restart and reconnects by itself', async () => {
    const store = new RedisStore({ url: redis.url, keyPrefix: 'restart:' });
    try {
      await store.set('state', 'persisted');
      await store.batch([{ op: 'rpush', key: 'audit', values: ['one', 'two'] }]);
      await redis.restart();
      // The same store object, no manual reconnect: the backoff picks the server up again.
      let value: string | null = null;
      for (let i = 0; i < 50 && value === null; i++) {
        value = await store.get('state').catch(() => null);
        if (value === null) await sleep(100);
      }
      expect(value).toBe('persisted');
      expect(await store.lrange('audit', 0, -1)).toEqual(['one', 'two']);
      await store.batch([{ op: 'rpush', key: 'audit', values: ['three'] }]);
      expect(await store.lrange('audit', 0, -1)).toEqual(['one', 'two', 'three']);
      expect((await store.check()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('reports an unreachable Redis as UPSTREAM_UNAVAILABLE and an unhealthy check', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const store = new RedisStore({ url, keyPrefix: 'x:', maxRetriesPerRequest: 1, maxBackoffMs: 50 });
    try {
      await expect(store.get('k')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      const health = await store.check();
      expect(health.ok).toBe(false);
      expect(health.detail).toContain(url.replace('redis://', ''));
    } finally {
      await store.close();
    }
  });

  it('createStore builds a connected RedisStore from config', async () => {
    const store = await createStore({ kind: 'redis', url: redis.url, keyPrefix: 'cfg:' });
    try {
      expect(store.kind).toBe('redis');
      const health = await store.check();
      expect(health.ok).toBe(true);
      expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    } finally {
      await store.close();
    }
  });
});
