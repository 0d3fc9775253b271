import { forecastConfigSchema, type ForecastConfig } from './config.js';
import { prepareSeries, type PreparedSeries } from './series/prepareSeries.js';
import type { ForecastLookup } from './autoscale/predictivePolicy.js';
import type { ReplayDemand } from './autoscale/simulateAutoscaling.js';

/** Test helpers shared by the forecast tests (not exported from the package). */
export function configWith(overrides: Record<string, unknown> = {}): ForecastConfig {
  return forecastConfigSchema.parse(overrides);
}

export function seriesOf(
  values: number[],
  options: { stepSeconds?: number; start?: number; transform?: 'none' | 'log1p' } = {},
): PreparedSeries {
  const step = options.stepSeconds ?? 300;
  const start = options.start ?? 0;
  return prepareSeries(
    values.map((_, i) => start + i * step),
    values,
    {
      stepSeconds: step,
      transform: options.transform ?? 'none',
      outageMinMinutes: 30,
      outageMaxZeroShare: 0.2,
    },
  );
}

/** 5-minute bins: flat 100, a jump to 300 for an hour, back to 100. Capacity 50/replica at target. */
export function stepDemand(): ReplayDemand {
  const demand = [...new Array(12).fill(100), ...new Array(12).fill(300), ...new Array(12).fill(100)];
  return { start: 0, stepSeconds: 300, demand, from: 1, to: 35, capacityPerReplica: 50 };
}

/** A forecast that is always right: the next `horizon` bins of the demand itself (the last bin repeated at the end). */
export function perfectLookup(base: ReplayDemand, horizon: number): ForecastLookup {
  const { demand } = base;
  return {
    start: base.start,
    stepSeconds: base.stepSeconds,
    demand,
    forecast: (o: number) =>
      Array.from({ length: horizon }, (_, h) => demand[Math.min(demand.length - 1, o + h + 1)]!),
  };
}
