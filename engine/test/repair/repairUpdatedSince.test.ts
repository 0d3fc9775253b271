import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApiError } from '@ai-cloudops/engine-client';
import type { ActionRecord } from '../../src/repair/executor/ActionRecord.js';
import { ActionStore } from '../../src/repair/executor/ActionStore.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { bootRepairEngine, type RepairEngine } from '../support/repairEngine.js';
import { startRedis, type RedisServer } from '../support/startRedis.js';

/**
 * `GET /repair/actions?updatedSince=` over HTTP through the typed client, on the memory store and on a real Redis:
 * what changed since a time, read from the index by update time, and `node=` for a node's own repairs.
 */

const HOUR = 3_600_000;
const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

/** A finished action on `name` (a Deployment in shop, or a Node), created and last updated at the given times. */
function action(
  id: string,
  name: string,
  times: { createdAt: string; updatedAt: string },
  kind: 'Deployment' | 'Node' = 'Deployment',
): ActionRecord {
  const ref = { kind, namespace: kind === 'Node' ? '' : 'shop', name };
  return {
    id,
    state: 'rejected',
    planned: {
      type: kind === 'Node' ? 'cordon-node' : 'rollout-restart',
      target: ref,
      params: {},
      mode: 'approve',
      ruleId: 'test',
      ruleVersion: 1,
      findingFingerprint: `fp-${id}`,
      reason: 'test',
    },
    finding: {
      fingerprint: `fp-${id}`,
      type: kind === 'Node' ? 'NodeNotReady' : 'CrashLoopBackOff',
      object: ref,
      owners: [],
      workload: ref,
      evidence: { statuses: [], events: [], logTail: [] },
      since: times.createdAt,
      heldSeconds: 60,
      severity: 'warning',
      message: 'test',
      details: {},
    },
    ...times,
  };
}

type Running = RepairEngine;
const boot = (store?: Record<string, unknown>) => bootRepairEngine('repair-updated', store);

const ids = (page: { items: Array<{ id: string }> }) => page.items.map((a) => a.id);

