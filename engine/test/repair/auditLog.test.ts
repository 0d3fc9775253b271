import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../src/repair/audit/AuditLog.js';
import { MemoryAuditLog } from '../../src/repair/audit/MemoryAuditLog.js';
import { RedisAuditLog } from '../../src/repair/audit/RedisAuditLog.js';
import { startRedis, type RedisServer } from '../support/index.js';

let redis: RedisServer;
let client: Redis;
let counter = 0;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const entry = (name: string, at: string, kind: AuditEntry['kind'] = 'applied'): AuditEntry => ({
  kind,
  at,
  actionId: `act-${name}`,
  target: { kind: 'Deployment', namespace: 'shop', name },
  rule: { id: 'crashloop-rollback', version: '3' },
  actor: 'engine:a',
  data: { patch: { spec: { template: { metadata: { annotations: { x: '1' } } } } }, resourceVersion: '42' },
});

const backends: Array<[string, () => AuditLog]> = [
  ['MemoryAuditLog', () => new MemoryAuditLog()],
  ['RedisAuditLog', () => new RedisAuditLog({ client, key: `t${++counter}:repair:audit` })],
];

describe.each(backends)('%s', (_name, make) => {
  it('chains each record to the previous one and verifies a clean log', async () => {
    const log = make();
    const a = await log.append(entry('cart', '2026-01-01T00:00:00Z'));
    const b = await log.append(entry('checkout', '2026-01-01T00:01:00Z'));
    expect(a.seq).toBe(1);
    expect(b.seq).toBe(2);
    expect(b.prevHash).toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    const verification = await log.verify();
    expect(verification).toMatchObject({ ok: true, records: 2, headHash: b.hash });
  });

  it('answers queries by workload and by time', async () => {
    const log = make();
    await log.append(entry('cart', '2026-01-01T00:00:00Z', 'dry-run'));
    await log.append(entry('checkout', '2026-01-01T00:05:00Z'));
    await log.append(entry('cart', '2026-01-01T00:10:00Z'));
    const cart = await log.query({ namespace: 'shop', name: 'cart' });
    expect(cart.map((r) => r.kind)).toEqual(['dry-run', 'applied']);
    const window = await log.query({ since: '2026-01-01T00:04:00Z', until: '2026-01-01T00:06:00Z' });
    expect(window.map((r) => r.target.name)).toEqual(['checkout']);
    expect(await log.query({ limit: 1 })).toHaveLength(1);
  });

  it('rejects an entry that does not parse, naming the field', async () => {
    const log = make();
    await expect(
      log.append({ ...entry('cart', '2026-01-01T00:00:00Z'), kind: 'nonsense' as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ field: 'entry.kind' })],
    });
  });
});

describe('tampering with the audit stream in a real Redis', () => {
  /** Rewrites the stream with the same ids, changing one record, as someone with Redis access could. */
  async function rewrite(
    key: string,
    edit: (record: Record<string, unknown>, index: number) => Record<string, unknown> | null,
  ) {
    const entries = await client.xrange(key, '-', '+');
    await client.del(key);
    for (const [index, [id, fields]] of entries.entries()) {
      const record = edit(JSON.parse(fields[1]!) as Record<string, unknown>, index);
      if (record) await client.xadd(key, id, 'r', JSON.stringify(record));
    }
  }

  async function filledLog(): Promise<{ log: RedisAuditLog; key: string }> {
    const key = `tamper${++counter}:repair:audit`;
    const log = new RedisAuditLog({ client, key });
    for (let i = 0; i < 5; i++) await log.append(entry(`svc-${i}`, `2026-01-01T00:0${i}:00Z`));
    expect((await log.verify()).ok).toBe(true);
    return { log, key };
  }

  it('detects an edited record', async () => {
    const { log, key } = await filledLog();
    await rewrite(key, (r, i) => (i === 2 ? { ...r, actor: 'someone-else' } : r));
    expect(await log.verify()).toMatchObject({
      ok: false,
      brokenAt: { seq: 3, reason: 'content does not match its hash' },
    });
  });

  it('detects an edited record whose hash was recomputed (the next link breaks)', async () => {
    const { log, key } = await filledLog();
    const { hashOf } = await import('../../src/repair/audit/hashChain.js');
    await rewrite(key, (r, i) => {
      if (i !== 1) return r;
      const { hash: _old, ...rest } = { ...r, data: {} } as unknown as Record<string, unknown> & {
        hash: string;
      };
      return { ...rest, hash: hashOf(rest as never) };
    });
    expect(await log.verify()).toMatchObject({
      ok: false,
      brokenAt: { seq: 3, reason: 'prevHash does not match' },
    });
  });

  it('detects a deleted record (XDEL) in the middle and at the end', async () => {
    const { log, key } = await filledLog();
    const ids = (await client.xrange(key, '-', '+')).map(([id]) => id);
    await client.xdel(key, ids[1]!);
    expect(await log.verify()).toMatchObject({
      ok: false,
      brokenAt: { seq: 2, reason: 'record 2 is missing' },
    });
    const second = await filledLog();
    const last = (await client.xrange(second.key, '-', '+')).map(([id]) => id).pop()!;
    await client.xdel(second.key, last);
    expect(await second.log.verify()).toMatchObject({ ok: false, brokenAt: { seq: 5 } });
  });

  it('keeps one chain when two replicas append at once', async () => {
    const key = `race${++counter}:repair:audit`;
    const other = new Redis(redis.url);
    try {
      const a = new RedisAuditLog({ client, key });
      const b = new RedisAuditLog({ client: other, key });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).append(entry(`svc-${i}`, '2026-01-01T00:00:00Z')),
        ),
      );
      expect(await a.verify()).toMatchObject({ ok: true, records: 20 });
    } finally {
      other.disconnect();
    }
  });
});
