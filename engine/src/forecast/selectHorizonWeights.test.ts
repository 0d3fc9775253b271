import { describe, expect, it } from 'vitest';
import { selectHorizonWeights } from './selectHorizonWeights.js';

/** Validation MAE per model at horizons 1 and 2. */
const mae = new Map<string, number[]>([
  ['naive', [1.0, 4.0]],
  ['seasonal_naive_week', [3.0, 2.0]],
  ['holt_winters', [1.5, 2.5]],
  ['ridge', [1.2, 1.0]],
  ['lstm', [0.8, 3.0]],
]);

describe('selectHorizonWeights', () => {
  it('the gated blend keeps the best baseline and only the models that beat it there', () => {
    const [h1, h2] = selectHorizonWeights(mae, 2, 'per_horizon_gated');
    // h1: naive (1.0) is the best baseline; lstm (0.8) beats it, ridge (1.2) does not.
    expect(Object.keys(h1!).sort()).toEqual(['lstm', 'naive']);
    expect(h1!.lstm! / h1!.naive!).toBeCloseTo(1 / 0.8 ** 2 / (1 / 1 ** 2), 9);
    // h2: the weekly seasonal naive (2.0) is the best baseline; ridge beats it, lstm (3.0) does not.
    expect(Object.keys(h2!).sort()).toEqual(['ridge', 'seasonal_naive_week']);
    for (const w of [h1!, h2!]) expect(Object.values(w).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('falls back to the best baseline alone where no model beats it, and picks one model per horizon in best mode', () => {
    const worse = new Map(
      [...mae].map(([k, v]) => [k, k === 'ridge' || k === 'lstm' ? v.map((x) => x + 10) : v]),
    );
    expect(selectHorizonWeights(worse, 2, 'per_horizon_gated')).toEqual([
      { naive: 1 },
      { seasonal_naive_week: 1 },
    ]);
    // Blends no better than the best baseline on validation: the per-horizon choice is the best baseline too.
    expect(selectHorizonWeights(worse, 2, 'per_horizon', () => 50)).toEqual([
      { naive: 1 },
      { seasonal_naive_week: 1 },
    ]);
    expect(selectHorizonWeights(mae, 2, 'per_horizon_best')).toEqual([{ lstm: 1 }, { ridge: 1 }]);
  });

  it('per horizon takes a blend only where its validation error beats every single candidate and the best baseline', () => {
    // The ungated top-3 blend scores 0.5 at h1 (better than lstm's 0.8) and 2.2 at h2 (worse than the best baseline).
    const blendOnly = (w: Record<string, number>, h: number) =>
      Object.keys(w).length === 3 ? [0.5, 2.2][h]! : 99;
    const [h1, h2] = selectHorizonWeights(mae, 2, 'per_horizon', blendOnly);
    expect(Object.keys(h1!).sort()).toEqual(['lstm', 'naive', 'ridge']);
    expect(h2).toEqual({ ridge: 1 });
    const notBetter = new Map([...mae].map(([k, v]) => [k, k === 'ridge' ? [1.2, 2.5] : v]));
    // h2 now: best baseline seasonal_naive_week 2.0; the blend at 2.2 and every model lose to it.
    expect(selectHorizonWeights(notBetter, 2, 'per_horizon', blendOnly)[1]).toEqual({
      seasonal_naive_week: 1,
    });
  });

  it('hedged mode prefers a blend within 5 % of the best single candidate, and still gates it by the best baseline', () => {
    // h1: lstm 0.8 alone vs the top-3 blend at 0.83 (within 5 %); h2: ridge 1.0 vs the blend at 1.2 (not within).
    const blend = (w: Record<string, number>, h: number) =>
      Object.keys(w).length === 3 ? [0.83, 1.2][h]! : 99;
    const [h1, h2] = selectHorizonWeights(mae, 2, 'per_horizon_hedged', blend);
    expect(Object.keys(h1!).sort()).toEqual(['lstm', 'naive', 'ridge']);
    expect(h2).toEqual({ ridge: 1 });
    expect(selectHorizonWeights(mae, 2, 'per_horizon', blend)[0]).toEqual({ lstm: 1 });
    // A blend that does not beat the best baseline (naive 1.0 at h1) is not taken, however close to it.
    const noModel = new Map([...mae].filter(([k]) => k !== 'lstm' && k !== 'ridge'));
    expect(selectHorizonWeights(noModel, 1, 'per_horizon_hedged', () => 1.02)[0]).toEqual({ naive: 1 });
  });

  it('mean mode keeps the ungated top three, and a horizon with no scored target weights every candidate equally', () => {
    const [h1] = selectHorizonWeights(mae, 1, 'mean');
    expect(Object.keys(h1!).sort()).toEqual(['lstm', 'naive', 'ridge']);
    const empty = new Map([...mae].map(([k]) => [k, [NaN]]));
    for (const mode of [
      'mean',
      'per_horizon',
      'per_horizon_hedged',
      'per_horizon_gated',
      'per_horizon_best',
    ] as const) {
      expect(selectHorizonWeights(empty, 1, mode)[0]).toEqual(
        Object.fromEntries([...mae.keys()].map((k) => [k, 0.2])),
      );
    }
  });
});
