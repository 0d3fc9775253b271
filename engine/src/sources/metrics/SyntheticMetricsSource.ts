import { EngineError } from '../../errors.js';
import { compileLabelRegex, type LabelRegex } from '../../util/labelRegex.js';
import type { HealthCheck } from '../../health/HealthCheck.js';
import { SampleSnapshot, type ShopMetricsGenerator } from '../../sim/metrics/ShopMetricsGenerator.js';
import type {
  InstantQueryOptions,
  InstantSample,
  Labels,
  MetricsSource,
  RangeQuery,
  RangeSeries,
  UnixSeconds,
} from './MetricsSource.js';
import type { LabelMatcher } from './promql/ast.js';
import {
  Pacer,
  SLICE_MS,
  evaluatePromql,
  labelKey,
  type EvalResult,
  type GridSeries,
  type GridSeriesProvider,
} from './promql/evaluatePromql.js';
import { checkQueryCost } from './promql/checkQueryCost.js';
import { parsePromql } from './promql/parsePromql.js';
import { validateInstantQuery, validateRangeQuery } from './validateRangeQuery.js';

/**
 * The demo shop's metrics behind the MetricsSource interface: PromQL is parsed with Prometheus' own grammar and a
 * documented subset is evaluated over the synthetic generator, sampled on a virtual 15 s scrape grid. Supported:
 * selectors (= != =~ !~), ranges, offset; rate, irate, increase, delta, idelta, {avg,max,min,sum,count,last}_over_time;
 * sum/avg/max/min/count by|without; histogram_quantile; abs, ceil, floor, round, exp, ln, log2, log10, sqrt,
 * clamp_min, clamp_max, scalar, vector, time; arithmetic, comparison (with bool) and and/or/unless between scalars
 * and vectors with on/ignoring and group_left/group_right. Anything else is a PROMQL_ERROR saying it is unsupported.
 */
export class SyntheticMetricsSource implements MetricsSource {
  readonly kind = 'synthetic' as const;

