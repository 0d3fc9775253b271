import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGNALS } from '../../src/config/schema.js';
import { EngineError } from '../../src/errors.js';
import { FaultLedger, FAULT_TYPES, type FaultType } from '../../src/sim/faults.js';
import { ShopMetricsGenerator } from '../../src/sim/metrics/ShopMetricsGenerator.js';
import { SHOP_NAMESPACE, SHOP_SERVICES } from '../../src/sim/shop.js';
import { SyntheticMetricsSource } from '../../src/sources/metrics/SyntheticMetricsSource.js';

/** Monday 2025-11-24 16:00 UTC: busy hours, no weekend. */
const T = 1_764_000_000;
const FAULT_START = T - 1800;

function signal(name: string): string {
  const s = DEFAULT_SIGNALS.find((d) => d.name === name)!;
  return s.query.replaceAll('$namespace', SHOP_NAMESPACE).replaceAll('$window', '5m');
}

function sourceWith(faults: Array<{ type: FaultType; service: string; node?: string }>, seed = 42) {
  const ledger = new FaultLedger();
  for (const f of faults) ledger.inject({ ...f, namespace: SHOP_NAMESPACE, startedAt: FAULT_START });
  const generator = new ShopMetricsGenerator({ seed, ledger });
  return { ledger, generator, source: new SyntheticMetricsSource(generator, () => T) };
}

async function byService(source: SyntheticMetricsSource, name: string, at = T): Promise<Map<string, number>> {
  const samples = await source.instantQuery(signal(name), at);
  return new Map(samples.map((s) => [s.labels.service!, s.value]));
}

