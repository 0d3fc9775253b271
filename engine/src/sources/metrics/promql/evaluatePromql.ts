import { EngineError } from '../../../errors.js';
import type { Labels } from '../MetricsSource.js';
import {
  COMPARISON_OPS,
  SET_OPS,
  type BinaryOp,
  type Expr,
  type LabelMatcher,
  type VectorMatching,
} from './ast.js';

/**
 * What the evaluator reads: series sampled on a fixed scrape grid (sample k is at time k·intervalSeconds). It does
 * not know where the samples come from.
 */
export interface GridSeriesProvider {
  readonly intervalSeconds: number;
  select(matchers: LabelMatcher[]): GridSeries[];
}

export interface GridSeries {
  labels: Labels;
  /** Samples at grid points kFrom..kTo inclusive. */
  samples(kFrom: number, kTo: number): Float64Array;
}

/** One output series over the evaluation steps; `present[i]` is 0 where the series has no value at step i. */
export interface StepSeries {
  labels: Labels;
  values: Float64Array;
  present: Uint8Array;
}

export type EvalResult = { kind: 'scalar'; values: Float64Array } | { kind: 'vector'; series: StepSeries[] };

export interface EvaluateOptions {
  /** Aborts between slices (client gone, server shutting down): the evaluation rejects with TIMEOUT. */
  signal?: AbortSignal;
  /** Longest stretch of synchronous work before yielding to the event loop. */
  sliceMs?: number;
}

/**
 * Evaluates at every step in `times` (one element for an instant query). Work runs in slices of at most `sliceMs`
 * (default 10 ms) with a macrotask yield between them, so `/healthz` and other requests are served while a heavy
 * query runs: 10 ms keeps the p99 of a concurrent probe well under 50 ms, and the yields cost < 1% of the run time
 * (a slice is one series of one selector, ~0.1–17 ms at the limits in queryLimits.ts).
 */
export async function evaluatePromql(
  expr: Expr,
  times: Float64Array,
  provider: GridSeriesProvider,
  options: EvaluateOptions = {},
): Promise<EvalResult> {
  const result = await new Evaluator(
    times,
    provider,
    new Pacer(options.sliceMs ?? SLICE_MS, options.signal),
  ).eval(expr);
  if (result.kind === 'vector') assertUniqueLabelSets(result.series);
  return result;
}

/**
 * Default turn budget in ms (see evaluatePromql). In the overload benchmark 5 ms gave the same /healthz p50/p99 as
 * 10 ms within the run-to-run noise of this shared machine (29/249 vs 33/218 ms): the remaining latency is elsewhere.
 */
export const SLICE_MS = 10;

/**
 * Yields to the event loop once the current turn has run `sliceMs`, checking the abort signal at every yield. The
 * turn is shared by every evaluation in the process: twelve concurrent queries (two RCAs collecting six signals each)
 * with a slice each per turn held `/healthz` ~120 ms at a time; sharing the budget keeps a turn near `sliceMs`.
 */
export class Pacer {
  constructor(
    private readonly sliceMs: number,
    private readonly signal?: AbortSignal,
  ) {}

  async pace(): Promise<void> {
    if (performance.now() - turn.start < this.sliceMs) return;
    // One macrotask for every evaluation waiting: they resume together and the first to use up the budget yields again.
    turn.gate ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        turn.gate = undefined;
        turn.start = performance.now();
        resolve();
      }),
    );
    await turn.gate;
    if (this.signal?.aborted) throw new EngineError('TIMEOUT', 'query cancelled');
  }
}

const turn: { start: number; gate: Promise<void> | undefined } = {
  start: performance.now(),
  gate: undefined,
};

/**
 * How long a selector looks back for the latest sample (Prometheus' default lookback delta). Range windows are
 * left-open, (t − range, t], as in Prometheus 3.
 */
export const LOOKBACK_SECONDS = 300;

/** Grid points read at once: adaptive between 2 hours and 8 days of 15 s scrapes, see Evaluator.read. */
const MIN_PIECE = 480;
const MAX_PIECE = 46_080;
const PIECE_TARGET_MS = 5;

const RANGE_FUNCTIONS = new Set([
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'avg_over_time',
  'max_over_time',
  'min_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
]);
const MATH_FUNCTIONS: Record<string, (x: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
};
const AGGREGATIONS = new Set(['sum', 'avg', 'max', 'min', 'count']);

