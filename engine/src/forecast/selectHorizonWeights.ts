import { BASELINES } from './baselines.js';

/**
 * How the served forecast is put together from the candidates' validation errors, horizon by horizon.
 * - `mean`: one model (the top-3 blend counts as one) with the lowest validation MASE averaged over horizons 1..H;
 *   the weights returned are the blend's, ungated.
 * - `per_horizon`: at each horizon the lowest validation MAE among every single candidate, the blend of the top
 *   three (1/MAE²) and the blend of the top three of the gated pool (the best baseline and the models that beat it
 *   there). A model or blend that does not beat the best baseline at that horizon loses to it, so the fallback is
 *   the best baseline.
 * - `per_horizon_gated`: always the gated blend.
 * - `per_horizon_best`: the single candidate with the lowest validation MAE at that horizon.
 * - `per_horizon_hedged`: as `per_horizon`, but a blend beats a single candidate already when its validation error
 *   is within `HEDGE` of the single's (a near-tie on one validation week is noise; a blend hedges it).
 */
export type SelectionMode =
  | 'mean'
  | 'per_horizon'
  | 'per_horizon_hedged'
  | 'per_horizon_gated'
  | 'per_horizon_best'
  | 'per_horizon_robust'
  | 'per_horizon_longrun'
  | 'per_horizon_prior'
  | 'per_horizon_clean';

/**
 * Modes that differ from `per_horizon_hedged` only in how validation errors are aggregated (`Forecaster.ts`
 * `selectionScores`): the choice among candidates and blends is the hedged one.
 * - `per_horizon_robust`: each score is the median over validation days of the day's MAE (one unusual day cannot
 *   decide).
 * - `per_horizon_longrun`: as robust, and the baselines without fitted parameters (naive, seasonal naives) are scored
 *   over the whole history, where every forecast of theirs is out of sample.
 * - `per_horizon_prior`: as robust, and a parameter-free baseline is scored by the better of its validation-part
 *   and its whole-history score (a prior towards its long-run record when the recent window was unusual for it).
 * - `per_horizon_clean`: every candidate and blend scored by its validation MAE without the targets whose day, day
 *   before or day a week before was unusual by profile shape or level (`unusualDays.ts`), the same targets for all.
 */
export const HEDGED_MODES: ReadonlySet<SelectionMode> = new Set([
  'per_horizon_hedged',
  'per_horizon_robust',
  'per_horizon_longrun',
  'per_horizon_prior',
  'per_horizon_clean',
]);

/** Relative margin by which a single candidate must beat a blend in `per_horizon_hedged` (fixed, not tuned). */
export const HEDGE = 0.05;

export const ENSEMBLE_SIZE = 3;

export type Weights = Record<string, number>;

/**
 * Per horizon: member name → weight (summing to 1). `errorOf(weights, h)` is the validation MAE of that weighted
 * combination at horizon index h (0-based): how a blend is scored beside the single candidates. A horizon with no
 * scored validation target (a validation part that was all gaps) has no evidence: equal weights over every
 * candidate, never an empty sum (which forecast 0 — measured on NAB realTraffic, MASE 2.08 where every member was
 * below 0.9).
 */
export function selectHorizonWeights(
  maeByModel: ReadonlyMap<string, readonly number[]>,
  horizon: number,
  mode: SelectionMode,
  errorOf: (weights: Weights, h: number) => number = () => NaN,
): Weights[] {
  const weights: Weights[] = [];
  for (let h = 0; h < horizon; h++) {
    const scored = [...maeByModel.entries()]
      .filter(([, mae]) => Number.isFinite(mae[h]!) && mae[h]! > 0)
      .sort((a, b) => a[1][h]! - b[1][h]!);
    if (!scored.length) {
      weights.push(Object.fromEntries([...maeByModel.keys()].map((name) => [name, 1 / maeByModel.size])));
      continue;
    }
    const blend = inverseSquared(scored, h);
    const gatedBlend = inverseSquared(gated(scored, h), h);
    if (mode === 'mean') weights.push(blend);
    else if (mode === 'per_horizon_gated') weights.push(gatedBlend);
    else if (mode === 'per_horizon_best') weights.push({ [scored[0]![0]]: 1 });
    else {
      // Blends are compared at their error shrunk by HEDGE in hedged mode; the gate below uses their real error.
      const shrink = HEDGED_MODES.has(mode) ? 1 - HEDGE : 1;
      const options: Array<[Weights, number, number]> = [
        [{ [scored[0]![0]]: 1 }, scored[0]![1][h]!, scored[0]![1][h]!],
        ...[blend, gatedBlend].map(
          (w) => [w, errorOf(w, h), errorOf(w, h) * shrink] as [Weights, number, number],
        ),
      ];
      const bestBaseline = scored.find(([name]) => BASELINES.has(name));
      // A blend is a model too: it must beat the best baseline at this horizon (a NaN score never does).
      const eligible = options.filter(
        ([w, e]) => isBaselineOnly(w, bestBaseline?.[0]) || !bestBaseline || e < bestBaseline[1][h]!,
      );
      weights.push(eligible.reduce((a, b) => (b[2] < a[2] ? b : a))[0]);
    }
  }
  return weights;
}

function isBaselineOnly(w: Weights, baseline: string | undefined): boolean {
  const names = Object.keys(w);
  return names.length === 1 && names[0] === baseline;
}

function inverseSquared(sorted: Array<readonly [string, readonly number[]]>, h: number): Weights {
  const raw = sorted.slice(0, ENSEMBLE_SIZE).map(([name, mae]) => [name, 1 / mae[h]! ** 2] as const);
  const total = raw.reduce((s, [, w]) => s + w, 0);
  return Object.fromEntries(raw.map(([n, w]) => [n, w / total]));
}

/**
 * The best baseline at this horizon and the models that beat it there. A model no better than the best baseline on
 * validation gets no weight at that horizon (issue 11), so the fallback is always the best baseline itself. With no
 * baseline among the candidates every model stays in.
 */
function gated<T extends readonly [string, readonly number[]]>(sorted: T[], h: number): T[] {
  const best = sorted.find(([name]) => BASELINES.has(name));
  if (!best) return sorted;
  return sorted.filter(([name, mae]) => name === best[0] || (!BASELINES.has(name) && mae[h]! < best[1][h]!));
}
