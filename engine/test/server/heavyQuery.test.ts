import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { startServer } from '../../src/server/startServer.js';

/**
 * A heavy query on the demo source (92 days at 11,000 points, the most the limits admit) must not hold the process:
 * probes are answered while it runs, and closing the server (what SIGTERM does) cancels it instead of waiting for it.
 */
describe('a heavy demo query', () => {
  it('leaves /healthz answering while it runs and is cancelled when the server closes', async () => {
    const server = await startServer({
      config: {
        logLevel: 'silent',
        server: { port: 0, shutdownGraceSeconds: 30 },
        cluster: { kind: 'simulated', injectFaults: false },
      },
      logger: pino({ level: 'silent' }),
    });
    const end = Math.floor(Date.now() / 1000);
    const query = encodeURIComponent('sum by (service) (rate(http_requests_total[5m]))');
    let queryDone = false;
    const heavy = fetch(
      `${server.url}/api/v1/metrics/query_range?query=${query}&start=${end - 92 * 86_400}&end=${end}&step=723`,
    ).then(
      async (r) => ({ status: r.status, body: await r.text() }),
      (error: unknown) => ({ status: 0, body: String(error) }),
    );
    void heavy.then(() => (queryDone = true));
    await new Promise((r) => setTimeout(r, 200));

    const probes: number[] = [];
    for (let i = 0; i < 5; i++) probes.push((await fetch(`${server.url}/healthz`)).status);
    expect(probes).toEqual([200, 200, 200, 200, 200]);
    expect(queryDone).toBe(false);

    await server.close();
    const answer = await heavy;
    // Cancelled mid-way: a 504 "query cancelled" (or the connection closed under it), never the full answer.
    expect(answer.status === 504 || answer.status === 0).toBe(true);
    if (answer.status === 504) expect(answer.body).toContain('query cancelled');
  }, 120_000);
});
