import { BASELINES } from './baselines.js';
import type { Forecaster } from './Forecaster.js';
import { maseScale, MetricAccumulator, type HorizonMetrics } from './metrics.js';
import { seasonalPeriods, type PreparedSeries } from './series/prepareSeries.js';

export interface BacktestResult {
  chosen: string;
  reason: string;
  /** Test targets are the observed points in [testStart, end). */
  testStart: number;
  end: number;
  scale: number;
  /** Model name → metrics per horizon 1..H. */
  models: Record<string, HorizonMetrics[]>;
  /** The names in `models` that are baselines, so a client marks them without its own list. */
  baselines: string[];
  /** Mean milliseconds to forecast all horizons from one origin with the chosen model, batched over origins. */
  predictMsPerOrigin: number;
}

/**
 * Rolling origin over the test part: for target t and horizon h the forecast comes from origin t - h, with the
 * models fitted on data before `testStart` only (their state may read the data up to each origin, never after it).
 * The MASE scale is the in-sample seasonal-naive (a day) MAE of the part before `testStart`.
 */
export async function backtest(
  forecaster: Forecaster,
  series: PreparedSeries,
  testStart: number,
  end = series.z.length,
): Promise<BacktestResult> {
  const H = forecaster.horizon;
  const first = Math.max(0, testStart - H);
  const origins: number[] = [];
  for (let o = first; o < end - 1; o++) origins.push(o);
  const scale = maseScale(series.values, series.observed, testStart, seasonalPeriods(series.stepSeconds).day);
  const names = [
    ...forecaster.fitted.keys(),
    ...(forecaster.spec.ensembleWeights.length ? ['ensemble'] : []),
  ];
  const models: Record<string, HorizonMetrics[]> = {};
  let predictMsPerOrigin = NaN;
  for (const name of names) {
    const started = performance.now();
    const f = await forecaster.forecastFrom(series, origins, name);
    if (name === forecaster.chosen) predictMsPerOrigin = (performance.now() - started) / origins.length;
    const metrics: HorizonMetrics[] = [];
    for (let h = 1; h <= H; h++) {
      const acc = new MetricAccumulator();
      for (let t = Math.max(testStart, first + h); t < end; t++) {
        if (!series.observed[t]) continue;
        const i = (t - h - first) * H + h - 1;
        acc.add(series.values[t]!, f.point[i]!, f.lower[i]!, f.upper[i]!);
      }
      metrics.push(acc.result(h, scale));
    }
    models[name] = metrics;
  }
  return {
    chosen: forecaster.chosen,
    reason: forecaster.spec.reason,
    testStart,
    end,
    scale,
    models,
    baselines: names.filter((name) => BASELINES.has(name)),
    predictMsPerOrigin,
  };
}
