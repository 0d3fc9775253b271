import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Labels, RangeSeries } from '../../src/sources/metrics/MetricsSource.js';
import { PrometheusMetricsSource } from '../../src/sources/metrics/PrometheusMetricsSource.js';
import type { LabelMatcher } from '../../src/sources/metrics/promql/ast.js';
import {
  evaluatePromql,
  labelKey,
  type GridSeriesProvider,
} from '../../src/sources/metrics/promql/evaluatePromql.js';
import { parsePromql } from '../../src/sources/metrics/promql/parsePromql.js';
import {
  openMetricsFromSeries,
  startPrometheus,
  type OpenMetricsSeries,
  type PrometheusServer,
} from '../support/index.js';

/**
 * The hand-written evaluator against the real thing: the same samples are backfilled into Prometheus and both
 * answer the same queries. Steps sit 7 s off the 15 s grid so no sample lies on a window edge, where Prometheus 2
 * (closed windows, the Debian version) and 3 (left-open, what the evaluator follows) legitimately differ.
 */
const DT = 15;
const K0 = 113_333_330; // grid index of the first sample: 1_699_999_950 s
const COUNT = 240; // one hour
const times = Array.from({ length: COUNT }, (_, i) => (K0 + i) * DT);

function series(): OpenMetricsSeries[] {
  const out: OpenMetricsSeries[] = [];
  const wave = (i: number, phase: number) => 1 + 0.5 * Math.sin(i / 9 + phase);
  for (const [si, service] of ['cart', 'catalog', 'checkout'].entries()) {
    for (const pod of [0, 1]) {
      for (const code of ['200', '500']) {
        let total = 1000 * (si + 1);
        const values = times.map((_, i) => {
          // A counter reset half way through for one series, to exercise reset handling.
          if (service === 'catalog' && pod === 1 && code === '200' && i === 120) total = 0;
          total += (code === '200' ? 20 : 1) * wave(i, si + pod) * (si + 1);
          return total;
        });
        out.push({
          name: 'req_total',
          type: 'counter',
          labels: { service, pod: `${service}-${pod}`, code },
          timestamps: times,
          values,
        });
      }
      let cumulative = 0;
      const buckets = [0.05, 0.1, 0.5, 1, Infinity];
      const counts = buckets.map(() => 0);
      const perBucket = buckets.map(() => times.map(() => 0));
      times.forEach((_, i) => {
        cumulative = 0;
        buckets.forEach((_, b) => {
          cumulative += (b + 1) * (si + 1) * wave(i, b) * (b === 4 ? 0.2 : 1);
          counts[b]! += cumulative;
          perBucket[b]![i] = counts[b]!;
        });
      });
      buckets.forEach((le, b) => {
        out.push({
          name: 'lat_bucket',
          type: 'counter',
          labels: { service, pod: `${service}-${pod}`, le: le === Infinity ? '+Inf' : String(le) },
          timestamps: times,
          values: perBucket[b]!,
        });
      });
    }
    out.push({
      name: 'mem_bytes',
      labels: { service },
      timestamps: times,
      values: times.map((_, i) => 1e6 * (si + 1) * wave(i, 0.3)),
    });
    out.push({
      name: 'limit_bytes',
      labels: { service },
      timestamps: times,
      values: times.map(() => 1.5e6 * (si + 1)),
    });
  }
  return out;
}

function gridProvider(data: OpenMetricsSeries[]): GridSeriesProvider {
  return {
    intervalSeconds: DT,
    select(matchers: LabelMatcher[]) {
      return data
        .map((s) => ({ labels: { __name__: s.name, ...s.labels } as Labels, s }))
        .filter(({ labels }) =>
          matchers.every((m) => {
            const v = labels[m.name] ?? '';
            const re = new RegExp(`^(?:${m.value})$`);
            return m.type === '='
              ? v === m.value
              : m.type === '!='
                ? v !== m.value
                : m.type === '=~'
                  ? re.test(v)
                  : !re.test(v);
          }),
        )
        .map(({ labels, s }) => ({
          labels,
          samples: (kFrom: number, kTo: number) =>
            Float64Array.from({ length: kTo - kFrom + 1 }, (_, i) => {
              const idx = kFrom + i - K0;
              // Queries start 15 minutes into the data, so no window or offset reaches outside it.
              return s.values[Math.min(Math.max(idx, 0), s.values.length - 1)]!;
            }),
        }));
    },
  };
}

