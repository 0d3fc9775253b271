import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors.js';
import type { Store } from '../../src/store/Store.js';
import { sleep } from '../support/index.js';

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/**
 * The semantics every Store implementation must honour, run against each of them. `make` returns a store over an
 * empty keyspace of its own.
 */
export function describeStoreContract(name: string, make: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    const opened: Store[] = [];
    beforeEach(async () => {
      store = await make();
      opened.push(store);
    });
    afterAll(async () => {
      for (const s of opened) await s.close();
    });

    it('gets, sets, deletes and checks existence', async () => {
      expect(await store.get('a')).toBeNull();
      await store.set('a', 'héllo');
      expect(await store.get('a')).toBe('héllo');
      expect(await store.exists('a')).toBe(true);
      expect(await store.del('a', 'missing')).toBe(1);
      expect(await store.exists('a')).toBe(false);
    });

    it('round-trips binary values byte for byte', async () => {
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await store.setBuffer('bin', bytes);
      expect(Buffer.compare((await store.getBuffer('bin'))!, bytes)).toBe(0);
      expect(await store.getBuffer('nothing')).toBeNull();
    });

    it('setIfAbsent sets only once', async () => {
      expect(await store.setIfAbsent('lock', 'first')).toBe(true);
      expect(await store.setIfAbsent('lock', 'second')).toBe(false);
      expect(await store.get('lock')).toBe('first');
    });

    it('expires keys after their TTL and keeps the others', async () => {
      await store.set('short', 'x', { ttlSeconds: 0.3 });
      await store.setBuffer('shortbin', Buffer.from('y'), { ttlSeconds: 0.3 });
      await store.setIfAbsent('shortlock', 'z', { ttlSeconds: 0.3 });
      await store.set('long', 'x', { ttlSeconds: 60 });
      await store.set('forever', 'x');
      expect(await store.get('short')).toBe('x');
      await sleep(700);
      expect(await store.get('short')).toBeNull();
      expect(await store.getBuffer('shortbin')).toBeNull();
      expect(await store.setIfAbsent('shortlock', 'again')).toBe(true);
      expect(await store.get('long')).toBe('x');
      expect((await store.keys('')).sort()).toEqual(['forever', 'long', 'shortlock']);
    });

    it('a plain set clears an earlier TTL', async () => {
      await store.set('k', 'v', { ttlSeconds: 0.3 });
      await store.set('k', 'w');
      await sleep(500);
      expect(await store.get('k')).toBe('w');
    });

    it('rejects a non-positive TTL naming the field', async () => {
      const error = await store.set('k', 'v', { ttlSeconds: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).issues[0]!.field).toBe('ttlSeconds');
    });

    it('increments integers', async () => {
      expect(await store.incr('n')).toBe(1);
      expect(await store.incr('n', 41)).toBe(42);
      expect(await store.incr('n', -2)).toBe(40);
      await store.set('text', 'abc');
      await expect(store.incr('text')).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('lists logical keys by prefix', async () => {
      await store.set('job:1', 'a');
      await store.set('job:2', 'b');
      await store.set('job*3', 'glob characters are literal');
      await store.hset('jobs:index', { x: '1' });
      await store.set('other', 'c');
      expect((await store.keys('job:')).sort()).toEqual(['job:1', 'job:2']);
      expect((await store.keys('job*')).sort()).toEqual(['job*3']);
      expect((await store.keys('')).sort()).toEqual(['job*3', 'job:1', 'job:2', 'jobs:index', 'other']);
    });

    it('handles hashes', async () => {
      await store.hset('h', { a: '1', b: '2' });
      await store.hset('h', { b: '3', c: '4' });
      expect(await store.hget('h', 'b')).toBe('3');
      expect(await store.hget('h', 'zz')).toBeNull();
      expect(await store.hgetall('h')).toEqual({ a: '1', b: '3', c: '4' });
      expect(await store.hdel('h', 'a', 'zz')).toBe(1);
      expect(await store.hgetall('missing')).toEqual({});
      expect(await store.hdel('h', 'b', 'c')).toBe(2);
      expect(await store.exists('h')).toBe(false);
    });

    it('handles lists with Redis index semantics', async () => {
      expect(await store.rpush('l', 'a', 'b', 'c')).toBe(3);
      expect(await store.rpush('l', 'd', 'e')).toBe(5);
      expect(await store.lrange('l', 0, -1)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await store.lrange('l', -2, -1)).toEqual(['d', 'e']);
      expect(await store.lrange('l', 1, 2)).toEqual(['b', 'c']);
      expect(await store.lrange('l', 3, 100)).toEqual(['d', 'e']);
      expect(await store.lrange('l', 4, 2)).toEqual([]);
      expect(await store.lrange('l', -100, 0)).toEqual(['a']);
      await store.ltrim('l', -3, -1);
      expect(await store.lrange('l', 0, -1)).toEqual(['c', 'd', 'e']);
      await store.ltrim('l', 5, 10);
      expect(await store.exists('l')).toBe(false);
    });

    it('refuses to read a key as the wrong type', async () => {
      await store.hset('h', { a: '1' });
      await expect(store.get('h')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(store.rpush('h', 'x')).rejects.toMatchObject({ code: 'CONFLICT' });
      await store.set('s', 'v');
      await expect(store.hgetall('s')).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('applies a batch entirely', async () => {
      await store.set('gone', 'x');
      await store.batch([
        { op: 'set', key: 'b:1', value: 'one' },
        { op: 'setBuffer', key: 'b:2', value: Buffer.from([0, 255]) },
        { op: 'hset', key: 'b:h', fields: { f: 'v', g: 'w' } },
        { op: 'hdel', key: 'b:h', fields: ['g'] },
        { op: 'rpush', key: 'b:l', values: ['x', 'y'] },
        { op: 'del', key: 'gone' },
        { op: 'set', key: 'b:ttl', value: 't', ttlSeconds: 0.3 },
      ]);
      expect(await store.get('b:1')).toBe('one');
      expect([...(await store.getBuffer('b:2'))!]).toEqual([0, 255]);
      expect(await store.hgetall('b:h')).toEqual({ f: 'v' });
      expect(await store.lrange('b:l', 0, -1)).toEqual(['x', 'y']);
      expect(await store.exists('gone')).toBe(false);
      await sleep(600);
      expect(await store.exists('b:ttl')).toBe(false);
    });

    it('writes nothing of a batch that cannot be applied completely', async () => {
      await store.set('text', 'plain');
      await store.set('keep', 'before');
      const error = await store
        .batch([
          { op: 'set', key: 'keep', value: 'after' },
          { op: 'rpush', key: 'new-list', values: ['a'] },
          { op: 'hset', key: 'text', fields: { f: 'v' } }, // a string cannot take a hash write
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('CONFLICT');
      expect(await store.get('keep')).toBe('before');
      expect(await store.exists('new-list')).toBe(false);
      expect(await store.get('text')).toBe('plain');
    });

    it('applies a batch only while its expected values hold (compare-and-set), checked before its own writes', async () => {
      await store.batch([
        { op: 'expect', key: 'seq', value: null },
        { op: 'set', key: 'seq', value: '1' },
        { op: 'rpush', key: 'chain', values: ['a'] },
      ]);
      await store.batch([
        { op: 'expect', key: 'seq', value: '1' },
        { op: 'set', key: 'seq', value: '2' },
        { op: 'rpush', key: 'chain', values: ['b'] },
      ]);
      // A stale expectation (a second writer that missed batch 2) writes nothing.
      const stale = await store
        .batch([
          { op: 'expect', key: 'seq', value: '1' },
          { op: 'set', key: 'seq', value: '2' },
          { op: 'rpush', key: 'chain', values: ['c'] },
        ])
        .catch((e: unknown) => e);
      expect(stale).toMatchObject({
        code: 'CONFLICT',
        message: 'store key "seq" does not hold the value the batch expected: nothing was written',
      });
      // Absent means absent, and a key of another type never matches.
      await store.hset('a-hash', { f: 'v' });
      await expect(
        store.batch([
          { op: 'expect', key: 'seq', value: null },
          { op: 'rpush', key: 'chain', values: ['d'] },
        ]),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(
        store.batch([
          { op: 'expect', key: 'a-hash', value: null },
          { op: 'rpush', key: 'chain', values: ['e'] },
        ]),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await store.lrange('chain', 0, -1)).toEqual(['a', 'b']);
      expect(await store.get('seq')).toBe('2');
    });

    it('sees a key retyped earlier in the same batch', async () => {
      await store.set('k', 'string first');
      await store.batch([
        { op: 'del', key: 'k' },
        { op: 'rpush', key: 'k', values: ['now a list'] },
      ]);
      expect(await store.lrange('k', 0, -1)).toEqual(['now a list']);
    });

    it('keeps sorted sets in byte order and reads pages after a member, both ways', async () => {
      // 'Z' < 'a' < 'z' < 'é' in UTF-8 bytes (0x5a, 0x61, 0x7a, 0xc3); a duplicate is kept once.
      await store.zadd('idx', 'z', 'a', 'é', 'Z', 'a');
      await store.zadd('idx', 'm');
      expect(await store.zcard('idx')).toBe(5);
      expect(await store.zrangeByLex('idx', { order: 'asc', limit: 10 })).toEqual(['Z', 'a', 'm', 'z', 'é']);
      expect(await store.zrangeByLex('idx', { order: 'desc', limit: 2 })).toEqual(['é', 'z']);
      expect(await store.zrangeByLex('idx', { order: 'desc', after: 'z', limit: 2 })).toEqual(['m', 'a']);
      expect(await store.zrangeByLex('idx', { order: 'asc', after: 'a', limit: 2 })).toEqual(['m', 'z']);
      // `after` need not be a member: the page starts at the next one either way.
      expect(await store.zrangeByLex('idx', { order: 'desc', after: 'n', limit: 10 })).toEqual([
        'm',
        'a',
        'Z',
      ]);
      expect(await store.zrangeByLex('idx', { order: 'asc', after: 'é', limit: 10 })).toEqual([]);
      expect(await store.zrem('idx', 'm', 'missing')).toBe(1);
      expect(await store.zremBelow('idx', 'z')).toBe(2);
      expect(await store.zrangeByLex('idx', { order: 'asc', limit: 10 })).toEqual(['z', 'é']);
      expect(await store.zrangeByLex('nothing', { order: 'desc', limit: 10 })).toEqual([]);
      expect(await store.zcard('nothing')).toBe(0);
      await store.zrem('idx', 'z', 'é');
      expect(await store.exists('idx')).toBe(false);
    });

    it('writes sorted sets in batches, refusing a key of another type and writing nothing then', async () => {
      await store.batch([
        { op: 'set', key: 'rec:1', value: 'one' },
        { op: 'zadd', key: 'by-time', members: ['2026-01-01|1', '2026-01-02|2'] },
        { op: 'zrem', key: 'by-time', members: ['2026-01-01|1'] },
      ]);
      expect(await store.zrangeByLex('by-time', { order: 'asc', limit: 10 })).toEqual(['2026-01-02|2']);
      await store.set('plain', 'x');
      await expect(
        store.batch([
          { op: 'zadd', key: 'by-time', members: ['late'] },
          { op: 'zadd', key: 'plain', members: ['a'] },
        ]),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await store.zcard('by-time')).toBe(1);
      await expect(store.zadd('plain', 'a')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(store.zrangeByLex('plain', { order: 'asc', limit: 1 })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      // More members than one chunk of the Lua script's unpack.
      const many = Array.from({ length: 9_001 }, (_, i) => `m${String(i).padStart(5, '0')}`);
      await store.batch([{ op: 'zadd', key: 'big', members: many }]);
      expect(await store.zcard('big')).toBe(9_001);
      expect(await store.zrangeByLex('big', { order: 'desc', limit: 1 })).toEqual(['m09000']);
    });

    it('delivers published messages to every subscriber of the channel until it unsubscribes', async () => {
      const a: string[] = [];
      const b: string[] = [];
      const stopA = await store.subscribe('news', (m) => a.push(m));
      const stopB = await store.subscribe('news', (m) => b.push(m));
      const other: string[] = [];
      const stopOther = await store.subscribe('other', (m) => other.push(m));
      await store.publish('news', 'one');
      await waitFor(() => a.length === 1 && b.length === 1);
      await stopA();
      await store.publish('news', 'two');
      await waitFor(() => b.length === 2);
      expect(a).toEqual(['one']);
      expect(b).toEqual(['one', 'two']);
      expect(other).toEqual([]);
      await stopB();
      await stopOther();
    });

    it('reports health', async () => {
      const health = await store.check();
      expect(health.ok).toBe(true);
      expect(health.name).toBe('store');
    });
  });
}
