import { seasonalPeriods, type PreparedSeries } from '../series/prepareSeries.js';
import type { FitContext, FittedModel, ForecastModel } from './ForecastModel.js';

/**
 * Additive Holt-Winters with a damped trend, parameters by one-step and horizon-step squared error, in model space (so with the log1p transform the season is
 * multiplicative on the original scale). Unobserved steps advance the state without correcting it, so gaps and
 * outages neither pull the level to zero nor erase the season.
 */
export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  period: number;
}

export class HoltWintersModel implements ForecastModel {
  readonly name = 'holt_winters';

  unavailable(_series: PreparedSeries, ctx: FitContext): string | undefined {
    if (ctx.fitEnd < 4 * ctx.horizon) return 'history shorter than four horizons';
    return undefined;
  }

  async fit(series: PreparedSeries, ctx: FitContext): Promise<FittedModel> {
    // The season is a day, or a week when three weeks are there to learn it; the error over the same stretch decides (weekday/weekend load differs, which a daily season cannot hold).
    // Under three days of history (or no whole-step day) it is Holt's damped trend without a season (period 1,
    // the season frozen at zero).
    const { day, week } = seasonalPeriods(series.stepSeconds);
    const periods =
      day && ctx.fitEnd >= 3 * day ? [day, ...(week && ctx.fitEnd >= 3 * week ? [week] : [])] : [1];
    const from = 2 * Math.max(...periods);
    let best: { params: HoltWintersParams; loss: number } | undefined;
    for (const period of periods) {
      const params = fitHoltWinters(series.z, series.observed, period, ctx.fitEnd, from, ctx.horizon);
      const loss = holtWintersLoss(series.z, series.observed, params, ctx.fitEnd, from, ctx.horizon);
      if (!best || loss < best.loss) best = { params, loss };
    }
    return fittedHoltWinters(best!.params, ctx.horizon);
  }
}

export function fittedHoltWinters(params: HoltWintersParams, horizon: number): FittedModel {
  return {
    name: 'holt_winters',
    horizon,
    async forecastFrom(series, origins) {
      return holtWintersForecasts(series.z, series.observed, params, origins, horizon);
    },
    toJSON: () => ({ name: 'holt_winters', horizon, params: { ...params } }),
  };
}

interface State {
  level: number;
  trend: number;
  season: Float64Array;
}

function initialState(z: ArrayLike<number>, period: number): State {
  let a = 0;
  let b = 0;
  for (let i = 0; i < period; i++) {
    a += z[i]!;
    b += z[i + period]!;
  }
  a /= period;
  b /= period;
  const season = new Float64Array(period);
  for (let i = 0; i < period; i++) season[i] = (z[i]! - a + z[i + period]! - b) / 2;
  // The state after index period-1: level of the first season, trend from the first two seasons.
  return { level: a, trend: (b - a) / period, season };
}

/** Damped sum phi + phi^2 + ... + phi^h. */
function dampedSum(phi: number, h: number): number {
  let s = 0;
  let p = 1;
  for (let i = 0; i < h; i++) {
    p *= phi;
    s += p;
  }
  return s;
}

/**
 * Runs the filter from index `period` to `until` (exclusive), calling `visit(t, state)` with the state after t-1,
 * i.e. before observing z[t], for t from `visitFrom` on (a forecast from the newest origin visits one step, not the
 * whole history: the per-step callback was most of a 2.6 ms forecast on 15,840 steps).
 */
function runFilter(
  z: ArrayLike<number>,
  observed: ArrayLike<number>,
  p: HoltWintersParams,
  until: number,
  visit?: (t: number, level: number, trend: number, season: Float64Array) => void,
  visitFrom = 0,
): State {
  const m = p.period;
  const st = initialState(z, m);
  let { level, trend } = st;
  const season = st.season;
  for (let t = m; t < until; t++) {
    if (visit && t >= visitFrom) visit(t, level, trend, season);
    const si = t % m;
    const sPrev = season[si]!;
    const base = level + p.phi * trend;
    if (observed[t]) {
      const y = z[t]!;
      const newLevel = p.alpha * (y - sPrev) + (1 - p.alpha) * base;
      trend = p.beta * (newLevel - level) + (1 - p.beta) * p.phi * trend;
      season[si] = p.gamma * (y - base) + (1 - p.gamma) * sPrev;
      level = newLevel;
    } else {
      level = base;
      trend = p.phi * trend;
    }
  }
  return { level, trend, season };
}

