import { seasonalPeriods, type PreparedSeries } from '../series/prepareSeries.js';
import type { FitContext, FittedModel, ForecastModel } from './ForecastModel.js';

/**
 * Direct multi-horizon ridge regression on lag and calendar features: one linear model per horizon h predicts the
 * change z[o + h] − z[o] (model space, so log1p per series) from
 *  - the recent path relative to the last value (lags 1..LAGS) and the level against the last day's mean,
 *  - the same time yesterday and last week, both relative to now and as yesterday's/last week's change over the same
 *    h steps (the seasonal delta),
 *  - the target time's hour of day (3 sine/cosine harmonics) and day of week (one-hot).
 * Features are standardised per series on the training part, so one penalty fits every series.
 *
 * Why ridge and not gradient-boosted trees: npm has no well-kept pure-JS GBT trainer (ml-xgboost 1.1.2 is an
 * unmaintained wasm port with ~1.5k downloads a month, xgboost-scorer only scores, ml-random-forest/ml-cart are
 * bagged CART without boosting), and a native LightGBM binding would be a new native dependency for every image.
 * The normal equations here are at most ~35×35 per horizon, solved by a 20-line Cholesky (no matrix library
 * needed for that), and the whole fit takes well under a second on 3 weeks at 5 minutes.
 */
export const RIDGE_LAGS = 12;
/** Penalty on standardised features, per training sample (λ = RIDGE_PENALTY × n). */
export const RIDGE_PENALTY = 0.01;

export interface RidgeParams {
  stepSeconds: number;
  /** Steps in a day and a week. */
  day: number;
  week: number;
  useWeek: boolean;
  lags: number;
  /** Per horizon: feature means, stds and weights (intercept last). */
  means: number[][];
  stds: number[][];
  weights: number[][];
}

export class RidgeModel implements ForecastModel {
  readonly name = 'ridge';

  unavailable(series: PreparedSeries, ctx: FitContext): string | undefined {
    const { day } = seasonalPeriods(series.stepSeconds);
    if (!day) return `a day is not a whole number of ${series.stepSeconds}s steps`;
    if (ctx.fitEnd < 3 * day) return 'history shorter than three days';
    return undefined;
  }

  async fit(series: PreparedSeries, ctx: FitContext): Promise<FittedModel> {
    const { day, week } = seasonalPeriods(series.stepSeconds) as { day: number; week?: number };
    const H = ctx.horizon;
    // The week features need a week before the first training origin and two weeks of history to learn from.
    const useWeek = week !== undefined && ctx.fitEnd >= 2 * week + H;
    const params: RidgeParams = {
      stepSeconds: series.stepSeconds,
      day,
      week: week ?? 0,
      useWeek,
      lags: RIDGE_LAGS,
      means: [],
      stds: [],
      weights: [],
    };
    const first = useWeek ? week! : day;
    const rows: number[][][] = Array.from({ length: H }, () => []);
    const targets: number[][] = Array.from({ length: H }, () => []);
    for (let o = first; o + 1 < ctx.fitEnd; o++) {
      if (!series.observed[o]) continue;
      const base = originFeatures(series, o, params);
      for (let h = 1; h <= H && o + h < ctx.fitEnd; h++) {
        if (!series.observed[o + h]) continue;
        rows[h - 1]!.push(horizonFeatures(series, o, h, params, base));
        targets[h - 1]!.push(series.z[o + h]! - series.z[o]!);
      }
    }
    for (let h = 1; h <= H; h++) {
      const { means, stds, weights } = fitRidge(rows[h - 1]!, targets[h - 1]!, RIDGE_PENALTY);
      params.means.push(means);
      params.stds.push(stds);
      params.weights.push(weights);
      ctx.onProgress?.(h / H, `horizon ${h}`);
    }
    return fittedRidge(params, H);
  }
}

export function fittedRidge(params: RidgeParams, horizon: number): FittedModel {
  return {
    name: 'ridge',
    horizon,
    async forecastFrom(series, origins) {
      const out = new Float64Array(origins.length * horizon);
      for (let k = 0; k < origins.length; k++) {
        const o = origins[k]!;
        const base = originFeatures(series, o, params);
        for (let h = 1; h <= horizon; h++) {
          const x = horizonFeatures(series, o, h, params, base);
          const w = params.weights[h - 1]!;
          const m = params.means[h - 1]!;
          const s = params.stds[h - 1]!;
          let y = w[w.length - 1]!;
          for (let j = 0; j < x.length; j++) y += (w[j]! * (x[j]! - m[j]!)) / s[j]!;
          out[k * horizon + h - 1] = series.z[o]! + y;
        }
      }
      return out;
    },
    toJSON: () => ({ name: 'ridge', horizon, params: params as unknown as Record<string, unknown> }),
  };
}