/** The behaviour both stores must have, asked of `running()`; records are written as the executor writes them. */
function updatedSinceSuite(running: () => Running) {
  const actions = () => new ActionStore(running().engine.context.store);

  it('lists an action updated after its creation for an updatedSince after that creation, newest update first', async () => {
    const store = actions();
    const created = at(3 * HOUR);
    const moved = action('moved', 'upd-web', { createdAt: created, updatedAt: created });
    await store.save(moved);
    await store.save(action('still', 'upd-web', { createdAt: at(2 * HOUR), updatedAt: at(2 * HOUR) }));
    await store.save(action('fresh', 'upd-web', { createdAt: at(HOUR), updatedAt: at(HOUR) }));
    // Rejected an hour after the newest was created: its update time moves, its creation does not.
    await store.save({ ...moved, state: 'expired', updatedAt: at(HOUR / 2) });

    const { client } = running();
    const sinceCreation = await client.repairActions({ name: 'upd-web', updatedSince: at(2.5 * HOUR) });
    expect(ids(sinceCreation)).toEqual(['moved', 'fresh', 'still']);
    expect(sinceCreation.items[0]!.state).toBe('expired');
    expect(ids(await client.repairActions({ name: 'upd-web', updatedSince: at(0.75 * HOUR) }))).toEqual([
      'moved',
    ]);
    // `since` still compares creation time: the old action is not among those created in the last 2.5 hours.
    expect(ids(await client.repairActions({ name: 'upd-web', since: at(2.5 * HOUR) }))).toEqual([
      'fresh',
      'still',
    ]);

    // One update-index entry per action: the move left none behind at its creation time.
    const byUpdate = await store.page({ index: 'updated', limit: 1000 });
    expect(byUpdate.filter((r) => r.record.id === 'moved').map((r) => r.key)).toEqual([
      `${(await store.require('moved')).updatedAt}|moved`,
    ]);
  });

  it('pages an updatedSince listing with limit and cursor, as the other listings', async () => {
    const first = await running().client.repairActions({
      name: 'upd-web',
      updatedSince: at(2.5 * HOUR),
      limit: 2,
    });
    expect(ids(first)).toEqual(['moved', 'fresh']);
    const second = await running().client.repairActions({
      name: 'upd-web',
      updatedSince: at(2.5 * HOUR),
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(ids(second)).toEqual(['still']);
    expect(second.nextCursor).toBeUndefined();
  });

  it("finds a node's own repair by node name", async () => {
    await actions().save(
      action('on-node', 'upd-node-2', { createdAt: at(HOUR), updatedAt: at(HOUR) }, 'Node'),
    );
    const { client } = running();
    expect(ids(await client.repairActions({ node: 'upd-node-2' }))).toEqual(['on-node']);
    expect(
      ids(await client.repairActions({ node: 'upd-node-1,upd-node-2', updatedSince: at(2 * HOUR) })),
    ).toEqual(['on-node']);
    expect(ids(await client.repairActions({ node: 'upd-node-1' }))).toEqual([]);
    // A workload named like the node is not a node.
    await actions().save(action('not-node', 'upd-node-2', { createdAt: at(HOUR), updatedAt: at(HOUR) }));
    expect(ids(await client.repairActions({ node: 'upd-node-2' }))).toEqual(['on-node']);
  });

  it('refuses an updatedSince that is not an RFC 3339 time with its offset, naming the field', async () => {
    for (const updatedSince of ['yesterday', '2026-01-01T00:00:00']) {
      const refused = await running()
        .client.repairActions({ updatedSince })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(EngineApiError);
      expect((refused as EngineApiError).status).toBe(400);
      expect((refused as EngineApiError).issues).toContainEqual({
        field: 'querystring.updatedSince',
        message: expect.stringContaining('RFC 3339'),
      });
    }
  });
}

describe('repair actions by update time, on the memory store', () => {
  let engine: Running;
  beforeAll(async () => {
    engine = await boot();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });

  updatedSinceSuite(() => engine);

  it('names updatedSince (a date-time) and node in the OpenAPI document', async () => {
    const doc = (await engine.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, { get: { parameters: Array<{ name: string; in: string; schema: object }> } }>;
    }>();
    const query = doc.paths['/api/v1/repair/actions']!.get.parameters.filter((p) => p.in === 'query');
    expect(query).toContainEqual(
      expect.objectContaining({
        name: 'updatedSince',
        schema: expect.objectContaining({ format: 'date-time' }),
      }),
    );
    expect(query.map((p) => p.name)).toContain('node');
    // Each parameter says what it does, from its schema's `.describe()` (zod's metadata was dropped before).
    const described = Object.fromEntries(
      query.map((p) => [p.name, (p as { description?: string }).description]),
    );
    expect(described['updatedSince']).toContain('updated (any step)');
    expect(described['since']).toContain('created at or after');
  });

  it('back-fills the update index of records stored before it, through the Store port', async () => {
    const store = new MemoryStore();
    const old = action('old', 'upd-old', { createdAt: at(5 * HOUR), updatedAt: at(4 * HOUR) });
    // As version 2 left it: the record, its creation-index entry and the marker, no update index.
    await store.set(`repair:action:old`, JSON.stringify(old));
    await store.zadd('repair:index:created', `${old.createdAt}|old`);
    await store.set('repair:index:version', '2');
    const upgraded = new ActionStore(store);
    const byUpdate = await upgraded.page({ index: 'updated', limit: 10, stopBelow: at(4.5 * HOUR) });
    expect(byUpdate.map((r) => r.key)).toEqual([`${old.updatedAt}|old`]);
  });
});

describe('repair actions by update time, on a real Redis', () => {
  const PREFIX = `repairupdated-${process.pid}:`;
  let redis: RedisServer;
  let engine: Running;
  const old = action('old', 'upd-old', { createdAt: at(5 * HOUR), updatedAt: at(4 * HOUR) });
  const onRedis = () => boot({ kind: 'redis', url: redis.url, keyPrefix: PREFIX });

  beforeAll(async () => {
    redis = await startRedis();
    // An action as the engine before this version stored it: record, creation index and index version 2.
    const admin = new Redis(redis.url);
    await admin.set(`${PREFIX}repair:action:old`, JSON.stringify(old));
    await admin.zadd(`${PREFIX}repair:index:created`, 0, `${old.createdAt}|old`);
    await admin.set(`${PREFIX}repair:index:version`, '2');
    admin.disconnect();
    engine = await onRedis();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await redis?.stop();
  });

  updatedSinceSuite(() => engine);

  it('back-fills the update index of an action stored before this version', async () => {
    expect(ids(await engine.client.repairActions({ name: 'upd-old', updatedSince: at(4.5 * HOUR) }))).toEqual(
      ['old'],
    );
    expect(ids(await engine.client.repairActions({ name: 'upd-old', updatedSince: at(3.5 * HOUR) }))).toEqual(
      [],
    );
  });

  it('keeps the index across a restart of the engine and of Redis', async () => {
    await engine.close();
    await redis.restart();
    engine = await onRedis();
    const admin = new Redis(redis.url);
    const members = await admin.zrange(`${PREFIX}repair:index:updated`, 0, -1);
    admin.disconnect();
    const mine = ['fresh', 'moved', 'not-node', 'old', 'on-node', 'still'];
    const ofMine = members.map((m) => m.slice(m.lastIndexOf('|') + 1)).filter((id) => mine.includes(id));
    expect(ofMine.sort()).toEqual(mine);
    expect(
      ids(await engine.client.repairActions({ name: 'upd-web', updatedSince: at(0.75 * HOUR) })),
    ).toEqual(['moved']);
  }, 60_000);
});
