import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors.js';
import { JobRunner, type JobContext } from '../../src/jobs/JobRunner.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { startDemoApp, type DemoApp } from '../support/startDemoApp.js';

/**
 * A cancelled job ends `cancelled` with error.code CANCELLED and a message saying who cancelled it and where it was.
 * `DELETE /jobs/<id>` on a running backtest ended it with the job's own abort wording: TIMEOUT "training cancelled
 * before it started", although it was running (found walking the README).
 */
const logger = pino({ level: 'silent' });

/** A job that reports progress, then waits for its abort and throws what the forecast worker threw. */
const stuck = async (ctx: JobContext) => {
  ctx.progress(0.4, 'fold 2 of 5');
  await new Promise<void>((_resolve, reject) =>
    ctx.signal.addEventListener('abort', () =>
      reject(new EngineError('TIMEOUT', 'training cancelled before it started')),
    ),
  );
};

describe('JobRunner.cancel', () => {
  it('records who cancelled a running job and at what stage, not what the job threw', async () => {
    const jobs = new JobRunner(new MemoryStore(), logger, undefined, { concurrency: 1, maxQueued: 5 });
    const running = await jobs.start('forecast.backtest', {}, stuck);
    const queued = await jobs.start('forecast.backtest', {}, stuck);
    await expect(jobs.cancel(queued.id, 'alice')).resolves.toBe(true);
    expect(await jobs.get(queued.id)).toMatchObject({
      status: 'cancelled',
      error: { code: 'CANCELLED', message: 'cancelled by alice while queued, before it started' },
    });
    await expect(jobs.cancel(running.id, 'bob')).resolves.toBe(true);
    const final = await jobs.wait(running.id);
    expect(final).toMatchObject({
      status: 'cancelled',
      error: { code: 'CANCELLED', message: 'cancelled by bob while running (at 40%: fold 2 of 5)' },
      message: 'cancelled by bob while running (at 40%: fold 2 of 5)',
    });
  });
});

describe('DELETE /api/v1/jobs/:id on a running backtest', () => {
  let demo: DemoApp;
  beforeAll(async () => {
    demo = await startDemoApp();
  }, 60_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('ends it CANCELLED, by the caller, while running', { timeout: 60_000 }, async () => {
    const started = await demo.app.inject({
      method: 'POST',
      url: '/api/v1/forecast/backtest',
      payload: { service: 'checkout', signal: 'request_rate', historyDays: 8, testDays: 1 },
    });
    expect(started.statusCode).toBe(202);
    const { id } = started.json() as { id: string };
    const job = async () => (await demo.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}` })).json();
    const deadline = Date.now() + 30_000;
    while ((await job()).status === 'queued' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect((await job()).status).toBe('running');
    const cancel = await demo.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}` });
    expect(cancel.json()).toEqual({ cancelled: true });
    await demo.engine.context.jobs.wait(id);
    const final = await job();
    expect(final.status).toBe('cancelled');
    expect(final.error.code).toBe('CANCELLED');
    expect(final.error.message).toMatch(
      /^cancelled by anonymous \(DELETE \/jobs\/:id\) while running \(at \d+%/,
    );
  });
});
