/** Point and interval accuracy of one model at one horizon, on the original scale. */
export interface HorizonMetrics {
  horizon: number;
  n: number;
  mae: number;
  rmse: number;
  /** MAE over the in-sample MAE of the seasonal naive (a day) on the training part, as in the datasets' SOURCE.md. */
  mase: number;
  /** Symmetric MAPE in percent, 0..200; pairs where both are 0 count as 0. */
  smape: number;
  /** Share of actuals inside [lower, upper]; NaN when the model has no intervals. */
  coverage: number;
}

/**
 * The MASE denominator: mean |y_t - y_{t-m}| over observed pairs in [m, end), m a day when a day is a whole number
 * of steps and the history holds two days, else 1 (the naive one-step error).
 */
export function maseScale(
  values: ArrayLike<number>,
  observed: ArrayLike<number>,
  end: number,
  period: number | undefined,
): number {
  const m = period && end > 2 * period ? period : 1;
  let sum = 0;
  let count = 0;
  for (let t = m; t < end; t++) {
    if (!observed[t] || !observed[t - m]) continue;
    sum += Math.abs(values[t]! - values[t - m]!);
    count++;
  }
  const scale = count ? sum / count : NaN;
  return scale > 0 ? scale : NaN;
}

export class MetricAccumulator {
  private n = 0;
  private abs = 0;
  private sq = 0;
  private smapeSum = 0;
  private inside = 0;
  private withInterval = 0;

  add(actual: number, forecast: number, lower?: number, upper?: number): void {
    const e = actual - forecast;
    this.n++;
    this.abs += Math.abs(e);
    this.sq += e * e;
    const denom = Math.abs(actual) + Math.abs(forecast);
    this.smapeSum += denom === 0 ? 0 : (200 * Math.abs(e)) / denom;
    if (lower !== undefined && upper !== undefined) {
      this.withInterval++;
      if (actual >= lower && actual <= upper) this.inside++;
    }
  }

  result(horizon: number, scale: number): HorizonMetrics {
    const mae = this.n ? this.abs / this.n : NaN;
    return {
      horizon,
      n: this.n,
      mae,
      rmse: this.n ? Math.sqrt(this.sq / this.n) : NaN,
      mase: mae / scale,
      smape: this.n ? this.smapeSum / this.n : NaN,
      coverage: this.withInterval ? this.inside / this.withInterval : NaN,
    };
  }
}

/** Split-conformal quantile: the ceil((n+1)(1-alpha))-th smallest absolute residual. */
export function conformalQuantile(absResiduals: number[], coverage: number): number {
  if (absResiduals.length === 0) return Infinity;
  const sorted = [...absResiduals].sort((a, b) => a - b);
  const rank = Math.ceil((sorted.length + 1) * coverage);
  return rank > sorted.length ? sorted[sorted.length - 1]! * 1.5 : sorted[rank - 1]!;
}
