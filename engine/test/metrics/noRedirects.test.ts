import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookNotifier } from '../../src/alerts/notify/WebhookNotifier.js';
import { PrometheusMetricsSource } from '../../src/sources/metrics/PrometheusMetricsSource.js';

/**
 * A configured source or webhook that answers with a redirect to another host: the engine does not follow it, so
 * the configured headers (an API key, a tenant id) never reach that host. Two real HTTP servers on loopback: the
 * "source" on 127.0.0.1 redirects every request to the "other host" on 127.0.0.2, which records what arrives.
 */
let source: Server;
let other: Server;
const received: IncomingHttpHeaders[] = [];
let sourceUrl: string;

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  other = createServer((req, res) => {
    received.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
  });
  const otherPort = await listen(other, '127.0.0.2');
  source = createServer((req, res) => {
    res.writeHead(307, { location: `http://127.0.0.2:${otherPort}${req.url}` });
    res.end();
  });
  sourceUrl = `http://127.0.0.1:${await listen(source, '127.0.0.1')}`;
});

afterAll(async () => {
  await Promise.all([source, other].map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe('redirects from a configured source or webhook', () => {
  it('are not followed by the Prometheus source: the query fails and the headers stay home', async () => {
    const prometheus = new PrometheusMetricsSource({
      url: sourceUrl,
      headers: { 'x-api-key': 'k-secret', 'X-Scope-OrgID': 'tenant-1' },
    });
    await expect(prometheus.instantQuery('up')).rejects.toThrow(/redirect/);
    expect(received).toEqual([]);
  });

  it('are not followed by a webhook notifier', async () => {
    const notifier = new WebhookNotifier('ops', `${sourceUrl}/hook`, { 'x-api-key': 'k-secret' });
    await expect(notifier.send({ title: 'test' } as never)).rejects.toThrow();
    expect(received).toEqual([]);
  });
});