type Value = EvalResult;

class Evaluator {
  private readonly n: number;
  private piece = 1_920;

  constructor(
    private readonly times: Float64Array,
    private readonly provider: GridSeriesProvider,
    private readonly pacer: Pacer,
  ) {
    this.n = times.length;
  }

  async eval(expr: Expr): Promise<Value> {
    switch (expr.kind) {
      case 'number':
        return { kind: 'scalar', values: new Float64Array(this.n).fill(expr.value) };
      case 'string':
        return unsupported('string literals outside function arguments');
      case 'selector':
        return this.selector(expr.matchers, expr.offset);
      case 'matrix':
        throw new EngineError(
          'PROMQL_ERROR',
          'a range vector can only be passed to a function such as rate(); a query must return an instant vector or a scalar',
        );
      case 'unary': {
        const v = await this.eval(expr.expr);
        if (expr.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', values: v.values.map((x) => -x) };
        return {
          kind: 'vector',
          series: v.series.map((s) => ({
            labels: dropName(s.labels),
            values: s.values.map((x) => -x),
            present: s.present,
          })),
        };
      }
      case 'call':
        return this.call(expr.func, expr.args);
      case 'aggregate':
        return this.aggregate(expr);
      case 'binary':
        return this.binary(expr.op, expr.lhs, expr.rhs, expr.returnBool, expr.matching);
    }
  }

  private async selector(matchers: LabelMatcher[], offset: number): Promise<Value> {
    const dt = this.provider.intervalSeconds;
    const series: StepSeries[] = [];
    if (this.n === 0) return { kind: 'vector', series };
    const gridIndex = Array.from(this.times, (t) => Math.floor((t - offset) / dt + 1e-9));
    const kFrom = Math.min(...gridIndex);
    const kTo = Math.max(...gridIndex);
    // Steps far apart on the grid (a month at 5 min) read only their own samples, not every scrape in between.
    const sparse = kTo - kFrom + 1 > 4 * this.n;
    for (const s of this.provider.select(matchers)) {
      await this.pacer.pace();
      const samples = sparse ? undefined : await this.read(s, kFrom, kTo);
      const values = new Float64Array(this.n);
      const present = new Uint8Array(this.n);
      for (let i = 0; i < this.n; i++) {
        const k = gridIndex[i]!;
        // The latest sample at or before t, if it is within the lookback window.
        if (this.times[i]! - offset - k * dt < LOOKBACK_SECONDS) {
          const v = samples ? samples[k - kFrom]! : s.samples(k, k)[0]!;
          // NaN is no sample (a demo pod not running then), as a staleness marker is in Prometheus.
          if (Number.isNaN(v)) continue;
          values[i] = v;
          present[i] = 1;
        }
      }
      series.push({ labels: s.labels, values, present });
    }
    return { kind: 'vector', series };
  }

  /**
   * A series' samples over a long range, read in pieces with a yield between them: one read of a 31-day window held
   * the event loop ~0.4 s on the demo source. A piece's size adapts to what the last one cost (cold grid points of a
   * counter cost 5–10 µs, gauges ~25 µs, memoised points ~0.1 µs), aiming at ~5 ms a piece. The demo generator
   * extends its memoised grid piece by piece, so the next series reads the same range from memory.
   */
  private async read(s: GridSeries, kFrom: number, kTo: number): Promise<Float64Array> {
    const n = kTo - kFrom + 1;
    if (n <= this.piece) return s.samples(kFrom, kTo);
    const out = new Float64Array(n);
    for (let k = kFrom; k <= kTo;) {
      await this.pacer.pace();
      const end = Math.min(kTo, k + this.piece - 1);
      const started = performance.now();
      out.set(s.samples(k, end), k - kFrom);
      const ms = performance.now() - started;
      k = end + 1;
      if (ms > PIECE_TARGET_MS) this.piece = Math.max(MIN_PIECE, this.piece >> 1);
      else if (ms < PIECE_TARGET_MS / 4) this.piece = Math.min(MAX_PIECE, this.piece * 2);
    }
    return out;
  }

  private async call(func: string, args: Expr[]): Promise<Value> {
    if (RANGE_FUNCTIONS.has(func)) {
      const arg = args[0];
      if (args.length !== 1 || arg?.kind !== 'matrix') {
        throw new EngineError(
          'PROMQL_ERROR',
          `${func}() expects one range vector argument, e.g. ${func}(x[5m])`,
        );
      }
      return await this.rangeFunction(func, arg.selector.matchers, arg.selector.offset, arg.range);
    }
    if (func === 'histogram_quantile') {
      if (args.length !== 2)
        throw new EngineError('PROMQL_ERROR', 'histogram_quantile() expects (φ, buckets)');
      const q = await this.scalarArg(args[0]!, 'histogram_quantile');
      const v = await this.vectorArg(args[1]!, 'histogram_quantile');
      return histogramQuantile(q, v, this.n, this.pacer);
    }
    const math = MATH_FUNCTIONS[func];
    if (math) {
      const v = await this.vectorArg(expectArgs(func, args, 1)[0]!, func);
      return {
        kind: 'vector',
        series: v.map((s) => ({
          labels: dropName(s.labels),
          values: s.values.map(math),
          present: s.present,
        })),
      };
    }
    switch (func) {
      case 'round': {
        const [arg, to] = args;
        if (!arg || args.length > 2)
          throw new EngineError('PROMQL_ERROR', 'round() expects (v, [to_nearest])');
        const nearest = to ? await this.scalarArg(to, 'round') : new Float64Array(this.n).fill(1);
        const v = await this.vectorArg(arg, func);
        return {
          kind: 'vector',
          series: v.map((s) => ({
            labels: dropName(s.labels),
            values: s.values.map((x, i) => Math.floor(x / nearest[i]! + 0.5) * nearest[i]!),
            present: s.present,
          })),
        };
      }
      case 'clamp_min':
      case 'clamp_max': {
        const [arg, bound] = expectArgs(func, args, 2);
        const limit = await this.scalarArg(bound!, func);
        const v = await this.vectorArg(arg!, func);
        const f = func === 'clamp_min' ? Math.max : Math.min;
        return {
          kind: 'vector',
          series: v.map((s) => ({
            labels: dropName(s.labels),
            values: s.values.map((x, i) => f(x, limit[i]!)),
            present: s.present,
          })),
        };
      }
      case 'scalar': {
        const v = await this.vectorArg(expectArgs(func, args, 1)[0]!, func);
        const values = new Float64Array(this.n).fill(NaN);
        for (let i = 0; i < this.n; i++) {
          const at = v.filter((s) => s.present[i]);
          if (at.length === 1) values[i] = at[0]!.values[i]!;
        }
        return { kind: 'scalar', values };
      }
      case 'vector': {
        const s = await this.scalarArg(expectArgs(func, args, 1)[0]!, func);
        return {
          kind: 'vector',
          series: [{ labels: {}, values: s, present: new Uint8Array(this.n).fill(1) }],
        };
      }
      case 'time':
        expectArgs(func, args, 0);
        return { kind: 'scalar', values: Float64Array.from(this.times) };
      default:
        return unsupported(`the function ${func}()`);
    }
  }

  private async rangeFunction(
    func: string,
    matchers: LabelMatcher[],
    offset: number,
    range: number,
  ): Promise<Value> {
    const dt = this.provider.intervalSeconds;
    const out: StepSeries[] = [];
    if (this.n === 0) return { kind: 'vector', series: out };
    const ends = Array.from(this.times, (t) => t - offset);
    const hi = ends.map((e) => Math.floor(e / dt + 1e-9));
    // Left-open window (t − range, t]: the first grid point strictly after t − range.
    const lo = ends.map((e) => Math.floor((e - range) / dt + 1e-9) + 1);
    const kFrom = Math.min(...lo);
    const kTo = Math.max(...hi);
    for (const s of this.provider.select(matchers)) {
      await this.pacer.pace();
      const samples = await this.read(s, kFrom, kTo);
      const values = new Float64Array(this.n);
      const present = new Uint8Array(this.n);
      for (let i = 0; i < this.n; i++) {
        let first = lo[i]!;
        let last = hi[i]!;
        // A series that starts or stops inside the window (NaN = no sample) is read over the part it has.
        while (first <= last && Number.isNaN(samples[first - kFrom]!)) first++;
        while (last >= first && Number.isNaN(samples[last - kFrom]!)) last--;
        const count = last - first + 1;
        const v = windowFunction(
          func,
          samples,
          first - kFrom,
          count,
          first * dt,
          dt,
          ends[i]! - range,
          ends[i]!,
          range,
        );
        if (v !== undefined) {
          values[i] = v;
          present[i] = 1;
        }
      }
      out.push({ labels: dropName(s.labels), values, present });
    }
    return { kind: 'vector', series: out };
  }

  private async aggregate(expr: Extract<Expr, { kind: 'aggregate' }>): Promise<Value> {
    if (!AGGREGATIONS.has(expr.op)) return unsupported(`the aggregation ${expr.op}`);
    if (expr.param) return unsupported(`a parameter to ${expr.op}`);
    const input = await this.vectorArg(expr.expr, expr.op);
    const groups = new Map<string, { labels: Labels; members: StepSeries[] }>();
    for (const s of input) {
      const labels = groupLabels(s.labels, expr.grouping);
      const key = labelKey(labels);
      const group = groups.get(key) ?? { labels, members: [] };
      group.members.push(s);
      groups.set(key, group);
    }
    const out: StepSeries[] = [];
    for (const { labels, members } of groups.values()) {
      await this.pacer.pace();
      const values = new Float64Array(this.n);
      const present = new Uint8Array(this.n);
      for (let i = 0; i < this.n; i++) {
        let count = 0;
        let acc = 0;
        for (const m of members) {
          if (!m.present[i]) continue;
          const x = m.values[i]!;
          if (count === 0) acc = expr.op === 'count' ? 1 : x;
          else if (expr.op === 'sum' || expr.op === 'avg') acc += x;
          else if (expr.op === 'max') acc = Number.isNaN(acc) || x > acc ? x : acc;
          else if (expr.op === 'min') acc = Number.isNaN(acc) || x < acc ? x : acc;
          else if (expr.op === 'count') acc += 1;
          count++;
        }
        if (count === 0) continue;
        values[i] = expr.op === 'avg' ? acc / count : acc;
        present[i] = 1;
      }
      out.push({ labels, values, present });
    }
    return { kind: 'vector', series: out };
  }

  private async binary(
    op: BinaryOp,
    lhsExpr: Expr,
    rhsExpr: Expr,
    returnBool: boolean,
    matching: VectorMatching | undefined,
  ): Promise<Value> {
    const lhs = await this.eval(lhsExpr);
    const rhs = await this.eval(rhsExpr);
    const comparison = COMPARISON_OPS.has(op);
    if (SET_OPS.has(op)) {
      if (lhs.kind !== 'vector' || rhs.kind !== 'vector')
        throw new EngineError('PROMQL_ERROR', `set operator "${op}" needs vectors on both sides`);
      return { kind: 'vector', series: setOperation(op, lhs.series, rhs.series, matching, this.n) };
    }
    if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
      if (comparison && !returnBool)
        throw new EngineError('PROMQL_ERROR', 'comparisons between scalars must use the bool modifier');
      return {
        kind: 'scalar',
        values: lhs.values.map((a, i) => arithmetic(op, a, rhs.values[i]!, returnBool)),
      };
    }
    if (lhs.kind === 'vector' && rhs.kind === 'scalar') {
      return {
        kind: 'vector',
        series: lhs.series.map((s) => scalarOp(op, s, rhs.values, false, returnBool)),
      };
    }
    if (lhs.kind === 'scalar' && rhs.kind === 'vector') {
      return { kind: 'vector', series: rhs.series.map((s) => scalarOp(op, s, lhs.values, true, returnBool)) };
    }
    return {
      kind: 'vector',
      series: vectorOp(
        op,
        (lhs as { series: StepSeries[] }).series,
        (rhs as { series: StepSeries[] }).series,
        matching,
        returnBool,
        this.n,
      ),
    };
  }

