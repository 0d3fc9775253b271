import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/jobs/JobRunner.js';
import type { ScheduledRun } from '../../src/scheduler/Scheduler.js';
import { sleep, spawnEngineProcess, startRedis, type RedisServer } from '../support/index.js';

/**
 * Several engine processes (from source, through tsx) on one real Redis behave as one: the scheduler runs each tick
 * of a task once across them, killing the leader hands the work to another replica within the lease, and a job
 * started on one replica streams its progress live from another (Redis pub/sub, JobEventRelay).
 */
const LEASE_SECONDS = 3;
const TICK_SECONDS = 1;

let redis: RedisServer;
let client: Redis;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
});

afterEach(async () => {
  await Promise.all(children.splice(0).map(stopChild));
});

afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

interface Replica {
  url: string;
  instance: string;
  child: ChildProcess;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** A real engine server in its own Node process; prints its URL and its instance id (the scheduler's identity). */
function spawnEngine(config: Record<string, unknown>): Promise<Replica> {
  return spawnEngineProcess(config, children);
}

function engineConfig(prefix: string, forecast: Record<string, unknown>): Record<string, unknown> {
  return {
    logLevel: 'silent',
    server: { port: 0 },
    cluster: { kind: 'simulated', injectFaults: false },
    store: { kind: 'redis', url: redis.url, keyPrefix: prefix },
    scheduler: { leaseSeconds: LEASE_SECONDS },
    forecast,
  };
}

async function runs(prefix: string): Promise<ScheduledRun[]> {
  return (await client.lrange(`${prefix}scheduler:history`, 0, -1)).map((r) => JSON.parse(r) as ScheduledRun);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(200);
  }
}

describe('engine replicas on one Redis', () => {
  it('run each scheduler tick once, and hand the work over within the lease when the leader is killed', async () => {
    const prefix = `sched-${Date.now()}:`;
    const config = engineConfig(prefix, { retrainIntervalHours: TICK_SECONDS / 3600 });
    const replicas = await Promise.all([spawnEngine(config), spawnEngine(config), spawnEngine(config)]);

    const before = await until(
      () => runs(prefix),
      (r) => r.length >= 6,
    );
    const leader = before.at(-1)!.instance;
    expect(replicas.map((r) => r.instance)).toContain(leader);
    // One leader runs every tick while it lives.
    expect(new Set(before.slice(1).map((r) => r.instance))).toEqual(new Set([leader]));

    const killedAt = Date.now();
    await stopChild(replicas.find((r) => r.instance === leader)!.child);
    const after = await until(
      () => runs(prefix),
      (r) => r.some((run) => run.instance !== leader),
    );
    const takeover = after.find((run) => run.instance !== leader)!;
    // Leadership moves once the dead leader's lease ends (≤ lease + one poll) and the next tick starts (≤ 1 tick);
    // 2 s of slack for a busy 2-core machine.
    const handoverMs = Date.parse(takeover.startedAt) - killedAt;
    expect(handoverMs).toBeLessThan((LEASE_SECONDS + LEASE_SECONDS / 6 + TICK_SECONDS + 2) * 1000);
    expect(takeover.token).toBeGreaterThan(before.at(-1)!.token!);

    await sleep(3 * TICK_SECONDS * 1000);
    const all = await runs(prefix);
    const ticks = all.filter((r) => r.task === 'forecast.retrain').map((r) => r.tick);
    // Each tick ran once: no tick twice, across three replicas and a leader change.
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
    // While a leader lived, no tick was skipped.
    const steady = all.filter((r) => r.instance === takeover.instance).map((r) => r.tick);
    expect(steady.at(-1)! - steady[0]!).toBe(steady.length - 1);
  }, 120_000);

  it('stream the progress of a job started on one replica from another, live', async () => {
    const prefix = `relay-${Date.now()}:`;
    const config = engineConfig(prefix, {
      retrainIntervalHours: 0,
      historyDays: 2,
      stepSeconds: 300,
      lstm: { units: 8, epochs: 3, maxWindows: 400, minWindows: 100, updateEpochs: 1 },
    });
    const [a, b] = await Promise.all([spawnEngine(config), spawnEngine(config)]);

    // What the replicas publish, seen by a plain Redis subscriber.
    const subscriber = new Redis(redis.url);
    const published: number[] = [];
    await subscriber.subscribe(`${prefix}jobs:events`);
    subscriber.on('message', (_channel, message: string) => {
      const { origin, record } = JSON.parse(message) as { origin: string; record: JobRecord };
      if (origin === a.instance && record.status === 'running') published.push(record.progress);
    });

    try {
      const response = await fetch(`${a.url}/api/v1/forecast/train`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service: 'cart', signal: 'request_rate' }),
      });
      expect(response.status).toBe(202);
      const job = (await response.json()) as JobRecord;
      const fromB = await readEvents(`${b.url}/api/v1/jobs/${job.id}/events`);

      const done = fromB.at(-1)!;
      expect(done).toMatchObject({
        event: 'done',
        record: { id: job.id, status: 'succeeded', instance: a.instance },
      });
      const seenOnB = fromB
        .filter((e) => e.event === 'progress' && e.record.status === 'running')
        .map((e) => e.record.progress);
      // Every update A published after B's stream opened reached B (polling the record would see one a second at most).
      // B's stream opens after A started (progress 0, repeated while it starts): count from the first step B saw.
      const firstOnB = published.indexOf(seenOnB.find((p) => p > 0 && published.includes(p)) ?? -1);
      expect(firstOnB).toBeGreaterThanOrEqual(0);
      const expected = [...new Set(published.slice(firstOnB))];
      expect(expected.length).toBeGreaterThanOrEqual(3);
      expect(new Set(seenOnB)).toEqual(
        new Set([...seenOnB.filter((p) => !expected.includes(p)), ...expected]),
      );
      // The job record is served by either replica.
      const fromA = (await (await fetch(`${a.url}/api/v1/jobs/${job.id}`)).json()) as JobRecord;
      const onB = (await (await fetch(`${b.url}/api/v1/jobs/${job.id}`)).json()) as JobRecord;
      expect(onB).toEqual(fromA);
    } finally {
      subscriber.disconnect();
    }
  }, 120_000);
});

/** The events of an SSE stream until it ends. */
async function readEvents(url: string): Promise<Array<{ event: string; record: JobRecord }>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(90_000) });
  expect(response.status).toBe(200);
  const text = await response.text();
  const events: Array<{ event: string; record: JobRecord }> = [];
  for (const block of text.split('\n\n')) {
    const event = /^event: (.+)$/m.exec(block)?.[1];
    const data = /^data: (.+)$/m.exec(block)?.[1];
    if (event && data) events.push({ event, record: JSON.parse(data) as JobRecord });
  }
  return events;
}