/** What every horizon shares at origin o; indices before 0 read index 0 (the first day of a short series). */
function originFeatures(series: PreparedSeries, o: number, p: RidgeParams): number[] {
  const z = series.z;
  const at = (i: number) => z[Math.max(0, i)]!;
  const now = z[o]!;
  const x: number[] = [];
  for (let j = 1; j <= p.lags; j++) x.push(at(o - j) - now);
  let dayMean = 0;
  for (let j = 0; j < p.day; j++) dayMean += at(o - j);
  x.push(now - dayMean / p.day);
  return x;
}

/** The full feature vector of origin o for horizon h: the origin's, then the seasonal and calendar ones. */
function horizonFeatures(
  series: PreparedSeries,
  o: number,
  h: number,
  p: RidgeParams,
  base: number[],
): number[] {
  const z = series.z;
  const at = (i: number) => z[Math.max(0, i)]!;
  const now = z[o]!;
  const x = base.slice();
  const t = o + h;
  x.push(at(t - p.day) - now, at(t - p.day) - at(o - p.day));
  if (p.useWeek) x.push(at(t - p.week) - now, at(t - p.week) - at(o - p.week));
  const seconds = series.start + t * series.stepSeconds;
  const hour = (((seconds % 86400) + 86400) % 86400) / 86400;
  for (let k = 1; k <= 3; k++) x.push(Math.sin(2 * Math.PI * k * hour), Math.cos(2 * Math.PI * k * hour));
  // 1970-01-01 was a Thursday; six one-hot columns (the seventh is the intercept's).
  const dow = (Math.floor(seconds / 86400) + 4) % 7;
  for (let d = 1; d < 7; d++) x.push(dow === d ? 1 : 0);
  return x;
}

/** Ridge on standardised features with an unpenalised intercept (the target's mean), by Cholesky. */
function fitRidge(
  rows: number[][],
  y: number[],
  penalty: number,
): { means: number[]; stds: number[]; weights: number[] } {
  const n = rows.length;
  const p = rows[0]?.length ?? 0;
  const means = new Array<number>(p).fill(0);
  const stds = new Array<number>(p).fill(0);
  if (n === 0) return { means, stds: stds.map(() => 1), weights: [...new Array<number>(p).fill(0), 0] };
  for (const r of rows) for (let j = 0; j < p; j++) means[j] = means[j]! + r[j]! / n;
  for (const r of rows) for (let j = 0; j < p; j++) stds[j] = stds[j]! + (r[j]! - means[j]!) ** 2 / n;
  for (let j = 0; j < p; j++) stds[j] = Math.sqrt(stds[j]!) || 1;
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  const a = Array.from({ length: p }, () => new Float64Array(p));
  const b = new Float64Array(p);
  const x = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    for (let j = 0; j < p; j++) x[j] = (r[j]! - means[j]!) / stds[j]!;
    const yi = y[i]! - yMean;
    for (let j = 0; j < p; j++) {
      b[j] = b[j]! + x[j]! * yi;
      const aj = a[j]!;
      for (let k = 0; k <= j; k++) aj[k] = aj[k]! + x[j]! * x[k]!;
    }
  }
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < j; k++) a[k]![j] = a[j]![k]!;
    a[j]![j] = a[j]![j]! + penalty * n;
  }
  return { means, stds, weights: [...choleskySolve(a, b), yMean] };
}

/** Solves A w = b for a symmetric positive-definite A (ridge keeps it so). */
function choleskySolve(a: Float64Array[], b: Float64Array): number[] {
  const p = b.length;
  const l = Array.from({ length: p }, () => new Float64Array(p));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j]![j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * z[k]!;
    z[i] = s / l[i]![i]!;
  }
  const w = new Array<number>(p).fill(0);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k]![i]! * w[k]!;
    w[i] = s / l[i]![i]!;
  }
  return w;
}
