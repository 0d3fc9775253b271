import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configSchema,
  signalSchema,
  type EngineConfigInput,
  type SignalDefinition,
} from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';
import { rcaConfigSchema } from '../../src/rca/config.js';
import { collectMetrics } from '../../src/rca/collect/collectMetrics.js';
import { analyzeIncident } from '../../src/rca/analyzeIncident.js';
import { AnomalyAlertSource } from '../../src/alerts/anomaly/AnomalyAlertSource.js';
import { InfluxMetricsSource, parseSeriesKey } from '../../src/sources/metrics/InfluxMetricsSource.js';
import { createMetricsSource } from '../../src/sources/metrics/createMetricsSource.js';
import { MetricsSourceRegistry, templateEscapeFor } from '../../src/sources/metrics/MetricsSourceRegistry.js';
import { fillQueryTemplate } from '../../src/sources/metrics/escapeLabelValue.js';
import { xrayPerspective } from '../../bench/rca/loadPetshop.js';
import {
  freePort,
  openMetricsFromSeries,
  petshopIncident,
  petshopSamples,
  startPrometheus,
  type OpenMetricsSeries,
  type PrometheusServer,
} from '../support/index.js';
import { startInfluxDB, type InfluxDBServer } from '../support/startInfluxDB.js';

/**
 * InfluxDB as a metrics source: the same samples written to a real InfluxDB (line protocol) and backfilled into a
 * real Prometheus, read back through the engine (config → createMetricsSource → the registry → each source), must
 * give the same RCA and the same forecast. PetShop data: CC BY 4.0, Amazon.com, Inc.; see fixtures/rca/petshop/NOTICE.md.
 */
const NAMESPACE = 'petshop';
const STEP = 300;
const DB = 'metrics';

const { target, reference } = petshopIncident();

/** A PetShop signal both ways: PromQL for Prometheus, InfluxQL (Grafana's placeholders) for the `influx` source. */
function petshopSignals(kind: 'prometheus' | 'influxdb'): SignalDefinition[] {
  return [...new Set(reference.series.map((s) => s.signal))].map((name) => {
    const [metric, statistic] = name.split('_') as [string, string];
    const like = reference.series.find((s) => s.signal === name)!;
    return signalSchema.parse({
      name: name.toLowerCase(),
      query:
        kind === 'prometheus'
          ? `petshop_${metric}{namespace="$namespace",statistic="${statistic}"}`
          : `SELECT last("value") FROM "petshop_${metric}" WHERE "namespace" = '$namespace' AND "statistic" = '${statistic}' AND $timeFilter GROUP BY time($__interval), "service" fill(none)`,
      badDirection: like.badDirection,
      events: like.eventsPerUnit === 1 ? 'count' : 'none',
      ...(kind === 'influxdb' ? { source: 'influx' } : {}),
    });
  });
}

/** Line protocol escapes `,`, `=` and spaces in tag keys and values with a backslash (a backslash stays itself). */
function lineProtocol(s: OpenMetricsSeries): string[] {
  const tag = (v: string) => v.replace(/([,= ])/g, '\\$1');
  const tags = Object.entries(s.labels)
    .map(([k, v]) => `${tag(k)}=${tag(v)}`)
    .join(',');
  return s.timestamps.map((t, i) => `${s.name},${tags} value=${s.values[i]} ${t}`);
}

/**
 * A daily cycle with a drift, 2 days at 5-minute steps, written a few steps past now: every grid point a forecast
 * reads has its own sample in both stores (Prometheus would otherwise carry the last sample 5 minutes forward, its
 * lookback, where InfluxDB's fill(none) leaves the bucket empty).
 */
function demandSeries(): OpenMetricsSeries {
  const end = Math.floor(Date.now() / 1000 / STEP) * STEP + 3 * STEP;
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let t = end - 2 * 86_400; t <= end; t += STEP) {
    timestamps.push(t);
    values.push(
      Math.round(1000 * (50 + 20 * Math.sin((2 * Math.PI * t) / 86_400) + ((t / 3600) % 7) * 0.5)) / 1000,
    );
  }
  return { name: 'shop_demand', labels: { namespace: 'shop', service: "o'brien\\cart" }, timestamps, values };
}