  private async vectorArg(expr: Expr, func: string): Promise<StepSeries[]> {
    const v = await this.eval(expr);
    if (v.kind !== 'vector')
      throw new EngineError('PROMQL_ERROR', `${func}() expects an instant vector, got a scalar`);
    return v.series;
  }

  private async scalarArg(expr: Expr, func: string): Promise<Float64Array> {
    const v = await this.eval(expr);
    if (v.kind !== 'scalar')
      throw new EngineError('PROMQL_ERROR', `${func}() expects a scalar, got an instant vector`);
    return v.values;
  }
}

function windowFunction(
  func: string,
  samples: Float64Array,
  offsetInSamples: number,
  count: number,
  firstTime: number,
  dt: number,
  rangeStart: number,
  rangeEnd: number,
  range: number,
): number | undefined {
  if (count <= 0) return undefined;
  // Indexing the samples directly, not through a closure made per call: that closure was the evaluator's top cost.
  const o = offsetInSamples;
  switch (func) {
    case 'rate':
    case 'increase':
    case 'delta':
      return count < 2
        ? undefined
        : extrapolatedRate(func, samples, o, count, firstTime, dt, rangeStart, rangeEnd, range);
    case 'irate':
    case 'idelta': {
      if (count < 2) return undefined;
      const last = samples[o + count - 1]!;
      const prev = samples[o + count - 2]!;
      const diff = func === 'irate' && last < prev ? last : last - prev;
      return func === 'irate' ? diff / dt : diff;
    }
    case 'avg_over_time':
    case 'sum_over_time': {
      let sum = 0;
      for (let j = 0; j < count; j++) sum += samples[o + j]!;
      return func === 'sum_over_time' ? sum : sum / count;
    }
    case 'max_over_time':
    case 'min_over_time': {
      let best = samples[o]!;
      for (let j = 1; j < count; j++) {
        const x = samples[o + j]!;
        if (Number.isNaN(best) || (func === 'max_over_time' ? x > best : x < best)) best = x;
      }
      return best;
    }
    case 'count_over_time':
      return count;
    case 'last_over_time':
      return samples[o + count - 1]!;
    default:
      return undefined;
  }
}

