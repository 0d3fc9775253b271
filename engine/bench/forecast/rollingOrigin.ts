import { forecastConfigSchema, type ModelName } from '../../src/forecast/config.js';
import {
  assembleForecaster,
  fitCandidates,
  refitCandidates,
  withModels,
} from '../../src/forecast/Forecaster.js';
import type { SelectionMode } from '../../src/forecast/selectHorizonWeights.js';
import { backtest } from '../../src/forecast/backtest.js';
import { prepareSeries } from '../../src/forecast/series/prepareSeries.js';
import type { LoadedSeries } from './loadCsvSeries.js';

/**
 * Rolling-origin evaluation over many cut-offs: for each cut-off the models are fitted (selection, ensemble
 * weights and all) on at most `trainDays` before it and scored on the `testDays` after it by rolling origin, one
 * score per model per horizon per fold. Cut-offs are whole days back from the end of the series; a fold whose test
 * part reaches into the series' last week is a *final* fold: reported, never used to choose anything.
 */
export interface ProtocolOptions {
  /**
   * Candidate sets per fold, by label (e.g. `current` vs `with_ridge`), each with its selection rule (`mean`, the
   * old rule, when only models are given); their `chosen` is reported. Every model is fitted once per fold and each
   * set is assembled from those fits, so sets differ only in which candidates and which rule they use.
   */
  candidateSets: Record<string, ModelName[] | CandidateSet>;
  horizon: number;
  trainDays: number;
  testDays: number;
  /** Development folds: the newest N cut-offs whose test part ends before the last week. */
  devFolds: number;
  /** Final folds: cut-offs inside the last week, every other day; at most 3. */
  finalFolds: number;
  minTrainDays: number;
}

export interface CandidateSet {
  models: ModelName[];
  selection: SelectionMode;
  /** Serve ridge refitted on the whole training part after selection (`forecast.refitAfterSelection`). */
  refit?: boolean;
}

export function candidateSet(set: ModelName[] | CandidateSet): CandidateSet {
  return Array.isArray(set) ? { models: set, selection: 'mean' } : set;
}

export interface FoldScore {
  cut: number;
  final: boolean;
  /** model (or `chosen:<set>`) → MASE per horizon 1..H. */
  mase: Record<string, number[]>;
  chosen: Record<string, string>;
  fitSeconds: number;
}

export const FINAL_DAYS = 7;

export function cutOffs(loaded: LoadedSeries, o: ProtocolOptions): Array<{ cut: number; final: boolean }> {
  const first = loaded.timestamps[0]!;
  const last = loaded.timestamps[loaded.timestamps.length - 1]!;
  const lastDay = Math.floor(last / 86400) * 86400;
  const cuts: Array<{ cut: number; final: boolean }> = [];
  // Final: every other day of the last week (1, 3, 5 days back), so they stay clear of the development tests.
  for (let j = 0; j < o.finalFolds; j++)
    cuts.push({ cut: lastDay - (o.testDays + 2 * j) * 86400, final: true });
  // Development: the test part [cut, cut + testDays) ends by the start of the last week.
  const devLast = Math.floor((last - FINAL_DAYS * 86400 - o.testDays * 86400) / 86400) * 86400;
  for (let k = 0; k < o.devFolds; k++) cuts.push({ cut: devLast - k * 86400, final: false });
  return cuts
    .filter(
      (c) =>
        c.cut - first >= o.minTrainDays * 86400 &&
        (c.final || c.cut + o.testDays * 86400 <= last - FINAL_DAYS * 86400),
    )
    .sort((a, b) => a.cut - b.cut);
}

export async function scoreFold(
  loaded: LoadedSeries,
  cut: number,
  final: boolean,
  o: ProtocolOptions,
): Promise<FoldScore> {
  const from = cut - o.trainDays * 86400;
  const to = cut + o.testDays * 86400;
  const idx = loaded.timestamps
    .map((t, i) => [t, i] as const)
    .filter(([t]) => t >= from && t < to)
    .map(([, i]) => i);
  const step = loaded.stepSeconds;
  const series = prepareSeries(
    idx.map((i) => loaded.timestamps[i]!),
    idx.map((i) => loaded.values[i]!),
    { stepSeconds: step, transform: 'auto', outageMinMinutes: 30, outageMaxZeroShare: 0.2 },
  );
  const testStart = Math.round((cut - series.start) / step);
  const mase: Record<string, number[]> = {};
  const chosen: Record<string, string> = {};
  const started = performance.now();
  const sets = Object.entries(o.candidateSets).map(([label, set]) => [label, candidateSet(set)] as const);
  const all = [...new Set(sets.flatMap(([, set]) => set.models))];
  const base = { stepSeconds: step, horizonSteps: o.horizon };
  const allConfig = forecastConfigSchema.parse({ ...base, models: all });
  const candidates = await fitCandidates(series, { config: allConfig, end: testStart, longRun: true });
  const refitted = sets.some(([, set]) => set.refit)
    ? await refitCandidates(candidates, allConfig, all)
    : new Map();
  for (const [label, set] of sets) {
    const config = forecastConfigSchema.parse({ ...base, models: set.models, selection: set.selection });
    const assembled = assembleForecaster(candidates, config);
    const forecaster = set.refit ? withModels(assembled, refitted) : assembled;
    const result = await backtest(forecaster, series, testStart);
    for (const [name, m] of Object.entries(result.models)) {
      // The ensemble differs per candidate set; every other model is the same fit in each set.
      const key = name === 'ensemble' && mase[name] ? `ensemble:${label}` : name;
      mase[key] ??= m.map((x) => x.mase);
    }
    mase[`chosen:${label}`] = result.models[result.chosen]!.map((x) => x.mase);
    chosen[label] =
      result.chosen === 'ensemble' && set.selection !== 'mean'
        ? picks(forecaster.spec.ensembleWeights, o.horizon)
        : result.chosen;
  }
  for (const m of [...candidates.fitted.values(), ...refitted.values()]) m.dispose?.();
  return { cut, final, mase, chosen, fitSeconds: (performance.now() - started) / 1000 };
}

/** `naive>ridge+`: the heaviest member at h1 and at the last horizon, `+` when it is a blend, for the per-fold table. */
function picks(weights: Array<Record<string, number>>, H: number): string {
  const top = (w: Record<string, number> | undefined) => {
    const sorted = Object.entries(w ?? {}).sort((a, b) => b[1] - a[1]);
    return (sorted[0]?.[0] ?? '-') + (sorted.length > 1 ? '+' : '');
  };
  return `${top(weights[0])}>${top(weights[H - 1])}`;
}

export function meanSd(xs: number[]): { mean: number; sd: number } {
  const f = xs.filter(Number.isFinite);
  const mean = f.reduce((a, b) => a + b, 0) / f.length;
  const sd = Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, f.length - 1));
  return { mean, sd };
}
