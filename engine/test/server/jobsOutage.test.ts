import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { spawnEngineProcess, startRedis, type RedisServer } from '../support/index.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { JobRunner, isFinalJob, type JobRecord } from '../../src/jobs/JobRunner.js';
import { jobKey } from '../../src/jobs/JobRecordWriter.js';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * Issue 9: a one-second Redis outage killed the engine (unhandled rejections from job persistence), a job answered
 * 202 during the outage was never stored, and jobs of a crashed engine stayed `running` forever. Real redis-server,
 * stopped and started again; a real engine process, SIGKILLed.
 */

const logger = pino({ level: 'silent' });
let redis: RedisServer;
let unhandled: unknown[];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

const until = async <T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

async function storedJob(prefix: string, id: string): Promise<JobRecord | undefined> {
  const reader = new RedisStore({ url: redis.url, keyPrefix: prefix, maxRetriesPerRequest: 1 });
  try {
    const raw = await reader.get(jobKey(id));
    return raw ? (JSON.parse(raw) as JobRecord) : undefined;
  } finally {
    await reader.close();
  }
}

describe('jobs across a Redis outage', () => {
  it('a job running while Redis is down finishes, refuses new submissions with 503, and is stored once Redis is back', async () => {
    const prefix = `outage-runner-${Date.now()}:`;
    const store = new RedisStore({ url: redis.url, keyPrefix: prefix, logger });
    await store.waitUntilReady();
    const jobs = new JobRunner(store, logger, undefined, { persistRetryMaxMs: 300, submitTimeoutMs: 2_000 });
    jobs.startMaintenance();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const job = await jobs.start('slow', { n: 1 }, async (ctx) => {
      ctx.progress(0.1, 'working');
      await gate;
      for (let i = 2; i <= 9; i++) {
        ctx.progress(i / 10, `step ${i}`);
        await new Promise((r) => setTimeout(r, 150)); // progress writes land during the outage
      }
      return { answer: 42 };
    });
    expect((await storedJob(prefix, job.id))?.status).toMatch(/queued|running/);

    await redis.crash();
    open();
    const refused = await jobs.start('slow', {}, async () => 'never').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'STORE_UNAVAILABLE', retryAfterSeconds: expect.any(Number) });
    const final = await jobs.wait(job.id);
    expect(final).toMatchObject({ status: 'succeeded', result: { answer: 42 } });
    expect((await jobs.check()).ok).toBe(false);

    await redis.up();
    await until(
      () => jobs.check(),
      (c) => c.ok,
    );
    expect(await storedJob(prefix, job.id)).toMatchObject({
      status: 'succeeded',
      result: { answer: 42 },
      progress: 1,
    });
    await jobs.drain(1_000);
    await store.close();
    expect(unhandled).toEqual([]);
  }, 60_000);

  it('the HTTP API answers 503 STORE_UNAVAILABLE with Retry-After during the outage, never a 202 it then loses', async () => {
    const prefix = `outage-http-${Date.now()}:`;
    const server: RunningServer = await startServer({
      config: {
        logLevel: 'silent',
        server: { port: 0 },
        cluster: { kind: 'simulated', injectFaults: false },
        store: { kind: 'redis', url: redis.url, keyPrefix: prefix },
        jobs: { submitTimeoutMs: 2_000, persistRetryMaxMs: 300 },
      },
      logger,
    });
    try {
      const post = () =>
        fetch(`${server.url}/api/v1/rca`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
      const accepted = await post();
      expect(accepted.status).toBe(202);
      const job = (await accepted.json()) as JobRecord;

      await redis.crash();
      const refused = await post();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('STORE_UNAVAILABLE');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      // The job that was accepted ends in a final state even though its result cannot be stored right now.
      const final = await until(
        async () => (await (await fetch(`${server.url}/api/v1/jobs/${job.id}`)).json()) as JobRecord,
        (r) => isFinalJob(r),
      );
      if (final.status === 'failed')
        expect(final.error?.code).toMatch(/UPSTREAM_UNAVAILABLE|UPSTREAM_ERROR|STORE_UNAVAILABLE/);
      else expect(final.status).toBe('succeeded');

      await redis.up();
      // Once Redis is back, what the store holds is the same final state the API reported: truthful, not `running`.
      const stored = await until(
        () => storedJob(prefix, job.id),
        (r) => r !== undefined && isFinalJob(r),
      );
      expect(stored?.status).toBe(final.status);
      const again = await post();
      expect(again.status).toBe(202);
    } finally {
      await server.close();
    }
    expect(unhandled).toEqual([]);
  }, 90_000);
});

describe('jobs of an engine that died', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  /** A real engine in its own Node process (from source, through tsx), on the shared Redis. */
  const spawnEngine = (config: Record<string, unknown>) => spawnEngineProcess(config, children, 45_000);

  it('marks its running and queued jobs interrupted when another engine starts, instead of leaving them running', async () => {
    const prefix = `crash-${Date.now()}:`;
    const config = {
      logLevel: 'silent',
      server: { port: 0 },
      cluster: { kind: 'simulated', injectFaults: false },
      store: { kind: 'redis', url: redis.url, keyPrefix: prefix },
      jobs: { leaseSeconds: 2, perKind: { rca: { concurrency: 1 } } },
    };
    const first = await spawnEngine(config);
    const submit = async () =>
      (await (
        await fetch(`${first.url}/api/v1/rca`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()) as JobRecord;
    const running = await submit();
    const queued = await submit();
    expect(queued.status).toBe('queued');
    await until(
      () => storedJob(prefix, running.id),
      (r) => r?.status === 'running',
    );
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect((await storedJob(prefix, running.id))?.status).toBe('running'); // what issue 9 found: stuck forever

    const second = await spawnEngine(config);
    for (const id of [running.id, queued.id]) {
      const record = await until(
        async () => (await (await fetch(`${second.url}/api/v1/jobs/${id}`)).json()) as JobRecord,
        (r) => isFinalJob(r),
      );
      expect(record).toMatchObject({ status: 'interrupted', error: { code: 'INTERRUPTED' } });
    }
    // Its SSE stream ends at once with `done` instead of waiting for a job that will never move.
    const events = await (await fetch(`${second.url}/api/v1/jobs/${running.id}/events`)).text();
    expect(events).toMatch(/^event: done/);
    expect(second.child.exitCode).toBeNull();
  }, 120_000);
});