  constructor(
    readonly generator: ShopMetricsGenerator,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  async instantQuery(
    query: string,
    time?: UnixSeconds,
    options: InstantQueryOptions = {},
  ): Promise<InstantSample[]> {
    validateInstantQuery(query, time);
    const at = time ?? this.now();
    const result = await this.evaluate(query, Float64Array.of(at), options.signal);
    if (result.kind === 'scalar') return [{ labels: {}, timestamp: at, value: result.values[0]! }];
    return sortByLabels(
      mergeByLabels(result)
        .filter((s) => s.present[0])
        .map((s) => ({ labels: s.labels, timestamp: at, value: s.values[0]! })),
    );
  }

  async rangeQuery(range: RangeQuery): Promise<RangeSeries[]> {
    const q = validateRangeQuery(range);
    const steps = Math.floor((q.end - q.start) / q.stepSeconds + 1e-9) + 1;
    const times = Float64Array.from({ length: steps }, (_, i) => q.start + i * q.stepSeconds);
    const result = await this.evaluate(q.query, times, range.signal);
    if (result.kind === 'scalar')
      return [{ labels: {}, timestamps: Array.from(times), values: Array.from(result.values) }];
    const out: RangeSeries[] = [];
    for (const s of mergeByLabels(result)) {
      const timestamps: number[] = [];
      const values: number[] = [];
      for (let i = 0; i < steps; i++) {
        if (!s.present[i]) continue;
        timestamps.push(times[i]!);
        values.push(s.values[i]!);
      }
      if (timestamps.length > 0) out.push({ labels: s.labels, timestamps, values });
    }
    return sortByLabels(out);
  }

  async series(matchers: string[], _start?: UnixSeconds, _end?: UnixSeconds): Promise<Labels[]> {
    if (matchers.length === 0) {
      throw new EngineError('INVALID_INPUT', 'series needs at least one selector', {
        issues: [{ field: 'matchers', message: 'must not be empty' }],
      });
    }
    const found = new Map<string, Labels>();
    for (const m of matchers) {
      for (const labels of this.matching(m)) found.set(labelKey(labels), labels);
    }
    return sortByLabels([...found.values()].map((labels) => ({ labels }))).map((s) => s.labels);
  }

  async labelNames(matchers: string[] = []): Promise<string[]> {
    const names = new Set<string>();
    for (const labels of this.selected(matchers)) for (const name of Object.keys(labels)) names.add(name);
    return [...names].sort();
  }

  async labelValues(label: string, matchers: string[] = []): Promise<string[]> {
    const values = new Set<string>();
    for (const labels of this.selected(matchers)) if (labels[label] !== undefined) values.add(labels[label]!);
    return [...values].sort();
  }

  async check(): Promise<HealthCheck> {
    const started = performance.now();
    const samples = await this.instantQuery('count(http_requests_total)');
    return {
      name: 'metrics',
      ok: samples.length === 1 && samples[0]!.value > 0,
      detail: `synthetic demo metrics: ${this.generator.services.length} services, ${this.generator.series().length} series in namespace ${this.generator.namespace}`,
      latencyMs: performance.now() - started,
    };
  }

  /**
   * Limits first (queryLimits.ts), then evaluation in slices that yield to the event loop, one chunk of steps at a
   * time. Steps are independent in PromQL, so chunks give the same answer; what they change is the cost: the
   * generator keeps one grid of each load shape (up to 40 days), so a 92-day range read whole recomputed that grid for
   * every series (50 s, single slices of 1.3 s); read a day at a time every series of a chunk shares it (see
   * STEP_CHUNK_SECONDS).
   */
  private async evaluate(query: string, times: Float64Array, signal?: AbortSignal): Promise<EvalResult> {
    // Queries often arrive together (an RCA asks for six signals at once): each takes its turn before parsing.
    const pacer = new Pacer(SLICE_MS, signal);
    await pacer.pace();
    const expr = parsePromql(query);
    const provider = this.provider();
    checkQueryCost(expr, times, provider);
    await pacer.pace();
    const options = signal ? { signal } : {};
    const chunks = chunkSteps(times, STEP_CHUNK_SECONDS);
    if (chunks.length === 1) return evaluatePromql(expr, times, provider, options);
    const parts: Array<{ offset: number; result: EvalResult }> = [];
    for (const { offset, steps } of chunks)
      parts.push({ offset, result: await evaluatePromql(expr, steps, provider, options) });
    return joinChunks(parts, times.length);
  }

  /** A provider with one snapshot of the fault timeline per query, so every series of an answer sees the same faults. */
  private provider(): GridSeriesProvider {
    const generator = this.generator;
    const snapshot = new SampleSnapshot();
    return {
      intervalSeconds: generator.scrapeIntervalSeconds,
      select(matchers: LabelMatcher[]): GridSeries[] {
        const test = compileMatchers(matchers);
        return generator
          .series()
          .filter((def) => test(def.labels))
          .map((def) => ({
            labels: def.labels,
            samples: (kFrom, kTo) => generator.sampleGrid(def, kFrom, kTo, snapshot),
          }));
      },
    };
  }

  private matching(selector: string): Labels[] {
    const expr = parsePromql(selector);
    if (expr.kind !== 'selector') {
      throw new EngineError('INVALID_INPUT', `"${selector}" is not a series selector`, {
        issues: [{ field: 'matchers', message: 'must be series selectors such as up{job="api"}' }],
      });
    }
    const test = compileMatchers(expr.matchers);
    return this.generator
      .series()
      .filter((d) => test(d.labels))
      .map((d) => d.labels);
  }

  private selected(matchers: string[]): Labels[] {
    if (matchers.length === 0) return this.generator.series().map((d) => d.labels);
    return matchers.flatMap((m) => this.matching(m));
  }
}

/**
 * Steps per chunk: a day of evaluation time. Measured on the demo shop (63 request series, 92 days at 723 s): whole,
 * 50 s; in 1-day chunks, see the overload benchmark. Smaller chunks add per-chunk overhead (each re-reads its range
 * window), larger ones lengthen the generator's uninterruptible grid computation.
 */
const STEP_CHUNK_SECONDS = 86_400;

function chunkSteps(
  times: Float64Array,
  spanSeconds: number,
): Array<{ offset: number; steps: Float64Array }> {
  const chunks: Array<{ offset: number; steps: Float64Array }> = [];
  let start = 0;
  while (start < times.length) {
    let end = start + 1;
    while (end < times.length && times[end]! - times[start]! < spanSeconds) end++;
    chunks.push({ offset: start, steps: times.subarray(start, end) });
    start = end;
  }
  return chunks;
}

/** Chunk results back into one result over all steps; a series absent from a chunk is absent at its steps. */
function joinChunks(parts: Array<{ offset: number; result: EvalResult }>, n: number): EvalResult {
  if (parts[0]!.result.kind === 'scalar') {
    const values = new Float64Array(n);
    for (const { offset, result } of parts)
      values.set((result as Extract<EvalResult, { kind: 'scalar' }>).values, offset);
    return { kind: 'scalar', values };
  }
  const joined = new Map<string, { labels: Labels; values: Float64Array; present: Uint8Array }>();
  for (const { offset, result } of parts) {
    if (result.kind !== 'vector') continue;
    for (const s of result.series) {
      const key = labelKey(s.labels);
      let whole = joined.get(key);
      if (!whole)
        joined.set(
          key,
          (whole = { labels: s.labels, values: new Float64Array(n), present: new Uint8Array(n) }),
        );
      for (let i = 0; i < s.present.length; i++) {
        if (!s.present[i] || whole.present[offset + i]) continue;
        whole.values[offset + i] = s.values[i]!;
        whole.present[offset + i] = 1;
      }
    }
  }
  return { kind: 'vector', series: [...joined.values()] };
}

function compileMatchers(matchers: LabelMatcher[]): (labels: Labels) => boolean {
  const tests = matchers.map((m) => {
    if (m.type === '=') return (v: string) => v === m.value;
    if (m.type === '!=') return (v: string) => v !== m.value;
    let re: LabelRegex;
    try {
      // RE2, as Prometheus matches: a viewer's `pod=~"(.*.*)*x"` held the event loop for minutes in JS's RegExp.
      re = compileLabelRegex(m.value);
    } catch (error) {
      throw new EngineError(
        'PROMQL_ERROR',
        `invalid regular expression "${m.value}" for label ${m.name}: ${(error as Error).message}`,
      );
    }
    return m.type === '=~' ? (v: string) => re.test(v) : (v: string) => !re.test(v);
  });
  // An absent label matches as the empty string, as in Prometheus.
  return (labels) => tests.every((test, i) => test(labels[matchers[i]!.name] ?? ''));
}

/** Series with equal label sets at disjoint steps (e.g. from `or`) are one series, as Prometheus returns them. */
function mergeByLabels(result: Extract<EvalResult, { kind: 'vector' }>) {
  const merged = new Map<string, (typeof result.series)[number]>();
  for (const s of result.series) {
    const key = labelKey(s.labels);
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, {
        labels: s.labels,
        values: Float64Array.from(s.values),
        present: Uint8Array.from(s.present),
      });
      continue;
    }
    for (let i = 0; i < s.present.length; i++) {
      if (s.present[i] && !existing.present[i]) {
        existing.present[i] = 1;
        existing.values[i] = s.values[i]!;
      }
    }
  }
  return [...merged.values()];
}

function sortByLabels<T extends { labels: Labels }>(items: T[]): T[] {
  return items.sort((a, b) =>
    labelKey(a.labels) < labelKey(b.labels) ? -1 : labelKey(a.labels) > labelKey(b.labels) ? 1 : 0,
  );
}
