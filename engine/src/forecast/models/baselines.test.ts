import { describe, expect, it } from 'vitest';
import { NaiveModel } from './NaiveModel.js';
import { SeasonalNaiveModel } from './SeasonalNaiveModel.js';
import { configWith, seriesOf } from '../testing.js';

describe('baselines', () => {
  // 1-hour steps: a day is 24 steps.
  const values = Array.from({ length: 72 }, (_, i) => 100 + (i % 24) * 2 + Math.floor(i / 24) * 10);
  const series = seriesOf(values, { stepSeconds: 3600 });
  const ctx = { config: configWith(), horizon: 3, fitEnd: 72 };

  it('naive repeats the value at the origin for every horizon', async () => {
    const f = await (await new NaiveModel().fit(series, ctx)).forecastFrom(series, [10, 40]);
    expect(Array.from(f)).toEqual([values[10], values[10], values[10], values[40], values[40], values[40]]);
  });

  it('seasonal naive (day) takes the value one day before the target', async () => {
    const f = await (await new SeasonalNaiveModel('day').fit(series, ctx)).forecastFrom(series, [30, 47]);
    // origin 30 → targets 31..33 → values at 7..9; origin 47 → targets 48..50 → 24..26
    expect(Array.from(f)).toEqual([values[7], values[8], values[9], values[24], values[25], values[26]]);
  });

  it('seasonal naive says why it cannot run on short or non-daily histories', () => {
    expect(new SeasonalNaiveModel('week').unavailable(series, ctx)).toMatch(/shorter than one week/);
    const odd = seriesOf([1, 2, 3, 4], { stepSeconds: 7 });
    expect(new SeasonalNaiveModel('day').unavailable(odd, { ...ctx, fitEnd: 4 })).toMatch(/whole number/);
  });
});