/** Seven days of a daily-seasonal noisy gauge at 60 s; instance "a" jumps for an hour three hours before the end. */
const GAUGE_STEP = 60;
const GAUGE_END = 1_760_000_400;
function queueDepth(instance: string, jump: boolean): OpenMetricsSeries {
  let seed = instance === 'a' ? 7 : 13;
  const noise = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648 - 0.5;
  };
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let t = GAUGE_END - 7 * 86_400; t <= GAUGE_END; t += GAUGE_STEP) {
    const shift = jump && t >= GAUGE_END - 3 * 3600 && t < GAUGE_END - 2 * 3600 ? 80 : 0;
    timestamps.push(t);
    values.push(
      Math.round(1e6 * (100 + 30 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400) + 8 * noise() + shift)) /
        1e6,
    );
  }
  return { name: 'queue_depth', labels: { instance, job: 'worker' }, timestamps, values };
}

let influx: InfluxDBServer;
let prometheus: PrometheusServer;
let source: InfluxMetricsSource;

beforeAll(async () => {
  const all = [
    ...petshopSamples(reference, NAMESPACE),
    demandSeries(),
    queueDepth('a', true),
    queueDepth('b', false),
  ];
  [influx, prometheus] = await Promise.all([
    startInfluxDB(),
    startPrometheus({ openMetrics: openMetricsFromSeries(all) }),
  ]);
  await influx.createDatabase(DB);
  const lines = all.flatMap(lineProtocol);
  for (let i = 0; i < lines.length; i += 5000) await influx.write(DB, lines.slice(i, i + 5000));
  source = new InfluxMetricsSource({ url: influx.url, database: DB, timeoutSeconds: 10 });
}, 60_000);

afterAll(async () => {
  await Promise.all([influx?.stop(), prometheus?.stop()]);
});

/** The engine's metrics config with Prometheus as the default source and InfluxDB named `influx`. */
function metricsConfig(): EngineConfigInput['metrics'] {
  return {
    kind: 'prometheus',
    url: prometheus.url,
    name: 'prom',
    sources: { influx: { kind: 'influxdb', url: influx.url, database: DB, timeoutSeconds: 10 } },
  };
}

