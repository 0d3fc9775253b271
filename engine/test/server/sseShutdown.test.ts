import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { startServer } from '../../src/server/startServer.js';
import { openStream } from '../support/openStream.js';

/**
 * An open event subscription kept a closing engine waiting: with one incident stream open (every visible Backstage
 * entity tab holds one), SIGTERM ended only at `serve`'s force timer, 35 s later with exit code 1. Closing now ends
 * the subscriptions first, so the clients reconnect to a replica that stays. Real sockets against a listening engine.
 */

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)),
  ]);

describe('closing the engine with event subscriptions open', () => {
  it('ends the incident and repair streams and closes in seconds, not at the force timer', async () => {
    const server = await startServer({
      config: {
        logLevel: 'silent',
        server: { port: 0, shutdownGraceSeconds: 30 },
        cluster: { kind: 'simulated', injectFaults: false },
      },
      logger: pino({ level: 'silent' }),
    });
    const incidents = await openStream(`${server.url}/api/v1/incidents/events`);
    const repairs = await openStream(`${server.url}/api/v1/repair/events`);

    const started = Date.now();
    await within(server.close(), 20_000, 'close');

    // Well under the 30 s grace the stream would otherwise hold it (the close itself takes ~1 s here).
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await within(incidents.ended, 5_000, 'the incident stream end')).toContain('event: ready');
    expect(await within(repairs.ended, 5_000, 'the repair stream end')).toContain('event: ready');
  }, 60_000);
});
