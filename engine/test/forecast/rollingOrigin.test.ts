import { describe, expect, it } from 'vitest';
import {
  cutOffs,
  FINAL_DAYS,
  meanSd,
  scoreFold,
  type ProtocolOptions,
} from '../../bench/forecast/rollingOrigin.js';

/** The forecast-protocol bench's fold logic: development folds never read the series' last week. */
const options: ProtocolOptions = {
  candidateSets: {
    current: ['naive', 'seasonal_naive_day', 'holt_winters', 'ensemble'],
    with_ridge: ['naive', 'ridge', 'ensemble'],
    hedged: {
      models: ['naive', 'seasonal_naive_day', 'holt_winters', 'ridge', 'ensemble'],
      selection: 'per_horizon_hedged',
      refit: true,
    },
  },
  horizon: 4,
  trainDays: 10,
  testDays: 1,
  devFolds: 14,
  finalFolds: 3,
  minTrainDays: 4,
};

function daily(days: number, step: number) {
  const timestamps = Array.from(
    { length: (days * 86400) / step },
    (_, i) => 1_700_000_000 + 3600 * 7 + i * step,
  );
  const values = timestamps.map(
    (t, i) => 100 + 50 * Math.sin((2 * Math.PI * t) / 86400) + 5 * Math.sin(i * 1.7),
  );
  return { timestamps, values, stepSeconds: step };
}

describe('rolling-origin protocol folds', () => {
  it('keeps every development test day before the last week and final folds inside it', () => {
    const loaded = daily(40, 1800);
    const last = loaded.timestamps.at(-1)!;
    const folds = cutOffs(loaded, options);
    const dev = folds.filter((f) => !f.final);
    const final = folds.filter((f) => f.final);
    expect(dev).toHaveLength(14);
    expect(final).toHaveLength(3);
    for (const f of dev) expect(f.cut + 86400).toBeLessThanOrEqual(last - FINAL_DAYS * 86400);
    for (const f of final) expect(f.cut).toBeGreaterThan(last - FINAL_DAYS * 86400);
    // Daily cut-offs, one day apart, none before the minimum training history.
    const cuts = dev.map((f) => f.cut);
    expect(new Set(cuts.slice(1).map((c, i) => c - cuts[i]!))).toEqual(new Set([86400]));
    expect(cuts[0]! - loaded.timestamps[0]!).toBeGreaterThanOrEqual(options.minTrainDays * 86400);
  });

  it('gives short series only the folds their history allows', () => {
    const folds = cutOffs(daily(14, 1800), options);
    expect(folds.filter((f) => !f.final).length).toBeLessThanOrEqual(3);
    expect(folds.filter((f) => !f.final).length).toBeGreaterThan(0);
  });

  it('scores every model of every candidate set on the day after the cut-off', async () => {
    const loaded = daily(20, 1800);
    const [fold] = cutOffs(loaded, options).filter((f) => !f.final);
    const score = await scoreFold(loaded, fold!.cut, false, options);
    for (const name of [
      'naive',
      'seasonal_naive_day',
      'holt_winters',
      'ridge',
      'chosen:current',
      'chosen:with_ridge',
      'ensemble:with_ridge',
      'chosen:hedged',
    ]) {
      expect(score.mase[name], name).toHaveLength(options.horizon);
      for (const m of score.mase[name]!) expect(Number.isFinite(m), name).toBe(true);
    }
    // A smooth daily wave: the seasonal naive and ridge beat carrying the last value forward at the longest horizon.
    expect(score.mase.ridge![3]!).toBeLessThan(score.mase.naive![3]!);
    // Per-horizon sets are named by their heaviest member at h1 and at the last horizon (or the one model serving all).
    expect(score.chosen.hedged).toMatch(/^[a-z_]+(\+?>[a-z_]+\+?)?$/);
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
  }, 60_000);
});