const QUERIES = [
  'req_total',
  'req_total{code!="200",service=~"ca.*"}',
  'rate(req_total[5m])',
  'increase(req_total{service="catalog"}[2m])',
  'irate(req_total[1m])',
  'delta(mem_bytes[10m])',
  'sum by (service) (rate(req_total[5m]))',
  'sum without (pod, code) (rate(req_total[5m]))',
  'sum by (service) (rate(req_total{code=~"5.."}[5m])) / sum by (service) (rate(req_total[5m]))',
  'histogram_quantile(0.9, sum by (service, le) (rate(lat_bucket[5m])))',
  'histogram_quantile(0.5, rate(lat_bucket[3m]))',
  'avg(mem_bytes)',
  'max by (service) (max_over_time(mem_bytes[10m]))',
  'min(avg_over_time(mem_bytes[4m]))',
  'count(req_total) by (code)',
  'mem_bytes / on(service) limit_bytes',
  'mem_bytes > bool 1.5e6',
  'mem_bytes > 2e6',
  '2 * mem_bytes - 1e6',
  'sum by (service, pod) (rate(req_total[5m])) / on(service) group_left sum by (service) (rate(req_total[5m]))',
  'mem_bytes and on(service) (mem_bytes > 2.5e6)',
  'mem_bytes unless on(service) (mem_bytes > 2.5e6)',
  'mem_bytes offset 10m',
  'rate(req_total[5m] offset 5m)',
  '-sum(rate(req_total[5m]))',
  'scalar(sum(mem_bytes)) + 1',
];

describe('PromQL evaluator conformance with a real Prometheus', () => {
  let prometheus: PrometheusServer;
  let real: PrometheusMetricsSource;
  const data = series();

  beforeAll(async () => {
    prometheus = await startPrometheus({ openMetrics: openMetricsFromSeries(data) });
    real = new PrometheusMetricsSource({ url: prometheus.url });
  });
  afterAll(() => prometheus?.stop());

  it.each(QUERIES)('%s', async (query) => {
    const start = times[0]! + 60 * DT + 7; // every window and offset stays inside the data
    const end = times.at(-1)! - 7;
    const step = 60;
    const expected = await real.rangeQuery({ query, start, end, stepSeconds: step });
    const steps = Math.floor((end - start) / step) + 1;
    const evalTimes = Float64Array.from({ length: steps }, (_, i) => start + i * step);
    const result = await evaluatePromql(parsePromql(query), evalTimes, gridProvider(data));
    const actual: RangeSeries[] =
      result.kind === 'scalar'
        ? [{ labels: {}, timestamps: Array.from(evalTimes), values: Array.from(result.values) }]
        : result.series
            .map((s) => {
              const idx = Array.from(evalTimes.keys()).filter((i) => s.present[i]);
              return {
                labels: s.labels,
                timestamps: idx.map((i) => evalTimes[i]!),
                values: idx.map((i) => s.values[i]!),
              };
            })
            .filter((s) => s.timestamps.length > 0);
    const byKey = (list: RangeSeries[]) => new Map(list.map((s) => [labelKey(s.labels), s]));
    const want = byKey(expected);
    const got = byKey(actual);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    expect(want.size).toBeGreaterThan(0);
    for (const [key, w] of want) {
      const g = got.get(key)!;
      expect(g.timestamps, key).toEqual(w.timestamps);
      g.values.forEach((v, i) => {
        const ref = w.values[i]!;
        if (Number.isNaN(ref)) expect(v).toBeNaN();
        else
          expect(Math.abs(v - ref), `${key} at ${w.timestamps[i]}: ${v} vs ${ref}`).toBeLessThanOrEqual(
            1e-9 * Math.max(1, Math.abs(ref)),
          );
      });
    }
  });
});
