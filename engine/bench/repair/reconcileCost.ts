/**
 * What the update-time index's upkeep costs on 10,000 stored actions (ActionStore.reconcile and prune), on a real
 * Redis on loopback and on the memory store:
 *
 *   cd engine && node --import tsx bench/repair/reconcileCost.ts [--actions 10000] [--open 20] [--runs 9]
 *
 * - first pass: the one-off reconciliation of a store with no stored reconciliation, whose records lack
 *   `indexedUpdatedAt` (written by the engine before it): every record read, the open ones rewritten.
 * - read-time pass: what each first page by update time adds once a reconciliation is stored, after an old replica
 *   created 10 actions and moved 5 open ones on (median over runs, each run after fresh old-replica writes).
 * - page with it: that first page (100 actions updated in the last hour) including the pass; page alone without.
 * - prune, nothing expired: the leader's prune on a week of actions none of which has expired.
 * - prune, all expired: the one-off prune of 10,000 members whose records are gone.
 */
import { parseArgs } from 'node:util';
import type { ActionRecord } from '../../src/repair/executor/ActionRecord.js';
import { ActionStore } from '../../src/repair/executor/ActionStore.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import type { Store } from '../../src/store/Store.js';
import { startRedis } from '../../test/support/startRedis.js';

const { values } = parseArgs({
  options: {
    actions: { type: 'string', default: '10000' },
    open: { type: 'string', default: '20' },
    runs: { type: 'string', default: '9' },
  },
});
const ACTIONS = Number(values.actions);
const OPEN = Number(values.open);
const RUNS = Number(values.runs);
const WEEK = 7 * 86_400_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function ms(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function action(i: number, now: number, open: boolean): ActionRecord {
  const ref = { kind: 'Deployment', namespace: 'shop', name: `svc-${i % 50}` };
  const time = new Date(now - (open ? 30 * 60_000 : (i / ACTIONS) * (WEEK - 3_600_000))).toISOString();
  return {
    id: `a-${i}`,
    state: open ? 'awaiting-approval' : 'rejected',
    planned: {
      type: 'rollout-restart',
      target: ref,
      params: {},
      mode: 'approve',
      ruleId: 'crashloop',
      ruleVersion: 1,
      findingFingerprint: `fp-${i}`,
      reason: 'CrashLoopBackOff on the workload',
    },
    finding: {
      fingerprint: `fp-${i}`,
      type: 'CrashLoopBackOff',
      object: ref,
      owners: [],
      workload: ref,
      evidence: { statuses: [], events: [], logTail: ['panic: nil map', 'exit status 2'] },
      since: time,
      heldSeconds: 120,
      severity: 'warning',
      message: 'back-off restarting failed container',
      details: {},
    },
    createdAt: time,
    updatedAt: time,
  };
}

/** A save as the engine at index version 2 made it (see test/repair/repairIndexReconcile.test.ts). */
async function saveAsVersion2(store: Store, record: ActionRecord): Promise<void> {
  const member = `${record.createdAt}|${record.id}`;
  const open = record.state === 'awaiting-approval';
  await store.batch([
    { op: 'set', key: `repair:action:${record.id}`, value: JSON.stringify(record) },
    { op: 'zadd', key: 'repair:index:created', members: [member] },
    open
      ? { op: 'zadd', key: 'repair:index:open', members: [member] }
      : { op: 'zrem', key: 'repair:index:open', members: [member] },
  ]);
}

async function measure(label: string, store: Store): Promise<Record<string, number>> {
  const now = Date.now();
  const actions = new ActionStore(store);
  // The store as the engine before this change left it: records without indexedUpdatedAt, each indexed.
  for (let i = 0; i < ACTIONS; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, ACTIONS - i) }, async (_, k) => {
        const record = action(i + k, now, i + k < OPEN);
        await saveAsVersion2(store, record);
        await store.zadd('repair:index:updated', `${record.updatedAt}|${record.id}`);
      }),
    );
  }
  await store.set('repair:index:version', '3');
  const firstPass = await ms(() => actions.reconcile());

  const passes: number[] = [];
  const pages: number[] = [];
  const plainPages: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const at = Date.now();
    for (let k = 0; k < 10; k++) {
      const fresh = action(ACTIONS + run * 10 + k, at, false);
      await saveAsVersion2(store, {
        ...fresh,
        createdAt: new Date(at).toISOString(),
        updatedAt: new Date(at).toISOString(),
      });
    }
    for (let k = 0; k < 5; k++) {
      const id = `a-${(run * 5 + k) % OPEN}`;
      const stored = JSON.parse((await store.get(`repair:action:${id}`))!) as ActionRecord;
      await saveAsVersion2(store, { ...stored, updatedAt: new Date(at).toISOString() });
    }
    passes.push(await ms(() => actions.reconcile()));
    const query = {
      index: 'updated' as const,
      limit: 100,
      stopBelow: new Date(at - 3_600_000).toISOString(),
    };
    pages.push(await ms(() => actions.page(query)));
    // The same page without the pass: a cursor skips it, and '\uffff' sorts after every member.
    plainPages.push(await ms(() => actions.page({ ...query, after: '\uffff' })));
  }
  const pruneNothing = await ms(() => actions.prune());

  // Every action expired: members a week and more old, their records gone.
  for (const key of await store.keys('repair:action:')) await store.del(key);
  const old = new Date(now - 2 * WEEK).getTime();
  const members = Array.from({ length: ACTIONS }, (_, i) => `${new Date(old + i).toISOString()}|gone-${i}`);
  for (let i = 0; i < members.length; i += 1000) {
    await store.zadd('repair:index:created', ...members.slice(i, i + 1000));
    await store.zadd('repair:index:updated', ...members.slice(i, i + 1000));
  }
  let removed = 0;
  const pruneAll = await ms(async () => (removed = await actions.prune()));
  if (removed < 2 * ACTIONS) throw new Error(`prune removed ${removed} of ${2 * ACTIONS} members`);

  const row = {
    first_pass_ms: firstPass,
    read_time_pass_ms: median(passes),
    first_page_with_pass_ms: median(pages),
    page_without_pass_ms: median(plainPages),
    prune_nothing_expired_ms: pruneNothing,
    prune_all_expired_ms: pruneAll,
  };
  console.log(
    label,
    JSON.stringify(row, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v)),
  );
  return row;
}

const redis = await startRedis();
const onRedis = new RedisStore({ url: redis.url, keyPrefix: 'bench:' });
try {
  console.log(`${ACTIONS} actions, ${OPEN} open, ${RUNS} runs`);
  await measure('redis ', onRedis);
  await measure('memory', new MemoryStore());
} finally {
  await onRedis.close();
  await redis.stop();
}
