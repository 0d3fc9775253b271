import { forecastConfigSchema, type ForecastConfig } from './config.js';
import { prepareSeries, type PreparedSeries } from './series/prepareSeries.js';

/** Test helpers shared by the forecast tests (not exported from the package). */
export function configWith(overrides: Record<string, unknown> = {}): ForecastConfig {
  return forecastConfigSchema.parse(overrides);
}

export function seriesOf(values: number[], options: { stepSeconds?: number; start?: number; transform?: 'none' | 'log1p' } = {}): PreparedSeries {
  const step = options.stepSeconds ?? 300;
  const start = options.start ?? 0;
  return prepareSeries(
    values.map((_, i) => start + i * step),
    values,
    { stepSeconds: step, transform: options.transform ?? 'none', outageMinMinutes: 30, outageMaxZeroShare: 0.2 },
  );
}
