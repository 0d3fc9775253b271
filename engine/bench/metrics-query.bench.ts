import { DEFAULT_SIGNALS } from '../src/config/schema.js';
import { FaultLedger } from '../src/sim/faults.js';
import { SampleSnapshot, ShopMetricsGenerator } from '../src/sim/metrics/ShopMetricsGenerator.js';
import { SHOP_NAMESPACE } from '../src/sim/shop.js';
import type { RangeSeries } from '../src/sources/metrics/MetricsSource.js';
import { PrometheusMetricsSource } from '../src/sources/metrics/PrometheusMetricsSource.js';
import { SyntheticMetricsSource } from '../src/sources/metrics/SyntheticMetricsSource.js';
import { openMetricsFromSeries, startPrometheus } from '../test/support/index.js';
import { printTable, type BenchMain } from './lib.js';

/**
 * Latency of the default-signal range queries over the whole demo shop (2 h at 15 s by default), answered by the
 * in-process SyntheticMetricsSource, beside a real Prometheus (Debian's) answering the same queries over the same
 * samples, backfilled from the generator with promtool. The run also reports the largest relative difference
 * between the two answers: the evaluator must agree with Prometheus, not only be fast. Steps sit 7 s off the 15 s
 * scrape grid so Prometheus 2's closed windows and the evaluator's left-open ones hold the same samples.
 * Times are medians of --repeat runs; "cold" is the first query of a fresh generator (integral memo empty).
 */
export const main: BenchMain = async (ctx) => {
  const hours = ctx.numberOption('hours', 2);
  const step = ctx.numberOption('step', 15);
  const repeat = ctx.numberOption('repeat', 5);
  // Long ranges (e.g. --hours 720 --step 300, what forecasting loads) are too big to backfill: --baseline false.
  const withBaseline = ctx.option('baseline', 'true') !== 'false';
  const end = 1_764_000_000 + 7;
  const start = end - hours * 3600;

  const ledger = new FaultLedger();
  ledger.inject({ type: 'latency', namespace: SHOP_NAMESPACE, service: 'catalog', startedAt: end - 1800 });
  ledger.inject({ type: 'crash-loop', namespace: SHOP_NAMESPACE, service: 'payment', startedAt: end - 2400 });
  const makeSource = () => new SyntheticMetricsSource(new ShopMetricsGenerator({ seed: 42, ledger }));

  // The same samples for Prometheus: every series at every 15 s scrape from 15 minutes before start to end.
  const generator = new ShopMetricsGenerator({ seed: 42, ledger });
  const dt = generator.scrapeIntervalSeconds;
  const kFrom = Math.floor((start - 900) / dt);
  const kTo = Math.floor(end / dt);
  const timestamps = Array.from({ length: kTo - kFrom + 1 }, (_, i) => (kFrom + i) * dt);
  const snapshot = new SampleSnapshot();
  const exported = () =>
    generator.series().map((def) => {
      const { __name__: name, ...labels } = def.labels;
      return {
        name: name!,
        labels,
        type: def.type,
        timestamps,
        values: Array.from(generator.sampleGrid(def, kFrom, kTo, snapshot)),
      };
    });
  const prometheus = withBaseline
    ? await startPrometheus({ openMetrics: openMetricsFromSeries(exported()) })
    : undefined;
  try {
    const real = prometheus ? new PrometheusMetricsSource({ url: prometheus.url }) : undefined;
    const rows: Array<Array<string | number>> = [];
    const results: Record<string, number> = {};
    let worstDiff = 0;
    for (const signal of DEFAULT_SIGNALS) {
      const query = signal.query.replaceAll('$namespace', SHOP_NAMESPACE).replaceAll('$window', '5m');
      const range = { query, start, end, stepSeconds: step };
      const coldSource = makeSource();
      const coldStarted = performance.now();
      await coldSource.rangeQuery(range);
      const cold = performance.now() - coldStarted;
      const warmSource = makeSource();
      await warmSource.rangeQuery(range);
      const synthetic = await timed(repeat, () => warmSource.rangeQuery(range));
      const baseline = real ? await timed(repeat, () => real.rangeQuery(range)) : { ms: NaN, result: [] };
      const diff = real ? maxRelativeDifference(synthetic.result, baseline.result) : NaN;
      if (real) worstDiff = Math.max(worstDiff, diff);
      const points = synthetic.result.reduce((n, s) => n + s.values.length, 0);
      rows.push([
        signal.name,
        synthetic.result.length,
        points,
        cold,
        synthetic.ms,
        baseline.ms,
        diff.toExponential(1),
      ]);
      results[`${signal.name}_synthetic_cold_ms`] = cold;
      results[`${signal.name}_synthetic_ms`] = synthetic.ms;
      if (real) {
        results[`${signal.name}_prometheus_ms`] = baseline.ms;
        results[`${signal.name}_max_rel_diff`] = diff;
      }
    }
    printTable(
      `Default-signal range queries, ${generator.services.length} services, ${hours} h at ${step} s (median of ${repeat})`,
      [
        'signal',
        'series',
        'points',
        'synthetic cold ms',
        'synthetic ms',
        'Prometheus ms (baseline)',
        'max rel diff',
      ],
      rows,
    );
    const exposition = await timed(repeat, async () => generator.renderExposition(end + 0.5));
    printTable('Exposition', ['series', 'render ms'], [[generator.series().length, exposition.ms]]);
    results.exposition_ms = exposition.ms;
    results.total_synthetic_ms = DEFAULT_SIGNALS.reduce((s, d) => s + results[`${d.name}_synthetic_ms`]!, 0);
    if (real) {
      results.max_rel_diff = worstDiff;
      results.total_prometheus_ms = DEFAULT_SIGNALS.reduce(
        (s, d) => s + results[`${d.name}_prometheus_ms`]!,
        0,
      );
    }
    return results;
  } finally {
    await prometheus?.stop();
  }
};

async function timed<T>(repeat: number, run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, result: result! };
}

function maxRelativeDifference(a: RangeSeries[], b: RangeSeries[]): number {
  const key = (s: RangeSeries) => JSON.stringify(Object.entries(s.labels).sort());
  const other = new Map(b.map((s) => [key(s), s]));
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (const s of a) {
    const o = other.get(key(s));
    if (!o || o.values.length !== s.values.length) return Infinity;
    s.values.forEach((v, i) => {
      const ref = o.values[i]!;
      if (Number.isNaN(v) && Number.isNaN(ref)) return;
      worst = Math.max(worst, Math.abs(v - ref) / Math.max(Math.abs(ref), 1e-12));
    });
  }
  return worst;
}
