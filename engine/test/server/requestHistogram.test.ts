import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { EngineMetrics } from '../../src/server/httpMetrics.js';

const NAME = 'aicloudops_http_request_duration_seconds';

/** The request histogram's lines of a registry's exposition (HELP and TYPE included). */
async function requestLines(registry: Registry): Promise<string[]> {
  return (await registry.metrics())
    .split('\n')
    .filter(
      (line) =>
        line.startsWith(NAME) || line.startsWith(`# HELP ${NAME} `) || line.startsWith(`# TYPE ${NAME} `),
    );
}

/** prom-client's own Histogram as the engine declared it before its request histogram was hand-written. */
function reference() {
  const registry = new Registry();
  const histogram = new Histogram({
    name: NAME,
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, histogram };
}

describe('the HTTP request histogram', () => {
  it('renders on /metrics what prom-client Histogram renders for the same requests', async () => {
    const ours = new EngineMetrics();
    const { registry, histogram } = reference();
    expect(await requestLines(ours.registry)).toEqual(await requestLines(registry));
    const routes = ['/api/v1/alerts/webhook/alertmanager', '/healthz', 'unmatched', '/a "quoted" \\ route\n'];
    const methods = ['POST', 'GET', 'DELETE'];
    const statuses = [200, 404, 503];
    // Bucket edges, past the last bucket, zero; then a pseudo-random mix over label sets in a scrambled order.
    const requests: Array<[string, string, number, number]> = [
      ['GET', '/healthz', 200, 0.005],
      ['POST', '/api/v1/alerts/webhook/alertmanager', 200, 10],
      ['GET', '/healthz', 200, 12.5],
      ['GET', 'unmatched', 404, 0],
    ];
    let x = 11;
    const next = () => (x = (x * 48271) % 2147483647);
    for (let i = 0; i < 2000; i++)
      requests.push([
        methods[next() % 3]!,
        routes[next() % 4]!,
        statuses[next() % 3]!,
        (next() / 2147483647) ** 3 * 12,
      ]);
    for (const [method, route, status, seconds] of requests) {
      ours.requestDuration.observe(method, route, status, seconds);
      histogram.observe({ method, route, status_code: String(status) }, seconds);
    }
    const lines = await requestLines(ours.registry);
    expect(lines).toEqual(await requestLines(registry));
    expect(lines.filter((l) => l.startsWith(`${NAME}_count{`)).length).toBeGreaterThan(30);
  });

  it('starts again from nothing when the registry resets its metrics', async () => {
    const ours = new EngineMetrics();
    ours.requestDuration.observe('GET', '/healthz', 200, 0.003);
    ours.registry.resetMetrics();
    expect((await requestLines(ours.registry)).filter((l) => l.startsWith(NAME))).toEqual([]);
    ours.requestDuration.observe('GET', '/readyz', 503, 0.003);
    expect(await requestLines(ours.registry)).toContain(
      `${NAME}_bucket{le="0.005",method="GET",route="/readyz",status_code="503"} 1`,
    );
  });
});
