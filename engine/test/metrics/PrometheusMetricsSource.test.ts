import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors.js';
import { PrometheusMetricsSource } from '../../src/sources/metrics/PrometheusMetricsSource.js';
import { freePort, openMetricsFromSeries, startPrometheus, type PrometheusServer } from '../support/index.js';

const START = 1_700_000_000;
const STEP = 15;
const N = 40;
const timestamps = Array.from({ length: N }, (_, i) => START + i * STEP);
// Distinct per point and per series so any misalignment shows.
const cartLatency = timestamps.map((_, i) => 0.01 * i + 0.003);
const specials = timestamps.map((_, i) => (i % 3 === 0 ? NaN : i % 3 === 1 ? Infinity : -i));
const requests = timestamps.map((_, i) => 7 * i * (i + 1));

async function expectEngineError(
  promise: Promise<unknown>,
  code: string,
  pattern: RegExp,
): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe(code);
  expect((error as EngineError).message).toMatch(pattern);
  return error as EngineError;
}

describe('PrometheusMetricsSource against a real Prometheus', () => {
  let prometheus: PrometheusServer;
  let source: PrometheusMetricsSource;

  beforeAll(async () => {
    prometheus = await startPrometheus({
      openMetrics: openMetricsFromSeries([
        {
          name: 'shop_latency_seconds',
          labels: { namespace: 'shop', service: 'cart' },
          timestamps,
          values: cartLatency,
        },
        {
          name: 'shop_latency_seconds',
          labels: { namespace: 'shop', service: 'odd' },
          timestamps,
          values: specials,
        },
        {
          name: 'shop_requests_total',
          type: 'counter',
          labels: { namespace: 'shop', service: 'cart' },
          timestamps,
          values: requests,
        },
      ]),
    });
    source = new PrometheusMetricsSource({ url: prometheus.url, timeoutSeconds: 5 });
  });
  afterAll(() => prometheus?.stop());

  it('returns exactly the backfilled values from a range query', async () => {
    const series = await source.rangeQuery({
      query: 'shop_latency_seconds{service="cart"}',
      start: START,
      end: START + (N - 1) * STEP,
      stepSeconds: STEP,
    });
    expect(series).toHaveLength(1);
    expect(series[0]!.labels).toEqual({
      __name__: 'shop_latency_seconds',
      namespace: 'shop',
      service: 'cart',
    });
    expect(series[0]!.timestamps).toEqual(timestamps);
    expect(series[0]!.values).toEqual(cartLatency);
  });

  it('converts NaN and +Inf strings to numbers', async () => {
    const [series] = await source.rangeQuery({
      query: 'shop_latency_seconds{service="odd"}',
      start: START,
      end: START + 5 * STEP,
      stepSeconds: STEP,
    });
    expect(series!.values).toEqual(specials.slice(0, 6));
    expect(series!.values[0]).toBeNaN();
    expect(series!.values[1]).toBe(Infinity);
  });

  it('answers instant queries, scalars and rate() over the counter', async () => {
    const at = START + 20 * STEP;
    const [sample] = await source.instantQuery('shop_requests_total', at);
    expect(sample).toEqual({
      labels: { __name__: 'shop_requests_total', namespace: 'shop', service: 'cart' },
      timestamp: at,
      value: requests[20],
    });

    const [scalar] = await source.instantQuery('scalar(shop_requests_total) * 2', at);
    expect(scalar!.value).toBe(requests[20]! * 2);

    // Prometheus 2.x windows are closed ([t-60s, t]: samples 16..20, nothing to extrapolate); 3.x windows are
    // left-open (samples 17..20, extrapolated from 45 s to 60 s). Either way the value follows from the backfill.
    const [increase] = await source.instantQuery('increase(shop_requests_total[60s])', at);
    const closed = requests[20]! - requests[16]!;
    const leftOpen = ((requests[20]! - requests[17]!) * 60) / 45;
    expect([closed, leftOpen]).toContainEqual(increase!.value);
  });

  it('lists series, label names and label values', async () => {
    const series = await source.series(['shop_latency_seconds'], START, START + N * STEP);
    expect(series.map((s) => s.service).sort()).toEqual(['cart', 'odd']);
    expect(await source.labelNames()).toEqual(expect.arrayContaining(['__name__', 'namespace', 'service']));
    expect(await source.labelValues('service', ['shop_requests_total'])).toEqual(['cart']);
    expect((await source.labelValues('__name__')).sort()).toEqual([
      'shop_latency_seconds',
      'shop_requests_total',
    ]);
  });

  it("surfaces a PromQL syntax error as PROMQL_ERROR with Prometheus' message and the query", async () => {
    const error = await expectEngineError(
      source.instantQuery('sum(rate(shop_requests_total[5m]'),
      'PROMQL_ERROR',
      /parse error/,
    );
    expect(error.message).toContain('sum(rate(shop_requests_total[5m]');
    expect(error.status).toBe(400);
  });

  it('rejects an instant query that returns a range vector', async () => {
    await expectEngineError(
      source.instantQuery('shop_requests_total[1m]', START + 10 * STEP),
      'PROMQL_ERROR',
      /range vector/,
    );
  });

  it('validates range query parameters before calling Prometheus', async () => {
    const error = await expectEngineError(
      source.rangeQuery({ query: 'up', start: 100, end: 50, stepSeconds: 15 }),
      'INVALID_INPUT',
      /end/,
    );
    expect(error.issues[0]!.field).toBe('rangeQuery.end');
  });

  it('reports health with the Prometheus version and latency', async () => {
    const health = await source.check();
    expect(health.ok).toBe(true);
    expect(health.detail).toMatch(/Prometheus 2\.\d+\.\d+/);
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
  });
});

