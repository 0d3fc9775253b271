import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { startServer } from '../../src/server/startServer.js';

describe('graceful shutdown', () => {
  it('finishes in-flight jobs before releasing the sources, and refuses new connections', async () => {
    const server = await startServer({
      config: {
        logLevel: 'silent',
        server: { port: 0, shutdownGraceSeconds: 10 },
        cluster: { kind: 'simulated', injectFaults: false },
      },
      logger: pino({ level: 'silent' }),
    });
    const { jobs } = server.engine.context;
    let finished = false;
    const job = await jobs.start('slow', {}, async () => {
      await new Promise((r) => setTimeout(r, 400));
      finished = true;
      return 'done';
    });
    let last: { status: string } | undefined;
    jobs.subscribe(job.id, (record) => (last = record));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(finished).toBe(true);
    expect(last?.status).toBe('succeeded');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('aborts jobs that outlive the grace period instead of hanging', async () => {
    const server = await startServer({
      config: {
        logLevel: 'silent',
        server: { port: 0, shutdownGraceSeconds: 0.2 },
        cluster: { kind: 'simulated', injectFaults: false },
      },
      logger: pino({ level: 'silent' }),
    });
    const { jobs } = server.engine.context;
    const job = await jobs.start(
      'stuck',
      {},
      (ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    let last: { status: string } | undefined;
    jobs.subscribe(job.id, (record) => (last = record));
    await server.close();
    expect(last?.status).toBe('cancelled');
  });
});
