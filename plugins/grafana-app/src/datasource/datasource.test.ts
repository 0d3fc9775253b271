import { FieldType } from '@grafana/data';
import { CloudOpsDataSource } from './datasource';
import { FakeBackendSrv, routes, type RecordedRequest } from '../test/FakeBackendSrv';
import type { ForecastResponse, SignalCatalog } from '../api/types';
import { DS_URL, datasourceSettings, queryRequest } from '../test/fixtures';

const ENGINE = `${DS_URL}/engine`;

const T0 = 1_764_000_000; // unix seconds

const forecastBody = {
  seriesKey: 'shop/checkout/request_rate',
  model: 'holt-winters',
  reason: 'lowest backtest error',
  source: 'stored',
  modelVersion: 2,
  stepSeconds: 60,
  coverage: 0.9,
  // Out of order on purpose: frames must be time-sorted.
  points: [
    { t: T0 + 120, value: 12, lower: 9, upper: 15 },
    { t: T0, value: 10, lower: 8, upper: 12 },
    { t: T0 + 60, value: 11, lower: 8.5, upper: 13.5 },
  ],
  history: [{ t: T0 - 60, value: 9.5 }],
} satisfies ForecastResponse;

const signalsBody = {
  serviceLabel: 'app',
  window: '2m',
  items: [
    {
      name: 'request_rate',
      query: 'sum by (app) (rate(http_requests_total{namespace="$namespace"}[$window]))',
      unit: 'req/s',
      badDirection: 'both',
    },
  ],
} satisfies SignalCatalog;