describe('PrometheusMetricsSource transport failures', () => {
  it('reports an unreachable URL as UPSTREAM_UNAVAILABLE naming the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const source = new PrometheusMetricsSource({ url, timeoutSeconds: 2 });
    await expectEngineError(
      source.instantQuery('up'),
      'UPSTREAM_UNAVAILABLE',
      new RegExp(url.replace(/\./g, '\\.')),
    );
    const health = await source.check();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain(url);
  });

  describe('against a local HTTP server', () => {
    let server: Server;
    let url: string;
    const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> =
      [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
          if (req.url?.startsWith('/slow')) return; // never answers
          if (req.url?.startsWith('/managed/-/') || req.url?.startsWith('/managed/api/v1/status')) {
            res.statusCode = 404;
            res.end('404 page not found');
            return;
          }
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('POSTs the query as a form with the configured headers', async () => {
      const source = new PrometheusMetricsSource({
        url,
        headers: { 'X-Scope-OrgID': 'tenant-7', Authorization: 'Bearer abc' },
      });
      const long = `sum(${Array.from({ length: 400 }, (_, i) => `m${i}`).join(' + ')})`;
      expect(await source.instantQuery(long, 1234.5)).toEqual([]);
      const request = seen.at(-1)!;
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/api/v1/query');
      expect(request.headers['x-scope-orgid']).toBe('tenant-7');
      expect(request.headers.authorization).toBe('Bearer abc');
      const form = new URLSearchParams(request.body);
      expect(form.get('query')).toBe(long);
      expect(form.get('time')).toBe('1234.5');
    });

    it('checks a server without management endpoints by a query', async () => {
      const health = await new PrometheusMetricsSource({ url: `${url}/managed` }).check();
      expect(health.ok).toBe(true);
      expect(health.detail).toContain('answers PromQL');
      expect(seen.at(-1)!.url).toBe('/managed/api/v1/query');
    });

    it('times out with TIMEOUT naming the URL', async () => {
      const source = new PrometheusMetricsSource({ url: `${url}/slow`, timeoutSeconds: 0.3 });
      await expectEngineError(source.instantQuery('up'), 'TIMEOUT', /\/slow did not answer within 0\.3 s/);
    });
  });
});
