import { seasonalPeriods, type PreparedSeries } from '../series/prepareSeries.js';
import type { FitContext, FittedModel, ForecastModel } from './ForecastModel.js';

/** The value one season (a day or a week) before the target time. */
export class SeasonalNaiveModel implements ForecastModel {
  readonly name: string;

  constructor(private readonly season: 'day' | 'week') {
    this.name = `seasonal_naive_${season}`;
  }

  unavailable(series: PreparedSeries, ctx: FitContext): string | undefined {
    const period = seasonalPeriods(series.stepSeconds)[this.season];
    if (!period) return `a ${this.season} is not a whole number of ${series.stepSeconds}s steps`;
    if (ctx.fitEnd < period + 1) return `history shorter than one ${this.season}`;
    return undefined;
  }

  async fit(series: PreparedSeries, ctx: FitContext): Promise<FittedModel> {
    const period = seasonalPeriods(series.stepSeconds)[this.season]!;
    return fittedSeasonalNaive(this.name, period, ctx.horizon);
  }
}

export function fittedSeasonalNaive(name: string, period: number, horizon: number): FittedModel {
  return {
    name,
    horizon,
    async forecastFrom(series, origins) {
      const out = new Float64Array(origins.length * horizon);
      for (let k = 0; k < origins.length; k++) {
        const o = origins[k]!;
        for (let h = 1; h <= horizon; h++) {
          // Targets beyond one season reuse the latest full season.
          const back = period * Math.ceil(h / period);
          const i = o + h - back;
          out[k * horizon + h - 1] = series.z[Math.max(0, i)]!;
        }
      }
      return out;
    },
    toJSON: () => ({ name, horizon, params: { period } }),
  };
}