/** Prometheus' extrapolatedRate: counter resets, extrapolation to the window edges (at most half an interval beyond). */
function extrapolatedRate(
  func: string,
  samples: Float64Array,
  o: number,
  count: number,
  firstTime: number,
  dt: number,
  rangeStart: number,
  rangeEnd: number,
  range: number,
): number {
  const isCounter = func !== 'delta';
  const first = samples[o]!;
  const last = samples[o + count - 1]!;
  let result = last - first;
  if (isCounter) {
    let prev = first;
    for (let j = 1; j < count; j++) {
      const x = samples[o + j]!;
      if (x < prev) result += prev;
      prev = x;
    }
  }
  const lastTime = firstTime + (count - 1) * dt;
  const sampled = lastTime - firstTime;
  const average = sampled / (count - 1);
  let toStart = firstTime - rangeStart;
  const toEnd = rangeEnd - lastTime;
  if (isCounter && result > 0 && first >= 0) {
    const toZero = sampled * (first / result);
    if (toZero < toStart) toStart = toZero;
  }
  const threshold = average * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : average / 2;
  interval += toEnd < threshold ? toEnd : average / 2;
  result *= interval / sampled;
  return func === 'rate' ? result / range : result;
}

async function histogramQuantile(
  q: Float64Array,
  input: StepSeries[],
  n: number,
  pacer: Pacer,
): Promise<Value> {
  const groups = new Map<string, { labels: Labels; buckets: Array<{ le: number; s: StepSeries }> }>();
  for (const s of input) {
    const leText = s.labels.le;
    if (leText === undefined) continue;
    const le = leText === '+Inf' ? Infinity : Number(leText);
    if (Number.isNaN(le)) continue;
    const { le: _, ...rest } = s.labels;
    const labels = dropName(rest);
    const key = labelKey(labels);
    const group = groups.get(key) ?? { labels, buckets: [] };
    group.buckets.push({ le, s });
    groups.set(key, group);
  }
  const out: StepSeries[] = [];
  for (const { labels, buckets } of groups.values()) {
    buckets.sort((a, b) => a.le - b.le);
    const values = new Float64Array(n);
    const present = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (i % 256 === 0) await pacer.pace();
      const points = buckets.filter((b) => b.s.present[i]).map((b) => ({ le: b.le, count: b.s.values[i]! }));
      if (points.length === 0) continue;
      values[i] = bucketQuantile(q[i]!, points);
      present[i] = 1;
    }
    out.push({ labels, values, present });
  }
  return { kind: 'vector', series: out };
}

