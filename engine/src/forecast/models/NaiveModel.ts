import type { PreparedSeries } from '../series/prepareSeries.js';
import type { FitContext, FittedModel, ForecastModel } from './ForecastModel.js';

/** The last value, carried forward: the reference every other model must beat. */
export class NaiveModel implements ForecastModel {
  readonly name = 'naive';

  unavailable(): string | undefined {
    return undefined;
  }

  async fit(_series: PreparedSeries, ctx: FitContext): Promise<FittedModel> {
    return fittedNaive(ctx.horizon);
  }
}

export function fittedNaive(horizon: number): FittedModel {
  return {
    name: 'naive',
    horizon,
    async forecastFrom(series, origins) {
      const out = new Float64Array(origins.length * horizon);
      for (let k = 0; k < origins.length; k++)
        out.fill(series.z[origins[k]!]!, k * horizon, (k + 1) * horizon);
      return out;
    },
    toJSON: () => ({ name: 'naive', horizon, params: {} }),
  };
}
