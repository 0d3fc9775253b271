import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { MemoryStore } from '../store/MemoryStore.js';
import { JobRunner, type JobContext, type JobRecord } from './JobRunner.js';
import { ACTIVE_JOBS_KEY, jobKey } from './JobRecordWriter.js';

const logger = pino({ level: 'silent' });

/** A job body that runs until the test opens its gate (or the job is aborted). */
function gated() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const ran: string[] = [];
  const run = async (ctx: JobContext) => {
    ran.push(ctx.id);
    await new Promise<void>((resolve, reject) => {
      void gate.then(resolve);
      ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
    return 'ok';
  };
  return { open, run, ran };
}

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

let unhandled: unknown[];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe('JobRunner admission control', () => {
  it('runs `concurrency` jobs of a kind, queues `maxQueued` more in order, and refuses the next with RATE_LIMITED', async () => {
    const jobs = new JobRunner(new MemoryStore(), logger, undefined, { concurrency: 1, maxQueued: 2 });
    const body = gated();
    const first = await jobs.start('rca', {}, body.run);
    const second = await jobs.start('rca', {}, body.run);
    const third = await jobs.start('rca', {}, body.run);
    expect([first.status, second.status, third.status]).toEqual(['running', 'queued', 'queued']);
    const refused = await jobs.start('rca', {}, body.run).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Another kind has its own queue.
    const other = gated();
    await expect(jobs.start('forecast.train', {}, other.run)).resolves.toMatchObject({ status: 'running' });
    body.open();
    other.open();
    const finals = await Promise.all([first, second, third].map((j) => jobs.wait(j.id)));
    expect(finals.map((f) => f.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(body.ran).toEqual([first.id, second.id, third.id]);
    expect(jobs.queuedCount('rca')).toBe(0);
    await expect(jobs.start('rca', {}, body.run)).resolves.toMatchObject({ status: 'running' });
  });

  it('per-kind limits override the defaults', async () => {
    const jobs = new JobRunner(new MemoryStore(), logger, undefined, {
      concurrency: 4,
      maxQueued: 4,
      perKind: { heavy: { concurrency: 1, maxQueued: 0 } },
    });
    expect(jobs.limits('heavy')).toEqual({ concurrency: 1, maxQueued: 0 });
    expect(jobs.limits('light')).toEqual({ concurrency: 4, maxQueued: 4 });
    const body = gated();
    await jobs.start('heavy', {}, body.run);
    await expect(jobs.start('heavy', {}, body.run)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    body.open();
  });
});

describe('JobRunner cancellation', () => {
  it('cancels queued and running jobs, says false for finished ones and NOT_FOUND for unknown ids', async () => {
    const jobs = new JobRunner(new MemoryStore(), logger, undefined, { concurrency: 1, maxQueued: 5 });
    const body = gated();
    const running = await jobs.start('k', {}, body.run);
    const queued = await jobs.start('k', {}, body.run);
    await expect(jobs.cancel(queued.id)).resolves.toBe(true);
    expect((await jobs.get(queued.id)).status).toBe('cancelled');
    await expect(jobs.cancel(running.id)).resolves.toBe(true);
    expect((await jobs.wait(running.id)).status).toBe('cancelled');
    expect(body.ran).toEqual([running.id]);
    await expect(jobs.cancel(running.id)).resolves.toBe(false);
    await expect(jobs.cancel('no-such-job')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('JobRunner reconciliation', () => {
  it("marks jobs of an engine without a lease interrupted, and leaves a live engine's jobs alone", async () => {
    const store = new MemoryStore();
    const orphan: JobRecord = {
      id: 'orphan',
      kind: 'rca',
      status: 'running',
      progress: 0.4,
      message: 'scoring',
      params: {},
      createdAt: new Date().toISOString(),
      instance: 'dead-engine',
    };
    const alive: JobRecord = { ...orphan, id: 'alive', instance: 'live-engine' };
    const legacy: JobRecord = { ...orphan, id: 'legacy' };
    delete legacy.instance;
    for (const record of [orphan, alive, legacy]) {
      await store.set(jobKey(record.id), JSON.stringify(record));
      await store.hset(ACTIVE_JOBS_KEY, { [record.id]: record.instance ?? '' });
    }
    await store.set('joblease:live-engine', 'x', { ttlSeconds: 60 });
    const jobs = new JobRunner(store, logger);
    expect(await jobs.reconcile()).toBe(2);
    expect(await jobs.get('orphan')).toMatchObject({
      status: 'interrupted',
      error: { code: 'INTERRUPTED' },
      finishedAt: expect.any(String),
    });
    expect((await jobs.get('legacy')).status).toBe('interrupted');
    expect((await jobs.get('alive')).status).toBe('running');
    await expect(jobs.cancel('alive')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(Object.keys(await store.hgetall(ACTIVE_JOBS_KEY))).toEqual(['alive']);
    expect(await jobs.reconcile()).toBe(0);
  });
});

describe('JobRunner when the store fails', () => {
  it('keeps running, refuses submissions with STORE_UNAVAILABLE, serves the final record from memory, and never rejects unhandled', async () => {
    const store = new MemoryStore();
    const jobs = new JobRunner(store, logger, undefined, { persistRetryMaxMs: 20, submitTimeoutMs: 500 });
    jobs.startMaintenance();
    const body = gated();
    const job = await jobs.start('k', {}, async (ctx) => {
      const out = await body.run(ctx);
      for (let i = 0; i < 5; i++) ctx.progress(i / 5, `step ${i}`);
      return out;
    });
    await store.close(); // every store call now throws: a store that is down, no stand-in
    const refused = await jobs.start('k', {}, body.run).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503, retryAfterSeconds: 5 });
    body.open();
    const final = await jobs.wait(job.id);
    expect(final).toMatchObject({ status: 'succeeded', result: 'ok' });
    await until(async () => !(await jobs.check()).ok);
    expect((await jobs.check()).detail).toMatch(/wait for the store/);
    await new Promise((r) => setTimeout(r, 200)); // several retry rounds and a maintenance tick
    await jobs.drain(100);
    expect(unhandled).toEqual([]);
  });
});

describe('JobRunner bookkeeping', () => {
  it('survives a listener that throws and fails a job whose result cannot be stored, with nothing unhandled', async () => {
    const jobs = new JobRunner(new MemoryStore(), logger);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const job = await jobs.start('k', {}, async (ctx) => {
      ctx.progress(0.5, 'half');
      return cyclic;
    });
    jobs.subscribe(job.id, () => {
      throw new Error('listener bug');
    });
    const final = await jobs.wait(job.id);
    expect(final).toMatchObject({
      status: 'failed',
      error: { code: 'INTERNAL', message: expect.stringMatching(/circular/i) },
    });
    expect(jobs.activeCount).toBe(0);
    await expect(jobs.start('k', {}, async () => 'next')).resolves.toMatchObject({ status: 'running' });
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
  });
});

describe('JobRunner job index', () => {
  const stored = (id: string, createdAt: string, kind = 'rca'): JobRecord => ({
    id,
    kind,
    status: 'succeeded',
    progress: 1,
    message: 'done',
    params: {},
    createdAt,
  });

  it('indexes jobs an engine without the index stored, once, and prunes entries older than a record lives', async () => {
    const store = new MemoryStore();
    // As an engine before the index wrote them: the record only.
    await store.set(jobKey('old-1'), JSON.stringify(stored('old-1', '2026-01-01T00:00:00.000Z')));
    await store.set(
      jobKey('old-2'),
      JSON.stringify(stored('old-2', '2026-01-02T00:00:00.000Z', 'forecast.train')),
    );
    const jobs = new JobRunner(store, logger);
    expect(await jobs.page({ limit: 10 })).toEqual([]);

    await jobs.maintainIndex(Date.parse('2026-01-03T00:00:00.000Z'));
    expect((await jobs.page({ limit: 10 })).map((r) => r.record.id)).toEqual(['old-2', 'old-1']);
    expect((await jobs.page({ limit: 10, kind: 'forecast.train' })).map((r) => r.key)).toEqual([
      '2026-01-02T00:00:00.000Z|old-2',
    ]);

    // Seven and a half days after the first, its record would have expired: its index entries go at the next pruning.
    await jobs.maintainIndex(Date.parse('2026-01-08T12:00:00.000Z'));
    expect(await store.zrangeByLex('jobindex:created', { order: 'asc', limit: 10 })).toEqual([
      '2026-01-02T00:00:00.000Z|old-2',
    ]);
    expect(await store.zcard('jobindex:created:rca')).toBe(0);
    expect(await store.zcard('jobindex:created:forecast.train')).toBe(1);
  });
});