describe('InfluxMetricsSource against a real InfluxDB', () => {
  it('reads a range back at the written timestamps, tags as labels, and answers label questions', async () => {
    const demand = demandSeries();
    const start = demand.timestamps[10]!;
    const end = demand.timestamps[20]!;
    const series = await source.rangeQuery({
      query: `SELECT last("value") FROM "shop_demand" WHERE $timeFilter GROUP BY time($__interval), "service" fill(none)`,
      start,
      end,
      stepSeconds: STEP,
    });
    expect(series).toHaveLength(1);
    expect(series[0]!.labels).toEqual({ service: "o'brien\\cart" });
    expect(series[0]!.timestamps).toEqual(demand.timestamps.slice(10, 21));
    expect(series[0]!.values).toEqual(demand.values.slice(10, 21));

    const instant = await source.instantQuery(
      `SELECT last("value") FROM "shop_demand" WHERE $timeFilter GROUP BY "service"`,
      end,
    );
    expect(instant).toEqual([
      { labels: { service: "o'brien\\cart" }, timestamp: end, value: demand.values[20] },
    ]);

    // A tag value with a quote and a backslash goes through the one escape function and matches itself only.
    expect(await source.labelValues('service', [`shop_demand{service="o'brien\\\\cart"}`])).toEqual([
      "o'brien\\cart",
    ]);
    expect(await source.labelValues('service', [`shop_demand{service="o'brien"}`])).toEqual([]);
    expect(await source.labelValues('statistic', ['petshop_latency{namespace="petshop"}'])).toEqual([
      'Average',
      'p99',
    ]);
    expect(await source.labelValues('__name__')).toEqual(
      expect.arrayContaining(['petshop_latency', 'shop_demand']),
    );
    expect(await source.labelNames(['shop_demand'])).toEqual(['__name__', 'namespace', 'service']);
    expect(await source.series(['shop_demand{namespace=~"sh.p"}'])).toEqual([
      { __name__: 'shop_demand', namespace: 'shop', service: "o'brien\\cart" },
    ]);
    expect(parseSeriesKey('m,a=x\\,y,b=p\\=q')).toEqual({ __name__: 'm', a: 'x,y', b: 'p=q' });
  });

  it('gives clear errors: bad InfluxQL, missing $timeFilter, unknown measurement, unknown database, unreachable server', async () => {
    const range = { start: 1_681_000_000, end: 1_681_003_600, stepSeconds: STEP };
    await expect(
      source.rangeQuery({ query: 'SELEKT value FROM cpu WHERE $timeFilter', ...range }),
    ).rejects.toMatchObject({
      code: 'PROMQL_ERROR',
      message: expect.stringMatching(/InfluxQL error: error parsing query: found SELEKT/),
    });
    await expect(
      source.rangeQuery({ query: 'SELECT last("value") FROM "shop_demand"', ...range }),
    ).rejects.toMatchObject({
      code: 'PROMQL_ERROR',
      message: expect.stringContaining('$timeFilter'),
    });
    await expect(
      source.rangeQuery({
        query: 'SELECT last("value") FROM "no_such_metric" WHERE $timeFilter GROUP BY time($__interval)',
        ...range,
      }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('measurement "no_such_metric" does not exist'),
    });
    // An existing measurement with no data in the range is an empty answer, not an error.
    expect(
      await source.rangeQuery({
        query: 'SELECT last("value") FROM "shop_demand" WHERE $timeFilter GROUP BY time($__interval)',
        ...range,
      }),
    ).toEqual([]);

    const noDb = new InfluxMetricsSource({ url: influx.url, database: 'nope' });
    await expect(noDb.instantQuery('SELECT last("value") FROM "x" WHERE $timeFilter')).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: expect.stringContaining('database not found: nope'),
    });
    expect(await noDb.check()).toMatchObject({
      ok: false,
      detail: expect.stringContaining('no database "nope"'),
    });

    const down = new InfluxMetricsSource({
      url: `http://127.0.0.1:${await freePort()}`,
      database: DB,
      timeoutSeconds: 2,
    });
    await expect(down.instantQuery('SELECT 1')).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message: expect.stringMatching(/InfluxDB at http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\)/),
    });
    expect(await down.check()).toMatchObject({ ok: false, detail: expect.stringContaining('unreachable') });
    expect(await source.check()).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^InfluxDB 1\.\d+.* is ready, database "metrics"/),
    });
  });

  it('config: signals naming an unknown source fail at startup; the registry lists each source for /readyz', async () => {
    const config = configSchema.parse({ metrics: metricsConfig(), logLevel: 'silent' });
    expect(() =>
      createMetricsSource(config.metrics, {
        signals: [signalSchema.parse({ name: 'x', query: 'up', source: 'nope' })],
      }),
    ).toThrow(/signals\.list\.0\.source: unknown metrics source "nope"; configured: prom, influx/);
    const registry = createMetricsSource(config.metrics).source as MetricsSourceRegistry;
    expect(registry.kind).toBe('prometheus');
    await expect(
      registry.rangeQuery({ query: 'up', start: 0, end: 60, stepSeconds: 15, source: 'nope' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ field: 'source', message: 'must be one of prom, influx' }],
    });
    const checks = await registry.checkEach();
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['metrics:prom', true],
      ['metrics:influx', true],
    ]);
    // The existing single-source form still parses, with its name defaulted.
    expect(
      configSchema.parse({ metrics: { kind: 'prometheus', url: prometheus.url } }).metrics,
    ).toMatchObject({
      kind: 'prometheus',
      name: 'default',
      sources: {},
    });
  });
});