describe('CloudOpsDataSource', () => {
  test('turns an engine forecast into a time-sorted frame with time, value, lower and upper', async () => {
    const srv = new FakeBackendSrv(
      routes({ [`POST ${ENGINE}/api/v1/forecast`]: () => ({ status: 200, body: forecastBody }) })
    ).install();
    const ds = new CloudOpsDataSource(datasourceSettings());

    const response = await ds.query(
      queryRequest(
        [
          {
            refId: 'A',
            kind: 'forecast',
            service: 'checkout',
            signal: 'request_rate',
            namespace: 'shop',
            horizonMinutes: 30,
          },
        ],
        0,
        1
      )
    );

    expect(response.errors).toBeUndefined();
    expect(response.data).toHaveLength(1);
    const frame = response.data[0];
    expect(frame.refId).toBe('A');
    expect(frame.fields.map((f: { name: string }) => f.name)).toEqual(['time', 'value', 'lower', 'upper']);
    expect(frame.fields[0].type).toBe(FieldType.time);
    // Seconds from the engine become the milliseconds Grafana plots.
    expect(frame.fields[0].values).toEqual([T0 * 1000, (T0 + 60) * 1000, (T0 + 120) * 1000]);
    expect(frame.fields[1].values).toEqual([10, 11, 12]);
    expect(frame.fields[2].values).toEqual([8, 8.5, 9]);
    expect(frame.fields[3].values).toEqual([12, 13.5, 15]);
    // The upper edge shades down to the lower one.
    expect(frame.fields[3].config.custom.fillBelowTo).toBe(frame.fields[2].config.displayName);

    const sent = srv.requests[0] as RecordedRequest;
    expect(sent.method).toBe('POST');
    expect(sent.data).toEqual({ service: 'checkout', signal: 'request_rate', namespace: 'shop', horizonMinutes: 30 });
  });

  test('history substitutes the signal template and picks the service by the engine serviceLabel', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`GET ${ENGINE}/api/v1/signals`]: () => ({ status: 200, body: signalsBody }),
        [`GET ${ENGINE}/api/v1/metrics/query_range`]: () => ({
          status: 200,
          body: {
            series: [
              { labels: { app: 'cart' }, timestamps: [T0, T0 + 60], values: [1, 2] },
              { labels: { app: 'checkout' }, timestamps: [T0, T0 + 60], values: [5, 6] },
            ],
          },
        }),
      })
    ).install();
    const ds = new CloudOpsDataSource(datasourceSettings({ defaultNamespace: 'prod' }));

    const response = await ds.query(
      queryRequest(
        [{ refId: 'H', kind: 'history', service: 'checkout', signal: 'request_rate' }],
        T0 * 1000,
        (T0 + 3600) * 1000
      )
    );

    expect(response.errors).toBeUndefined();
    expect(response.data[0].fields[0].values).toEqual([T0 * 1000, (T0 + 60) * 1000]);
    expect(response.data[0].fields[1].values).toEqual([5, 6]);
    const rangeCall = srv.requests.find((r) => r.path.endsWith('/query_range'))!;
    expect(rangeCall.query.get('query')).toBe('sum by (app) (rate(http_requests_total{namespace="prod"}[2m]))');
    expect(Number(rangeCall.query.get('start'))).toBe(T0);
    expect(Number(rangeCall.query.get('end'))).toBe(T0 + 3600);
    expect(Number(rangeCall.query.get('step'))).toBe(60);
  });

  test('anomaly score flags a spike and covers only the requested range', async () => {
    const timestamps = Array.from({ length: 100 }, (_, i) => T0 + i * 60);
    const values = timestamps.map((_, i) => (i === 90 ? 100 : 10 + (i % 3)));
    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE}/api/v1/signals`]: () => ({ status: 200, body: signalsBody }),
        [`GET ${ENGINE}/api/v1/metrics/query_range`]: () => ({
          status: 200,
          body: { series: [{ labels: { app: 'checkout' }, timestamps, values }] },
        }),
      })
    ).install();
    const ds = new CloudOpsDataSource(datasourceSettings());
    const fromMs = (T0 + 80 * 60) * 1000;

    const response = await ds.query(
      queryRequest(
        [{ refId: 'S', kind: 'anomaly-score', service: 'checkout', signal: 'request_rate' }],
        fromMs,
        (T0 + 99 * 60) * 1000
      )
    );

    const [time, score] = response.data[0].fields;
    expect(time.values[0]).toBe(fromMs);
    expect(time.values).toHaveLength(20);
    const spikeAt = time.values.indexOf((T0 + 90 * 60) * 1000);
    expect(score.values[spikeAt]).toBeGreaterThan(20);
    const others = score.values.filter((_: number, i: number) => i !== spikeAt && i !== spikeAt + 1);
    expect(Math.max(...others)).toBeLessThan(3);
  });

  test('a failing query comes back as an error for its refId beside the other results', async () => {
    new FakeBackendSrv(
      routes({
        [`POST ${ENGINE}/api/v1/forecast`]: (r) =>
          (r.data as { service: string }).service === 'ghost'
            ? {
                status: 400,
                body: {
                  error: {
                    code: 'INVALID_INPUT',
                    message: 'unknown service ghost',
                    issues: [{ field: 'body.service', message: 'unknown' }],
                  },
                },
              }
            : { status: 200, body: forecastBody },
      })
    ).install();
    const ds = new CloudOpsDataSource(datasourceSettings());

    const response = await ds.query(
      queryRequest(
        [
          { refId: 'A', kind: 'forecast', service: 'checkout', signal: 'request_rate' },
          { refId: 'B', kind: 'forecast', service: 'ghost', signal: 'request_rate' },
        ],
        0,
        1
      )
    );

    expect(response.data.map((f: { refId: string }) => f.refId)).toEqual(['A']);
    expect(response.errors).toEqual([{ refId: 'B', message: 'unknown service ghost' }]);
  });

  test('queries without a service are not sent', async () => {
    const srv = new FakeBackendSrv(routes({})).install();
    const ds = new CloudOpsDataSource(datasourceSettings());
    const response = await ds.query(
      queryRequest([{ refId: 'A', kind: 'forecast', service: '', signal: 'request_rate' }], 0, 1)
    );
    expect(response.data).toEqual([]);
    expect(srv.requests).toHaveLength(0);
  });

  test('testDatasource reports success, the failing checks of a 503, and an unreachable engine', async () => {
    const ds = new CloudOpsDataSource(datasourceSettings());

    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE}/readyz`]: () => ({
          status: 200,
          body: { ready: true, profile: 'demo', checks: [{ name: 'metrics', ok: true, detail: 'ok' }] },
        }),
      })
    ).install();
    expect(await ds.testDatasource()).toEqual({
      status: 'success',
      message: 'Engine ready (demo profile): 1 checks passed',
    });

    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE}/readyz`]: () => ({
          status: 503,
          body: {
            ready: false,
            profile: 'live',
            checks: [
              { name: 'metrics', ok: false, detail: 'Prometheus at http://prom:9090 refused the connection' },
              { name: 'store', ok: true, detail: 'memory' },
            ],
          },
        }),
      })
    ).install();
    const notReady = await ds.testDatasource();
    expect(notReady.status).toBe('error');
    expect(notReady.message).toBe('Engine not ready: metrics: Prometheus at http://prom:9090 refused the connection');

    new FakeBackendSrv(() => ({ status: 502, body: { message: 'Bad Gateway' } })).install();
    const down = await ds.testDatasource();
    expect(down.status).toBe('error');
    expect(down.message).toMatch(/^Cannot reach the engine/);
  });

  test('variable queries list the engine workloads of a namespace and the configured signals', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`GET ${ENGINE}/api/v1/workloads`]: (r) => ({
          status: 200,
          body: {
            items: r.query.get('namespace') === 'prod' ? [{ name: 'web' }, { name: 'api' }, { name: 'web' }] : [],
          },
        }),
        [`GET ${ENGINE}/api/v1/signals`]: () => ({ status: 200, body: signalsBody }),
      })
    ).install();
    const ds = new CloudOpsDataSource(datasourceSettings({ defaultNamespace: 'prod' }));

    expect(await ds.metricFindQuery('services(prod)')).toEqual([
      { text: 'api', value: 'api' },
      { text: 'web', value: 'web' },
    ]);
    expect(await ds.metricFindQuery('services()')).toHaveLength(2);
    expect(srv.requests.map((r) => r.query.get('namespace'))).toEqual(['prod', 'prod']);
    expect(await ds.metricFindQuery(' signals() ')).toEqual([{ text: 'request_rate', value: 'request_rate' }]);
    await expect(ds.metricFindQuery('pods()')).rejects.toThrow('unknown variable query "pods()"');
  });
});
