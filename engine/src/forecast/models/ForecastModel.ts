import type { PreparedSeries } from '../series/prepareSeries.js';
import type { ForecastConfig } from '../config.js';

/**
 * One interface for every model, baselines and LSTM alike, so selection, backtest and serving share one code path.
 * Everything works in the series' model space (`PreparedSeries.z`); callers map back to the original scale.
 */
export interface FitContext {
  config: ForecastConfig;
  /** Longest horizon, in steps, the fitted model must answer for. */
  horizon: number;
  /** Fit only on indices [0, fitEnd). */
  fitEnd: number;
  signal?: AbortSignal;
  /** 0..1 within this model's fit. */
  onProgress?: (fraction: number, message: string) => void;
}

export interface ForecastModel {
  readonly name: string;
  /** Why this model cannot be fitted on this series (too short, no seasonality), or undefined when it can. */
  unavailable(series: PreparedSeries, ctx: FitContext): string | undefined;
  fit(series: PreparedSeries, ctx: FitContext): Promise<FittedModel>;
}

export interface FittedModel {
  readonly name: string;
  readonly horizon: number;
  /**
   * Point forecasts (model space) for horizons 1..horizon from each origin, using only `series.z[0..origin]`.
   * Row-major: result[k * horizon + (h - 1)] is origin k, horizon h.
   */
  forecastFrom(series: PreparedSeries, origins: ArrayLike<number>): Promise<Float64Array>;
  /** JSON-safe parameters; LSTM weights travel separately as tfjs artifacts. */
  toJSON(): SerializedModel;
  dispose?(): void;
}

export interface SerializedModel {
  name: string;
  horizon: number;
  params: Record<string, unknown>;
}