export function holtWintersForecasts(
  z: ArrayLike<number>,
  observed: ArrayLike<number>,
  p: HoltWintersParams,
  origins: ArrayLike<number>,
  horizon: number,
): Float64Array {
  const out = new Float64Array(origins.length * horizon);
  if (z.length < 2 * p.period) {
    // Too short a history to initialise the season (e.g. a stored weekly model served a few days of history):
    // carry the last value rather than read past the end.
    for (let k = 0; k < origins.length; k++) out.fill(z[origins[k]!]!, k * horizon, (k + 1) * horizon);
    return out;
  }
  const order = Array.from({ length: origins.length }, (_, k) => k).sort((a, b) => origins[a]! - origins[b]!);
  const damp = Array.from({ length: horizon }, (_, h) => dampedSum(p.phi, h + 1));
  const m = p.period;
  let next = 0;
  const emit = (k: number, level: number, trend: number, season: Float64Array, t: number) => {
    for (let h = 1; h <= horizon; h++) {
      out[k * horizon + h - 1] = level + damp[h - 1]! * trend + season[(t + h - 1) % m]!;
    }
  };
  const maxOrigin = origins.length ? Math.max(...Array.from(origins)) : 0;
  const minOrigin = origins.length ? Math.min(...Array.from(origins)) : 0;
  // The state before observing z[origin + 1] is the forecast state at the origin.
  const visit = (t: number, level: number, trend: number, season: Float64Array) => {
    while (next < order.length && origins[order[next]!]! + 1 === t) {
      emit(order[next]!, level, trend, season, t);
      next++;
    }
  };
  const final = runFilter(z, observed, p, Math.min(z.length, maxOrigin + 1), visit, minOrigin + 1);
  while (next < order.length) {
    const o = origins[order[next]!]!;
    if (o < m) {
      // Too early for a state: fall back to the last value.
      out.fill(z[o]!, order[next]! * horizon, (order[next]! + 1) * horizon);
    } else {
      emit(order[next]!, final.level, final.trend, final.season, o + 1);
    }
    next++;
  }
  return out;
}

/**
 * Mean squared error over observed targets in [from, end) (from at least two seasons in), of one-step forecasts and,
 * when `horizon` > 1, also of horizon-step forecasts: the parameters then suit the multi-step use they serve.
 */
export function holtWintersLoss(
  z: ArrayLike<number>,
  observed: ArrayLike<number>,
  p: HoltWintersParams,
  end: number,
  from = 2 * p.period,
  horizon = 1,
): number {
  const m = p.period;
  const start = Math.max(from, 2 * m);
  const dH = dampedSum(p.phi, horizon);
  const pendingH = horizon > 1 ? new Float64Array(end + horizon) : undefined;
  let sse = 0;
  let count = 0;
  runFilter(z, observed, p, end, (t, level, trend, season) => {
    if (t >= start && observed[t]) {
      sse += (z[t]! - (level + p.phi * trend + season[t % m]!)) ** 2;
      count++;
      if (pendingH && t - horizon + 1 >= start) {
        sse += (z[t]! - pendingH[t]!) ** 2;
        count++;
      }
    }
    if (pendingH) {
      const target = t + horizon - 1;
      pendingH[target] = level + dH * trend + season[target % m]!;
    }
  });
  return count ? sse / count : Infinity;
}

const GRID = {
  alpha: [0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9],
  beta: [0, 0.005, 0.02, 0.08],
  gamma: [0.01, 0.05, 0.1, 0.2, 0.4],
  phi: [0.9, 0.98],
};

/** Grid search then coordinate refinement; deterministic and cheap (the loss is one pass over the history). */
export function fitHoltWinters(
  z: ArrayLike<number>,
  observed: ArrayLike<number>,
  period: number,
  end: number,
  from = 2 * period,
  horizon = 1,
): HoltWintersParams {
  let best: HoltWintersParams = { alpha: 0.2, beta: 0.01, gamma: 0.1, phi: 0.98, period };
  let bestLoss = Infinity;
  for (const alpha of GRID.alpha)
    for (const beta of GRID.beta)
      for (const gamma of period === 1 ? [0] : GRID.gamma)
        for (const phi of GRID.phi) {
          const p = { alpha, beta, gamma, phi, period };
          const loss = holtWintersLoss(z, observed, p, end, from, horizon);
          if (loss < bestLoss) {
            bestLoss = loss;
            best = p;
          }
        }
  let delta = 0.05;
  for (let round = 0; round < 4; round++) {
    for (const key of period === 1 ? (['alpha', 'beta'] as const) : (['alpha', 'beta', 'gamma'] as const)) {
      for (const sign of [-1, 1]) {
        const candidate = { ...best, [key]: Math.min(0.99, Math.max(0, best[key] + sign * delta)) };
        const loss = holtWintersLoss(z, observed, candidate, end, from, horizon);
        if (loss < bestLoss) {
          bestLoss = loss;
          best = candidate;
        }
      }
    }
    delta /= 2;
  }
  return best;
}