/** Prometheus' bucketQuantile: linear interpolation inside the bucket holding the rank. */
export function bucketQuantile(q: number, buckets: Array<{ le: number; count: number }>): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (buckets.length < 2 || buckets.at(-1)!.le !== Infinity) return NaN;
  // Make counts monotonic (rate() of separately scraped buckets can jitter): what Prometheus does too.
  const counts = buckets.map((b) => b.count);
  for (let i = 1; i < counts.length; i++) if (counts[i]! < counts[i - 1]!) counts[i] = counts[i - 1]!;
  const total = counts.at(-1)!;
  if (!(total > 0)) return NaN;
  const rank = q * total;
  let b = counts.findIndex((c) => c >= rank);
  if (b < 0) b = counts.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.le;
  if (b === 0 && buckets[0]!.le <= 0) return buckets[0]!.le;
  const start = b === 0 ? 0 : buckets[b - 1]!.le;
  const end = buckets[b]!.le;
  const below = b === 0 ? 0 : counts[b - 1]!;
  const inBucket = counts[b]! - below;
  return inBucket === 0 ? end : start + (end - start) * ((rank - below) / inBucket);
}

function arithmetic(op: BinaryOp, a: number, b: number, returnBool: boolean): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return a ** b;
    default: {
      const holds = compare(op, a, b);
      return returnBool ? (holds ? 1 : 0) : holds ? a : NaN;
    }
  }
}