describe('the same samples in InfluxDB and Prometheus give the same answers', () => {
  it('RCA of the PetShop incident: same series, same ranking, same scores', async () => {
    const config = configSchema.parse({ metrics: metricsConfig() });
    const influxSignals = petshopSignals('influxdb');
    const registry = createMetricsSource(config.metrics, { signals: influxSignals }).source;
    const options = {
      namespace: NAMESPACE,
      serviceLabel: 'service',
      rateWindow: '5m',
      stepSeconds: STEP,
      window: reference.window,
    };
    const [viaInflux, viaProm] = await Promise.all([
      collectMetrics(registry, influxSignals, options),
      collectMetrics(registry, petshopSignals('prometheus'), options),
    ]);
    expect(viaInflux.warnings).toEqual([]);
    expect(viaProm.warnings).toEqual([]);
    expect(viaInflux.series.length).toBe(viaProm.series.length);
    const key = (s: { service: string; signal: string }) => `${s.service}/${s.signal}`;
    const promByKey = new Map(viaProm.series.map((s) => [key(s), s]));
    for (const s of viaInflux.series) {
      const p = promByKey.get(key(s))!;
      expect(p, key(s)).toBeDefined();
      expect(s.timestamps).toEqual(p.timestamps);
      s.values.forEach((v, i) => expect(v).toBeCloseTo(p.values[i]!, 9));
    }
    const rcaConfig = rcaConfigSchema.parse({});
    const analyze = (series: typeof viaInflux.series) =>
      analyzeIncident(
        {
          ...reference,
          series: series.map((s) => ({ ...s, ...xrayPerspective(s.service) })),
          target: {
            service: target.target.node,
            signal: `${target.target.metric}_${target.target.agg}`.toLowerCase(),
          },
        },
        rcaConfig,
      );
    const influxResult = analyze(viaInflux.series);
    const promResult = analyze(viaProm.series);
    expect(influxResult.candidates[0]?.service).toBe(target.root_cause.node);
    expect(influxResult.candidates.map((c) => [c.service, c.signal])).toEqual(
      promResult.candidates.map((c) => [c.service, c.signal]),
    );
    influxResult.candidates.forEach((c, i) =>
      expect(c.score).toBeCloseTo(promResult.candidates[i]!.score, 9),
    );
    // Evidence keeps the InfluxQL that produced it.
    expect(influxResult.candidates[0]!.evidence.metrics[0]!.promql).toMatch(
      /^SELECT last\("value"\) FROM "petshop_/,
    );
  }, 60_000);

  it('anomaly alerts: the same alerts from InfluxDB as from Prometheus, on the jump', async () => {
    const registry = createMetricsSource(configSchema.parse({ metrics: metricsConfig() }).metrics).source;
    const poll = (signal: { query: string; source?: string }) =>
      new AnomalyAlertSource(registry, {
        signals: [{ name: 'queue_depth', stepSeconds: GAUGE_STEP, ...signal }],
        historySeconds: 7 * 86_400,
      }).poll(GAUGE_END);
    const [viaInflux, viaProm] = await Promise.all([
      poll({
        source: 'influx',
        query: `SELECT last("value") FROM "queue_depth" WHERE "job" = 'worker' AND $timeFilter GROUP BY time($__interval), "instance", "job" fill(none)`,
      }),
      poll({ query: 'queue_depth{job="worker"}' }),
    ]);
    expect(viaProm.length).toBeGreaterThan(0);
    expect(viaInflux.map((a) => a.labels.instance)).toContain('a');
    expect(viaInflux.map((a) => a.labels.instance)).not.toContain('b');
    // Prometheus keeps a plain selector's metric name (the alert's `metric` label); an InfluxDB series has its tags only.
    const comparable = (alerts: typeof viaProm) =>
      alerts.map(({ status, labels: { metric: _metric, ...labels }, startsAt, endsAt, annotations }) => ({
        status,
        labels,
        startsAt,
        endsAt,
        value: annotations['value'],
      }));
    expect(comparable(viaInflux)).toEqual(comparable(viaProm));
  }, 120_000);

  describe('forecast through a live engine', () => {
    let engine: Engine;
    beforeAll(async () => {
      engine = await createEngine(
        configSchema.parse({
          logLevel: 'silent',
          server: { auth: { enabled: false } },
          cluster: { kind: 'simulated', injectFaults: false },
          metrics: metricsConfig(),
          forecast: { historyDays: 2, serveHistoryDays: 2, stepSeconds: STEP },
          signals: {
            list: [
              { name: 'demand', query: 'sum by (service) (shop_demand{namespace="$namespace"})' },
              {
                // $service lands inside an InfluxQL string: escaped with InfluxQL's rules, not PromQL's.
                name: 'demand_one',
                source: 'influx',
                query: `SELECT sum("value") FROM "shop_demand" WHERE "namespace" = '$namespace' AND "service" = '$service' AND $timeFilter GROUP BY time($__interval), "service" fill(none)`,
              },
              {
                name: 'demand_influx',
                source: 'influx',
                query: `SELECT sum("value") FROM "shop_demand" WHERE "namespace" = '$namespace' AND $timeFilter GROUP BY time($__interval), "service" fill(none)`,
              },
            ],
          },
        }),
      );
    }, 60_000);
    afterAll(() => engine?.close());

    it('forecasts the same points from either backend, and /readyz lists both sources', async () => {
      const service = "o'brien\\cart";
      const [influxForecast, promForecast] = await Promise.all([
        engine.services.forecast.forecast({
          namespace: 'shop',
          service,
          signal: 'demand_influx',
          horizonMinutes: 60,
        }),
        engine.services.forecast.forecast({
          namespace: 'shop',
          service,
          signal: 'demand',
          horizonMinutes: 60,
        }),
      ]);
      expect(influxForecast.history.length).toBeGreaterThan(60);
      expect(influxForecast.history).toEqual(promForecast.history);
      expect(influxForecast.model).toBe(promForecast.model);
      expect(influxForecast.points).toHaveLength(12);
      influxForecast.points.forEach((p, i) => {
        expect(p.t).toBe(promForecast.points[i]!.t);
        expect(p.value).toBeCloseTo(promForecast.points[i]!.value, 6);
      });
      // A request may pick the source for a query of its own.
      const own = await engine.services.forecast.forecast({
        source: 'influx',
        query: `SELECT mean("value") FROM "shop_demand" WHERE $timeFilter GROUP BY time($__interval) fill(none)`,
        horizonMinutes: 60,
      });
      expect(own.history).toEqual(influxForecast.history);

      // A quote and a backslash in the service name are escaped for InfluxQL; an injection attempt stays a value.
      const one = await engine.services.forecast.forecast({
        namespace: 'shop',
        service,
        signal: 'demand_one',
        horizonMinutes: 60,
      });
      expect(one.history).toEqual(influxForecast.history);
      const injection = `x' OR service =~ /.+/ OR service = 'x`;
      const template = engine.config.signals.list.find((x) => x.name === 'demand_one')!.query;
      const range = {
        start: influxForecast.history[0]!.t,
        end: influxForecast.history.at(-1)!.t,
        stepSeconds: STEP,
        source: 'influx',
      };
      const filled = (escape: (v: string) => string) =>
        fillQueryTemplate(template, { namespace: 'shop', service: injection }, escape);
      expect(
        await engine.context.metrics.rangeQuery({ query: filled(templateEscapeFor('influxdb')), ...range }),
      ).toEqual([]);
      // PromQL's escape would have let the quote through, widening the query to every service.
      expect(
        await engine.context.metrics.rangeQuery({ query: filled(templateEscapeFor('prometheus')), ...range }),
      ).toHaveLength(1);

      // Over HTTP: a range query names its source; an unknown one is a 400 naming the field.
      const app = await buildApp(engine);
      try {
        const params = new URLSearchParams({
          source: 'influx',
          query: `SELECT last("value") FROM "shop_demand" WHERE $timeFilter GROUP BY time($__interval), "service" fill(none)`,
          start: String(influxForecast.history[0]!.t),
          end: String(influxForecast.history.at(-1)!.t),
          step: String(STEP),
        });
        const ok = await app.inject({ method: 'GET', url: `/api/v1/metrics/query_range?${params}` });
        expect(ok.statusCode).toBe(200);
        const body = ok.json() as { series: Array<{ labels: Record<string, string>; values: number[] }> };
        expect(body.series.map((x) => x.labels)).toEqual([{ service }]);
        expect(body.series[0]!.values).toEqual(influxForecast.history.map((p) => p.value));
        params.set('source', 'nope');
        const bad = await app.inject({ method: 'GET', url: `/api/v1/metrics/query_range?${params}` });
        expect(bad.statusCode).toBe(400);
        expect(bad.json()).toMatchObject({
          error: { code: 'INVALID_INPUT', issues: [{ field: 'querystring.source' }] },
        });
      } finally {
        await app.close();
      }

      const readiness = await engine.readiness();
      expect(readiness.filter((c) => c.name.startsWith('metrics')).map((c) => [c.name, c.ok])).toEqual([
        ['metrics:prom', true],
        ['metrics:influx', true],
      ]);
    }, 60_000);
  });
});