describe('SyntheticMetricsSource: default signals', () => {
  const { source } = sourceWith([]);

  it.each(DEFAULT_SIGNALS.map((s) => s.name))(
    '%s returns one finite series per shop service over 2 h at 15 s',
    async (name) => {
      const series = await source.rangeQuery({
        query: signal(name),
        start: T - 7200,
        end: T,
        stepSeconds: 15,
      });
      expect(series.map((s) => s.labels.service).sort()).toEqual(SHOP_SERVICES.map((s) => s.name).sort());
      for (const s of series) {
        expect(s.timestamps).toHaveLength(481);
        expect(s.values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      }
    },
  );

  it('has daily seasonality and a weekend dip in request rate', async () => {
    const rate = async (at: number) => (await byService(source, 'request_rate', at)).get('frontend')!;
    const mondayAfternoon = await rate(T - 2 * 3600); // 14:00 UTC
    const mondayNight = await rate(T - 13 * 3600); // 03:00 UTC
    const saturdayAfternoon = await rate(T - 2 * 86_400 - 2 * 3600);
    expect(mondayAfternoon).toBeGreaterThan(2 * mondayNight);
    expect(saturdayAfternoon).toBeLessThan(mondayAfternoon * 0.95);
    // Latency and CPU follow load.
    const p99 = async (at: number) => (await byService(source, 'latency_p99', at)).get('frontend')!;
    const cpu = async (at: number) => (await byService(source, 'cpu', at)).get('frontend')!;
    expect(await p99(T - 2 * 3600)).toBeGreaterThan(await p99(T - 13 * 3600));
    expect(await cpu(T - 2 * 3600)).toBeGreaterThan(await cpu(T - 13 * 3600));
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const q = { query: signal('request_rate'), start: T - 600, end: T, stepSeconds: 60 };
    const a = await sourceWith([], 7).source.rangeQuery(q);
    const b = await sourceWith([], 7).source.rangeQuery(q);
    const c = await sourceWith([], 8).source.rangeQuery(q);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe('SyntheticMetricsSource: faults', () => {
  const healthy = sourceWith([]).source;

  /** Which signals each fault type must raise on the faulty service (compared with the same time without faults). */
  const EXPECTED: Record<Exclude<FaultType, 'node-not-ready'>, Array<[signal: string, factor: number]>> = {
    'crash-loop': [
      ['error_ratio', 10],
      ['restarts', Infinity],
    ],
    'oom-killed': [
      ['memory', 1.3],
      ['restarts', Infinity],
      ['error_ratio', 5],
    ],
    'image-pull-error': [
      ['error_ratio', 2],
      ['latency_p99', 1.2],
    ],
    'bad-rollout': [
      ['error_ratio', 10],
      ['restarts', Infinity],
      ['latency_p99', 1.3],
    ],
    'failing-readiness': [['error_ratio', 10]],
    unschedulable: [['latency_p99', 1.5]],
    'cpu-hog': [
      ['cpu', 2],
      ['latency_p99', 2],
    ],
    latency: [['latency_p99', 4]],
  };

  it('covers every fault type', () => {
    expect([...Object.keys(EXPECTED), 'node-not-ready'].sort()).toEqual([...FAULT_TYPES].sort());
  });

  it.each(Object.entries(EXPECTED))('%s raises the faulty service signals', async (type, expectations) => {
    const { source } = sourceWith([{ type: type as FaultType, service: 'catalog' }]);
    for (const [name, factor] of expectations) {
      // Gauges such as memory saw-tooth under a leak: compare the highest value of the last 10 minutes.
      const peak = async (s: SyntheticMetricsSource) => {
        const series = await s.rangeQuery({ query: signal(name), start: T - 600, end: T, stepSeconds: 15 });
        return Math.max(...series.find((x) => x.labels.service === 'catalog')!.values);
      };
      const before =
        name === 'memory' ? await peak(healthy) : (await byService(healthy, name)).get('catalog')!;
      const after = name === 'memory' ? await peak(source) : (await byService(source, name)).get('catalog')!;
      if (factor === Infinity) {
        expect(before, `${type} ${name}`).toBe(0);
        expect(after, `${type} ${name}`).toBeGreaterThan(0);
      } else {
        expect(after, `${type} ${name}: ${before} → ${after}`).toBeGreaterThan(before * factor);
      }
    }
    // Before the fault started, nothing differs.
    const earlier = T - 3600;
    expect(await byService(source, 'error_ratio', earlier)).toEqual(
      await byService(healthy, 'error_ratio', earlier),
    );
  });

  it('node-not-ready degrades the services with pods on that node', async () => {
    const { source, generator } = sourceWith([
      { type: 'node-not-ready', service: 'catalog', node: 'sim-node-2' },
    ]);
    const onNode = new Set(generator.pods.filter((p) => p.node === 'sim-node-2').map((p) => p.service.name));
    const before = await byService(healthy, 'error_ratio');
    const after = await byService(source, 'error_ratio');
    for (const service of onNode)
      expect(after.get(service)!, service).toBeGreaterThan(before.get(service)! * 5);
    const untouchedLeaf = SHOP_SERVICES.find(
      (s) => !onNode.has(s.name) && s.calls.every((c) => !onNode.has(c)),
    );
    if (untouchedLeaf) expect(after.get(untouchedLeaf.name)).toBeCloseTo(before.get(untouchedLeaf.name)!, 9);
  });

  it('propagates upstream to callers, weaker than at the source, and not to unrelated services', async () => {
    const { source } = sourceWith([{ type: 'crash-loop', service: 'payment' }]);
    const before = await byService(healthy, 'error_ratio');
    const after = await byService(source, 'error_ratio');
    const rise = (s: string) => after.get(s)! - before.get(s)!;
    expect(rise('payment')).toBeGreaterThan(0.3);
    // checkout calls payment, frontend calls checkout: each hop sees less.
    expect(rise('checkout')).toBeGreaterThan(0.05);
    expect(rise('checkout')).toBeLessThan(rise('payment'));
    expect(rise('frontend')).toBeGreaterThan(0.01);
    expect(rise('frontend')).toBeLessThan(rise('checkout'));
    for (const unrelated of ['catalog', 'cart', 'ads', 'redis-cart'])
      expect(rise(unrelated)).toBeCloseTo(0, 9);

    const { source: slow } = sourceWith([{ type: 'latency', service: 'catalog' }]);
    const p99Before = await byService(healthy, 'latency_p99');
    const p99After = await byService(slow, 'latency_p99');
    const ratio = (s: string) => p99After.get(s)! / p99Before.get(s)!;
    expect(ratio('recommendation')).toBeGreaterThan(1.1);
    expect(ratio('recommendation')).toBeLessThan(ratio('catalog'));
    expect(ratio('payment')).toBeCloseTo(1, 6);
  });

  it('shows client-side errors on the edges into a failing service', async () => {
    const { source } = sourceWith([{ type: 'failing-readiness', service: 'cart' }]);
    const query =
      'sum by (service, target) (rate(http_client_requests_total{code="500"}[5m])) / sum by (service, target) (rate(http_client_requests_total[5m]))';
    const edges = await source.instantQuery(query, T);
    const ratio = (from: string, to: string) =>
      edges.find((e) => e.labels.service === from && e.labels.target === to)!.value;
    expect(ratio('frontend', 'cart')).toBeGreaterThan(0.2);
    expect(ratio('checkout', 'cart')).toBeGreaterThan(0.2);
    expect(ratio('frontend', 'catalog')).toBeLessThan(0.01);
  });

  it('reports readiness like kube-state-metrics and up like Prometheus', async () => {
    const { source, generator } = sourceWith([
      { type: 'failing-readiness', service: 'checkout' },
      { type: 'node-not-ready', service: 'cart', node: 'sim-node-3' },
    ]);
    const ready = new Map(
      (await source.instantQuery('kube_deployment_status_replicas_ready', T)).map((s) => [
        s.labels.deployment,
        s.value,
      ]),
    );
    expect(ready.get('checkout')).toBe(0);
    for (const service of SHOP_SERVICES) {
      const onNode3 = generator.pods.filter(
        (p) => p.service.name === service.name && p.node === 'sim-node-3',
      ).length;
      if (service.name !== 'checkout')
        expect(ready.get(service.name), service.name).toBe(service.replicas - onNode3);
    }
    const down = await source.instantQuery('up == 0', T);
    const expectedDown = generator.pods
      .filter((p) => p.node === 'sim-node-3' || p.service.name === 'checkout')
      .map((p) => p.name);
    expect(down.map((s) => s.labels.pod).sort()).toEqual([...new Set(expectedDown)].sort());
    // Before the faults everything is up and ready.
    expect(await source.instantQuery('up == 0', FAULT_START - 60)).toEqual([]);
    const requests = await source.instantQuery(
      'sum(kube_pod_container_resource_requests{resource="cpu",pod=~"cart-.*"}) / count(kube_pod_info{pod=~"cart-.*"})',
      T,
    );
    expect(requests[0]!.value).toBeCloseTo(0.1, 12);
  });

  it('a resolved fault stops affecting signals', async () => {
    const { source, ledger } = sourceWith([{ type: 'latency', service: 'ads' }]);
    ledger.resolve(ledger.all()[0]!.id, FAULT_START + 600);
    const after = await byService(source, 'latency_p99');
    const before = await byService(healthy, 'latency_p99');
    expect(after.get('ads')).toBeCloseTo(before.get('ads')!, 9);
    const during = await byService(source, 'latency_p99', FAULT_START + 500);
    expect(during.get('ads')!).toBeGreaterThan(3 * before.get('ads')!);
  });
});

describe('SyntheticMetricsSource: counters', () => {
  const { source, generator } = sourceWith([
    { type: 'crash-loop', service: 'cart' },
    { type: 'cpu-hog', service: 'catalog' },
    { type: 'failing-readiness', service: 'checkout' },
  ]);

  it('every counter is monotonic across fault boundaries', async () => {
    const series = await source.rangeQuery({
      query: '{__name__=~".+_total|.+_bucket|.+_sum|.+_count"}',
      start: FAULT_START - 1800,
      end: FAULT_START + 1800,
      stepSeconds: 15,
    });
    expect(series.length).toBe(generator.series().filter((d) => d.type === 'counter').length);
    for (const s of series) {
      for (let i = 1; i < s.values.length; i++) {
        if (s.values[i]! < s.values[i - 1]!)
          throw new Error(`${JSON.stringify(s.labels)} decreases at ${s.timestamps[i]}`);
      }
    }
  });

  it('rate() equals the increase between virtual scrapes, and the model rate integrated over the window', async () => {
    const samples = await source.instantQuery(
      'rate(http_request_duration_seconds_count{service=~"cart|catalog|frontend"}[5m])',
      T,
    );
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      const def = generator
        .series()
        .find(
          (d) =>
            d.labels.__name__ === 'http_request_duration_seconds_count' && d.labels.pod === sample.labels.pod,
        )!;
      // Window (T−300, T] holds scrapes T−285..T; Prometheus extrapolates to exactly the 285 s average.
      const k = T / 15;
      const [first, last] = [
        generator.sampleGrid(def, k - 19, k - 19)[0]!,
        generator.sampleGrid(def, k, k)[0]!,
      ];
      // Grid and point evaluation round differently on counters near 1e10: agree to 1e-8 relative.
      expect(Math.abs(sample.value - (last - first) / 285) / sample.value).toBeLessThan(1e-8);
      // Simpson's rule over the modelled instantaneous rate.
      const n = 570;
      const h = 285 / n;
      let integral = 0;
      for (let i = 0; i <= n; i++) {
        const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
        integral += w * generator.rateAt(def, T - 285 + i * h);
      }
      integral *= h / 3;
      expect(Math.abs(sample.value - integral / 285) / sample.value).toBeLessThan(1e-6);
    }
  });

  it('jittered request counters stay within the jitter bound of the model rate', async () => {
    const samples = await source.instantQuery('rate(http_requests_total{code="200"}[5m])', T);
    for (const sample of samples) {
      const def = generator
        .series()
        .find(
          (d) =>
            d.labels.__name__ === 'http_requests_total' &&
            d.labels.pod === sample.labels.pod &&
            d.labels.code === '200',
        )!;
      const model = generator.rateAt(def, T - 142.5);
      expect(Math.abs(sample.value - model) / model, sample.labels.pod).toBeLessThan(0.06);
    }
  });
});

describe('SyntheticMetricsSource: API surface', () => {
  const { source, generator } = sourceWith([]);

  it('lists series, label names and values', async () => {
    const series = await source.series(['kube_pod_container_status_restarts_total{service="cart"}']);
    expect(series).toHaveLength(generator.pods.filter((p) => p.service.name === 'cart').length);
    expect(await source.labelNames(['http_client_requests_total'])).toEqual([
      '__name__',
      'code',
      'namespace',
      'service',
      'target',
    ]);
    expect(await source.labelValues('service')).toEqual(SHOP_SERVICES.map((s) => s.name).sort());
    const edges = await source.series(['http_client_requests_total{code="200"}']);
    expect(edges.map((e) => `${e.service}->${e.target}`).sort()).toEqual(
      SHOP_SERVICES.flatMap((s) => s.calls.map((c) => `${s.name}->${c}`)).sort(),
    );
  });

  it('reports unsupported PromQL and syntax errors as PROMQL_ERROR', async () => {
    const cases: Array<[string, RegExp]> = [
      ['rate(http_requests_total[5m:1m])', /unsupported in the demo metrics source: subqueries/],
      ['topk(3, http_requests_total)', /unsupported in the demo metrics source: the aggregation topk/],
      ['label_replace(up, "a", "b", "c", "d")', /unsupported in the demo metrics source/],
      ['sum(rate(http_requests_total[5m])', /parse error/],
      ['http_requests_total[5m]', /range vector/],
      [
        'http_requests_total / on(service) http_request_duration_seconds_count',
        /many-to-many matching not allowed/,
      ],
    ];
    for (const [query, pattern] of cases) {
      const error = await source.instantQuery(query, T).catch((e: unknown) => e);
      expect(error, query).toBeInstanceOf(EngineError);
      expect((error as EngineError).code, query).toBe('PROMQL_ERROR');
      expect((error as EngineError).message, query).toMatch(pattern);
    }
  });

  it('answers scalars and checks health', async () => {
    expect(await source.instantQuery('1 + 2 * 3', T)).toEqual([{ labels: {}, timestamp: T, value: 7 }]);
    const health = await source.check();
    expect(health.ok).toBe(true);
    expect(health.detail).toContain('11 services');
  });
});

describe('SyntheticMetricsSource: label regexes from a query', () => {
  it('matches in linear time (RE2, as Prometheus): a backtracking pattern does not hold the engine', async () => {
    // JS's RegExp took minutes on this against the demo's pod names (a viewer's GET /metrics/query held /healthz).
    const { finishesWithin } = await import('../support/finishesWithin.js');
    const fixture = new URL('./fixtures/queryDemoMetrics.ts', import.meta.url);
    expect(
      await finishesWithin(
        fixture,
        'queryDemoMetrics',
        ['count(http_requests_total{pod=~"(.*.*)*x"})'],
        20_000,
      ),
    ).toBe(true);
  }, 60_000);

  it('answers RE2 syntax as Prometheus does, and names the label of a pattern RE2 refuses', async () => {
    const { source } = sourceWith([]);
    expect(
      (await source.instantQuery('http_requests_total{service=~"cart|checkout",code="200"}', T)).length,
    ).toBeGreaterThan(0);
    const error = await source
      .instantQuery('http_requests_total{service=~"(a)\\\\1"}', T)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('PROMQL_ERROR');
    expect((error as EngineError).message).toMatch(/for label service/);
  });
});