function compare(op: BinaryOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}

function scalarOp(
  op: BinaryOp,
  s: StepSeries,
  scalar: Float64Array,
  scalarOnLeft: boolean,
  returnBool: boolean,
): StepSeries {
  const n = s.values.length;
  const values = new Float64Array(n);
  const present = new Uint8Array(n);
  const comparison = COMPARISON_OPS.has(op);
  for (let i = 0; i < n; i++) {
    if (!s.present[i]) continue;
    const [a, b] = scalarOnLeft ? [scalar[i]!, s.values[i]!] : [s.values[i]!, scalar[i]!];
    if (comparison && !returnBool) {
      if (!compare(op, a, b)) continue;
      values[i] = s.values[i]!; // a filter keeps the vector's own value
    } else {
      values[i] = arithmetic(op, a, b, returnBool);
    }
    present[i] = 1;
  }
  const keepName = comparison && !returnBool;
  return { labels: keepName ? s.labels : dropName(s.labels), values, present };
}

function vectorOp(
  op: BinaryOp,
  lhs: StepSeries[],
  rhs: StepSeries[],
  matching: VectorMatching | undefined,
  returnBool: boolean,
  n: number,
): StepSeries[] {
  const comparison = COMPARISON_OPS.has(op);
  const group = matching?.group;
  // The "one" side must have unique signatures; with group_left that is the right side, with group_right the left.
  const [many, one] = group === 'right' ? [rhs, lhs] : [lhs, rhs];
  const oneBySignature = new Map<string, StepSeries>();
  for (const s of one) {
    const sig = signature(s.labels, matching);
    if (oneBySignature.has(sig)) {
      throw new EngineError(
        'PROMQL_ERROR',
        `found duplicate series for the match group ${sig} on the ${group === 'right' ? 'left' : 'right'} hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    oneBySignature.set(sig, s);
  }
  if (!group) {
    const seen = new Set<string>();
    for (const s of many) {
      const sig = signature(s.labels, matching);
      if (seen.has(sig) && oneBySignature.has(sig)) {
        throw new EngineError(
          'PROMQL_ERROR',
          `multiple matches for labels ${sig}: many-to-one matching must be explicit (group_left/group_right)`,
        );
      }
      seen.add(sig);
    }
  }
  const out: StepSeries[] = [];
  for (const m of many) {
    const o = oneBySignature.get(signature(m.labels, matching));
    if (!o) continue;
    const [l, r] = group === 'right' ? [o, m] : [m, o];
    const values = new Float64Array(n);
    const present = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (!l.present[i] || !r.present[i]) continue;
      const a = l.values[i]!;
      const b = r.values[i]!;
      if (comparison && !returnBool) {
        if (!compare(op, a, b)) continue;
        values[i] = a;
      } else {
        values[i] = arithmetic(op, a, b, returnBool);
      }
      present[i] = 1;
    }
    out.push({ labels: resultLabels(m.labels, o.labels, op, matching, returnBool), values, present });
  }
  return out;
}

function resultLabels(
  many: Labels,
  one: Labels,
  op: BinaryOp,
  matching: VectorMatching | undefined,
  returnBool: boolean,
): Labels {
  let labels: Labels = { ...many };
  if (!COMPARISON_OPS.has(op) || returnBool) labels = dropName(labels);
  if (!matching?.group) {
    if (matching?.on) labels = pick(labels, matching.labels);
    else if (matching) for (const l of matching.labels) delete labels[l];
  } else {
    for (const l of matching.include) {
      if (one[l] !== undefined) labels[l] = one[l]!;
      else delete labels[l];
    }
  }
  return labels;
}

function setOperation(
  op: BinaryOp,
  lhs: StepSeries[],
  rhs: StepSeries[],
  matching: VectorMatching | undefined,
  n: number,
): StepSeries[] {
  const rhsBySig = new Map<string, StepSeries[]>();
  for (const s of rhs) {
    const sig = signature(s.labels, matching);
    rhsBySig.set(sig, [...(rhsBySig.get(sig) ?? []), s]);
  }
  const presentIn = (list: StepSeries[] | undefined, i: number) => list?.some((s) => s.present[i]) ?? false;
  if (op === 'and' || op === 'unless') {
    return lhs.map((s) => {
      const others = rhsBySig.get(signature(s.labels, matching));
      const present = s.present.map((p, i) => (p && presentIn(others, i) === (op === 'and') ? 1 : 0));
      return { labels: s.labels, values: s.values, present: Uint8Array.from(present) };
    });
  }
  const lhsBySig = new Map<string, StepSeries[]>();
  for (const s of lhs) {
    const sig = signature(s.labels, matching);
    lhsBySig.set(sig, [...(lhsBySig.get(sig) ?? []), s]);
  }
  const fromRight = rhs.map((s) => {
    const others = lhsBySig.get(signature(s.labels, matching));
    const present = new Uint8Array(n);
    for (let i = 0; i < n; i++) present[i] = s.present[i] && !presentIn(others, i) ? 1 : 0;
    return { labels: s.labels, values: s.values, present };
  });
  return [...lhs, ...fromRight];
}

function signature(labels: Labels, matching: VectorMatching | undefined): string {
  if (matching?.on) return labelKey(pick(labels, matching.labels));
  const rest = dropName(labels);
  for (const l of matching?.labels ?? []) delete rest[l];
  return labelKey(rest);
}

function groupLabels(labels: Labels, grouping: { without: boolean; labels: string[] } | undefined): Labels {
  if (!grouping) return {};
  if (!grouping.without) return pick(labels, grouping.labels);
  const rest = dropName(labels);
  for (const l of grouping.labels) delete rest[l];
  return rest;
}

function pick(labels: Labels, names: string[]): Labels {
  const out: Labels = {};
  for (const name of names) if (labels[name] !== undefined) out[name] = labels[name]!;
  return out;
}

function dropName(labels: Labels): Labels {
  if (labels.__name__ === undefined) return labels;
  const { __name__: _, ...rest } = labels;
  return rest;
}

export function labelKey(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

function assertUniqueLabelSets(series: StepSeries[]): void {
  const n = series[0]?.values.length ?? 0;
  const seen = new Map<string, StepSeries>();
  for (const s of series) {
    const key = labelKey(s.labels);
    const other = seen.get(key);
    if (other) {
      for (let i = 0; i < n; i++) {
        if (other.present[i] && s.present[i]) {
          throw new EngineError(
            'PROMQL_ERROR',
            `vector cannot contain metrics with the same labelset ${key}`,
          );
        }
      }
    }
    seen.set(key, s);
  }
}

function expectArgs(func: string, args: Expr[], count: number): Expr[] {
  if (args.length !== count)
    throw new EngineError('PROMQL_ERROR', `${func}() expects ${count} argument(s), got ${args.length}`);
  return args;
}

function unsupported(what: string): never {
  throw new EngineError('PROMQL_ERROR', `unsupported in the demo metrics source: ${what}`);
}
