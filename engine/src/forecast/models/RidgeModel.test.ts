import { describe, expect, it } from 'vitest';
import { RidgeModel, fittedRidge, type RidgeParams } from './RidgeModel.js';
import { fittedNaive } from './NaiveModel.js';
import { fittedSeasonalNaive } from './SeasonalNaiveModel.js';
import { configWith, seriesOf } from '../testing.js';
import { restoreForecaster } from '../persistence/restoreForecaster.js';
import { fitForecaster } from '../Forecaster.js';

/** Daily shape + weekday/weekend level + a slow AR(1) drift + noise: what lags and calendar features can learn. */
function demand(days: number, seed = 7): number[] {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  let drift = 0;
  return Array.from({ length: days * 288 }, (_, t) => {
    drift = 0.98 * drift + 0.05 * rand();
    const hour = (t % 288) / 288;
    const weekend = Math.floor(t / 288) % 7 >= 5 ? -0.4 : 0;
    return Math.exp(4 + Math.sin(2 * Math.PI * hour) + weekend + drift + 0.05 * rand());
  });
}

const mae = (a: Float64Array, truth: (k: number, h: number) => number, H: number, h: number) => {
  let s = 0;
  const n = a.length / H;
  for (let k = 0; k < n; k++) s += Math.abs(a[k * H + h - 1]! - truth(k, h));
  return s / n;
};

describe('ridge on lag and calendar features', () => {
  const series = seriesOf(demand(28), { transform: 'log1p' });
  const H = 12;
  const fitEnd = 21 * 288;
  const origins = Array.from({ length: 7 * 288 - H }, (_, i) => fitEnd + i);
  const truth = (k: number, h: number) => series.z[origins[k]! + h]!;

  it('beats the naive and seasonal naive forecasts out of sample at 1 and 12 steps', async () => {
    const model = await new RidgeModel().fit(series, { config: configWith(), horizon: H, fitEnd });
    const ridge = await model.forecastFrom(series, origins);
    const naive = await fittedNaive(H).forecastFrom(series, origins);
    const daily = await fittedSeasonalNaive('sn', 288, H).forecastFrom(series, origins);
    for (const h of [1, 12]) {
      expect(mae(ridge, truth, H, h)).toBeLessThan(mae(naive, truth, H, h));
      expect(mae(ridge, truth, H, h)).toBeLessThan(mae(daily, truth, H, h));
    }
    const params = model.toJSON().params as unknown as RidgeParams;
    expect(params.useWeek).toBe(true);
    expect(params.weights).toHaveLength(H);
  });

  it('forecasts only from data up to the origin', async () => {
    const model = await new RidgeModel().fit(series, { config: configWith(), horizon: H, fitEnd });
    const o = fitEnd + 100;
    const before = await model.forecastFrom(series, [o]);
    const changed = seriesOf(
      demand(28).map((v, i) => (i > o ? v * 10 : v)),
      { transform: 'log1p' },
    );
    expect(Array.from(await model.forecastFrom(changed, [o]))).toEqual(Array.from(before));
  });

  it('is unavailable under three days and survives a JSON round trip inside a stored forecaster', async () => {
    const short = seriesOf(demand(2), { transform: 'log1p' });
    expect(
      new RidgeModel().unavailable(short, { config: configWith(), horizon: H, fitEnd: short.z.length }),
    ).toMatch(/three days/);
    const config = configWith({ models: ['naive', 'ridge', 'ensemble'], horizonSteps: H });
    const forecaster = await fitForecaster(series, { config, end: fitEnd });
    const restored = await restoreForecaster(JSON.parse(JSON.stringify(forecaster.toJSON())));
    const a = await forecaster.forecastFrom(series, origins.slice(0, 50), 'ridge');
    const b = await restored.forecastFrom(series, origins.slice(0, 50), 'ridge');
    expect(Array.from(b.point)).toEqual(Array.from(a.point));
    const direct = fittedRidge(
      forecaster.toJSON().models.find((m) => m.name === 'ridge')!.params as unknown as RidgeParams,
      H,
    );
    expect(Array.from(await direct.forecastFrom(series, [fitEnd]))).toHaveLength(H);
  });
});
