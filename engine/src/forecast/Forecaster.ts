import type { ForecastConfig, ModelName } from './config.js';
import { conformalQuantile, maseScale, MetricAccumulator, type HorizonMetrics } from './metrics.js';
import type { FittedModel, ForecastModel, SerializedModel } from './models/ForecastModel.js';
import { NaiveModel } from './models/NaiveModel.js';
import { SeasonalNaiveModel } from './models/SeasonalNaiveModel.js';
import { HoltWintersModel } from './models/HoltWintersModel.js';
import { LstmModel, updateLstm } from './models/LstmModel.js';
import { RidgeModel } from './models/RidgeModel.js';
import {
  inverseTransform,
  seasonalPeriods,
  type PreparedSeries,
  type Transform,
} from './series/prepareSeries.js';
import { EngineError } from '../errors.js';
import { calibrateMargin } from './autoscale/calibrateMargin.js';
import { BASELINES } from './baselines.js';
import { ENSEMBLE_SIZE, HEDGE, selectHorizonWeights, type SelectionMode } from './selectHorizonWeights.js';
import { dayOf, unusualDays } from './unusualDays.js';

export { BASELINES } from './baselines.js';
export { ENSEMBLE_SIZE } from './selectHorizonWeights.js';

/**
 * Fits every candidate on the older part of the history, scores them by rolling origin on the newer part
 * (validation), and keeps the winner (possibly the ensemble) with intervals calibrated on the same residuals.
 * The validation forecasts are out-of-sample for every model, so selection, ensemble weights and intervals are honest.
 */

export interface CandidateReport {
  name: string;
  status: 'fitted' | 'skipped' | 'failed';
  /** Why skipped or failed. */
  note?: string;
  validation?: HorizonMetrics[];
  /** Mean validation MASE over horizons. */
  score?: number;
}

export interface ForecastMatrix {
  /** origins × horizon, row-major, original scale. */
  point: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** The one-sided `planQuantile` of demand: what a replica plan covers by default. */
  plan: Float64Array;
}

export interface ForecasterSpec {
  version: 1;
  chosen: string;
  reason: string;
  horizon: number;
  transform: Transform;
  stepSeconds: number;
  coverage: number;
  candidates: CandidateReport[];
  models: SerializedModel[];
  /** Per horizon: member name → weight, for the ensemble. */
  ensembleWeights: Array<Record<string, number>>;
  /** Per model (and `ensemble`), per horizon: half-width of the interval in model space. */
  quantiles: Record<string, number[]>;
  /** Per model, per horizon: the `planQuantile` of signed validation residuals (actual − forecast), model space. */
  planOffsets: Record<string, number[]>;
  planQuantile: number;
  /**
   * The predictive scaling margin (`calibrateMargin`) learnt on the validation part with this forecaster's
   * out-of-sample forecasts; absent in specs stored before it existed.
   */
  scaleMargin?: number;
  trainedOn: { start: number; end: number; points: number };
  valid: boolean;
}

export function createModels(names: readonly ModelName[]): ForecastModel[] {
  const all: Record<Exclude<ModelName, 'ensemble'>, () => ForecastModel> = {
    naive: () => new NaiveModel(),
    seasonal_naive_day: () => new SeasonalNaiveModel('day'),
    seasonal_naive_week: () => new SeasonalNaiveModel('week'),
    holt_winters: () => new HoltWintersModel(),
    ridge: () => new RidgeModel(),
    lstm: () => new LstmModel(),
  };
  return names.filter((n): n is Exclude<ModelName, 'ensemble'> => n !== 'ensemble').map((n) => all[n]());
}

export class Forecaster {
  constructor(
    readonly spec: ForecasterSpec,
    readonly fitted: Map<string, FittedModel>,
  ) {}

  get chosen(): string {
    return this.spec.chosen;
  }

  get horizon(): number {
    return this.spec.horizon;
  }

  /** Forecasts of one model (or `ensemble`, or the chosen one by default) from each origin, original scale. */
  async forecastFrom(
    series: PreparedSeries,
    origins: ArrayLike<number>,
    name = this.spec.chosen,
  ): Promise<ForecastMatrix> {
    const z = await this.modelSpace(series, origins, name);
    return this.toOriginal(z, name);
  }

  async modelSpace(series: PreparedSeries, origins: ArrayLike<number>, name: string): Promise<Float64Array> {
    const H = this.spec.horizon;
    if (name !== 'ensemble') {
      const model = this.fitted.get(name);
      if (!model) throw new EngineError('NOT_FOUND', `model ${name} is not part of this forecaster`);
      return model.forecastFrom(series, origins);
    }
    const members = new Set(this.spec.ensembleWeights.flatMap((w) => Object.keys(w)));
    const outputs = new Map<string, Float64Array>();
    for (const m of members) outputs.set(m, await this.modelSpace(series, origins, m));
    const z = new Float64Array(origins.length * H);
    for (let h = 0; h < H; h++) {
      for (const [m, w] of Object.entries(this.spec.ensembleWeights[h]!)) {
        const f = outputs.get(m)!;
        for (let k = 0; k < origins.length; k++) z[k * H + h] = z[k * H + h]! + w * f[k * H + h]!;
      }
    }
    return z;
  }

  toOriginal(z: Float64Array, name: string): ForecastMatrix {
    const H = this.spec.horizon;
    const q = this.spec.quantiles[name] ?? new Array<number>(H).fill(Infinity);
    const t = this.spec.transform;
    const point = new Float64Array(z.length);
    const lower = new Float64Array(z.length);
    const upper = new Float64Array(z.length);
    const plan = new Float64Array(z.length);
    const offsets = this.spec.planOffsets[name] ?? new Array<number>(H).fill(0);
    for (let i = 0; i < z.length; i++) {
      const h = i % H;
      point[i] = inverseTransform(t, z[i]!);
      lower[i] = inverseTransform(t, z[i]! - q[h]!);
      upper[i] = inverseTransform(t, z[i]! + q[h]!);
      plan[i] = Math.max(point[i]!, inverseTransform(t, z[i]! + offsets[h]!));
    }
    return { point, lower, upper, plan };
  }

  toJSON(): ForecasterSpec {
    return this.spec;
  }

  dispose(): void {
    for (const m of this.fitted.values()) m.dispose?.();
  }
}

export interface FitForecasterOptions {
  config: ForecastConfig;
  /** Train on indices [0, end); defaults to the whole series. */
  end?: number;
  horizon?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
  /** Keep the parameter-free baselines' whole-history forecasts (the protocol bench assembles every mode from one fit). */
  longRun?: boolean;
}

export function validationLength(
  end: number,
  stepSeconds: number,
  horizon: number,
  config: ForecastConfig,
): number {
  const maxSteps = Math.round((config.maxValidationDays * 86400) / stepSeconds);
  return Math.max(horizon * 2, Math.min(maxSteps, Math.floor(end * config.validationFraction)));
}

/**
 * Every candidate fitted on [0, fitEnd) and its out-of-sample forecasts from each validation origin in
 * [fitEnd - 1, end - 1), scored per horizon. What selection reads; independent of how the candidates are combined,
 * so the protocol bench can compare combination rules on one fit.
 */
export interface ValidatedCandidates {
  series: PreparedSeries;
  H: number;
  V: number;
  fitEnd: number;
  end: number;
  origins: number[];
  fitted: Map<string, FittedModel>;
  reports: CandidateReport[];
  zByModel: Map<string, Float64Array>;
  evaluations: Map<string, Evaluation>;
  scoreOf: (z: Float64Array) => Evaluation;
  /**
   * The parameter-free baselines' forecasts from every origin of the history that has a week (else a day) behind
   * it: out of sample everywhere, so they can be scored over far more than the validation part. Only computed for
   * the long-run selection modes (or `longRun: true`).
   */
  longRun?: LongRun;
}

interface LongRun {
  origins: number[];
  zByModel: Map<string, Float64Array>;
}

/** Baselines without fitted parameters: any forecast of theirs inside the history is out of sample. */
export const PARAMETER_FREE: ReadonlySet<string> = new Set([
  'naive',
  'seasonal_naive_day',
  'seasonal_naive_week',
]);

type Evaluation = ReturnType<typeof horizonErrors>;

export async function fitCandidates(
  series: PreparedSeries,
  options: FitForecasterOptions,
): Promise<ValidatedCandidates> {
  const { config } = options;
  const end = options.end ?? series.z.length;
  const H = options.horizon ?? config.horizonSteps;
  const V = validationLength(end, series.stepSeconds, H, config);
  const fitEnd = end - V;
  if (fitEnd < 2) {
    throw new EngineError('INVALID_INPUT', `history too short to forecast: ${end} steps`, {
      issues: [{ field: 'history', message: `need more than ${V + 2} steps at ${series.stepSeconds}s` }],
    });
  }
  const progress = options.onProgress ?? (() => {});
  const ctxBase = { config, horizon: H, fitEnd, signal: options.signal };
  const models = createModels(config.models);
  const fitted = new Map<string, FittedModel>();
  const reports: CandidateReport[] = [];
  for (const [i, model] of models.entries()) {
    const share = 0.85 / models.length;
    const why = model.unavailable(series, ctxBase);
    if (why) {
      reports.push({ name: model.name, status: 'skipped', note: why });
      continue;
    }
    progress(i * share, `fitting ${model.name}`);
    try {
      fitted.set(
        model.name,
        await model.fit(series, {
          ...ctxBase,
          onProgress: (f, m) => progress(i * share + f * share, `${model.name}: ${m}`),
        }),
      );
      reports.push({ name: model.name, status: 'fitted' });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      reports.push({
        name: model.name,
        status: 'failed',
        note: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (fitted.size === 0) throw new EngineError('INTERNAL', 'no forecast model could be fitted');
  progress(0.88, 'validating');

  // Rolling-origin validation: every origin whose targets fall inside [fitEnd, end).
  const origins: number[] = [];
  for (let o = fitEnd - 1; o < end - 1; o++) origins.push(o);
  const scale = maseScale(series.values, series.observed, fitEnd, seasonalPeriods(series.stepSeconds).day);
  const scoreOf = (z: Float64Array) =>
    horizonErrors(series, origins, z, H, end, config.intervalCoverage, config.autoscale.planQuantile, scale);
  const zByModel = new Map<string, Float64Array>();
  const evaluations = new Map<string, Evaluation>();
  for (const [name, model] of fitted) {
    const z = await model.forecastFrom(series, origins);
    zByModel.set(name, z);
    evaluations.set(name, scoreOf(z));
  }
  const wantLongRun = options.longRun ?? LONG_RUN_MODES.has(config.selection);
  const longRun = wantLongRun ? await longRunForecasts(series, fitted, fitEnd, end) : undefined;
  return { series, H, V, fitEnd, end, origins, fitted, reports, zByModel, evaluations, scoreOf, longRun };
}

const LONG_RUN_MODES: ReadonlySet<SelectionMode> = new Set(['per_horizon_longrun', 'per_horizon_prior']);

/** The parameter-free baselines' forecasts from every origin with a week (else a day) of history behind it. */
async function longRunForecasts(
  series: PreparedSeries,
  fitted: Map<string, FittedModel>,
  fitEnd: number,
  end: number,
): Promise<LongRun> {
  const periods = seasonalPeriods(series.stepSeconds);
  const first = Math.min(fitEnd - 1, periods.week ?? periods.day ?? 1);
  const origins: number[] = [];
  for (let o = first; o < end - 1; o++) origins.push(o);
  const zByModel = new Map<string, Float64Array>();
  for (const [name, model] of fitted)
    if (PARAMETER_FREE.has(name)) zByModel.set(name, await model.forecastFrom(series, origins));
  return { origins, zByModel };
}

/**
 * Selection and calibration over validated candidates: which model (or per-horizon combination) is served, with
 * intervals, plan offsets and the scaling margin from the same out-of-sample validation forecasts. Only the
 * candidates named in `config.models` take part; `config.selection` says how they are combined.
 */
export function assembleForecaster(c: ValidatedCandidates, config: ForecastConfig): Forecaster {
  const { series, H, V, fitEnd, end, origins } = c;
  const names = [...c.fitted.keys()].filter((n) => config.models.includes(n as ModelName));
  const reports: CandidateReport[] = c.reports
    .filter((r) => config.models.includes(r.name as ModelName))
    .map((r) => ({ ...r }));
  const evaluations = new Map(names.map((n) => [n, c.evaluations.get(n)!] as const));
  const mode = config.selection;

  let ensembleWeights: Array<Record<string, number>> = [];
  let ensembleZ: Float64Array | undefined;
  let leftOut: string | undefined;
  if (config.models.includes('ensemble') && names.length >= 2) {
    const { maeByModel, errorOf, note: scoresNote } = selectionScores(c, names, mode);
    leftOut = scoresNote;
    ensembleWeights = selectHorizonWeights(maeByModel, H, mode, errorOf);
    const z = new Float64Array(origins.length * H);
    for (let h = 0; h < H; h++) {
      for (const [m, w] of Object.entries(ensembleWeights[h]!)) {
        const f = c.zByModel.get(m)!;
        for (let k = 0; k < origins.length; k++) z[k * H + h] = z[k * H + h]! + w * f[k * H + h]!;
      }
    }
    ensembleZ = z;
    evaluations.set('ensemble', c.scoreOf(z));
    const note = {
      mean: `top ${ENSEMBLE_SIZE} per horizon, weights 1/MAE²`,
      per_horizon: `per horizon: the lowest validation MAE among the candidates and their top-${ENSEMBLE_SIZE} blends, a model or blend only where it beats the best baseline`,
      per_horizon_hedged: `per horizon: as per_horizon, a blend preferred to a single candidate within ${HEDGE * 100} % of it`,
      per_horizon_gated: `per horizon: the best baseline and the models beating it on validation there, top ${ENSEMBLE_SIZE} weighted 1/MAE²`,
      per_horizon_best: 'per horizon: the single candidate with the lowest validation MAE',
      per_horizon_robust: `per horizon: as per_horizon_hedged, each validation error the median over days of the day's MAE`,
      per_horizon_longrun: `per horizon: as per_horizon_robust, the parameter-free baselines scored over the whole history`,
      per_horizon_prior: `per horizon: as per_horizon_robust, a parameter-free baseline scored by the better of its validation and whole-history record`,
      per_horizon_clean: `per horizon: as per_horizon_hedged, every candidate scored without the validation targets whose day, day before or day a week before was unusual`,
    }[mode];
    reports.push({ name: 'ensemble', status: 'fitted', note });
  }

  const quantiles: Record<string, number[]> = {};
  const planOffsets: Record<string, number[]> = {};
  for (const [name, ev] of evaluations) {
    quantiles[name] = ev.quantiles;
    planOffsets[name] = ev.planOffsets;
    const report = reports.find((r) => r.name === name)!;
    report.validation = ev.metrics;
    report.score = mean(ev.metrics.map((m) => m.mase));
  }
  const ranked = reports
    .filter((r) => r.status === 'fitted' && Number.isFinite(r.score))
    .sort((a, b) => a.score! - b.score!);
  const perHorizon = mode !== 'mean' && ensembleZ !== undefined;
  // One model at every horizon is served (and named) as itself: the combination would be the same forecast.
  const only = perHorizon ? soleMember(ensembleWeights) : undefined;
  const best = perHorizon
    ? reports.find((r) => r.name === (only ?? 'ensemble'))!
    : (ranked[0] ?? reports.find((r) => r.status === 'fitted')!);
  const bestBaseline = ranked.find((r) => BASELINES.has(r.name));
  const runnerUp = ranked.find((r) => r.name !== best.name);
  const fmt = (r: CandidateReport | undefined) => (r ? `${r.name} ${r.score!.toFixed(3)}` : 'none');
  const skipped = reports.filter((r) => r.status !== 'fitted').map((r) => `${r.name} (${r.note})`);
  const why = perHorizon
    ? `${best.name}: chosen per horizon on the last ${V} steps held out from fitting (${describeWeights(ensembleWeights)}; ` +
      `mean validation MASE ${fmt(best)}; best other single model ${fmt(ranked.find((r) => r.name !== 'ensemble' && r.name !== best.name))}; best baseline ${fmt(bestBaseline)})`
    : `${best.name}: lowest mean validation MASE over horizons 1..${H} on the last ${V} steps held out from fitting ` +
      `(${fmt(best)}; runner-up ${fmt(runnerUp)}; best baseline ${fmt(bestBaseline)})`;
  const reason =
    why + (leftOut ? `; ${leftOut}` : '') + (skipped.length ? `; not used: ${skipped.join(', ')}` : '');
  const lastMase = best.validation?.[H - 1]?.mase ?? NaN;

  // The scaling margin from the chosen model's out-of-sample validation forecasts (before any LSTM update).
  const chosenZ = best.name === 'ensemble' ? ensembleZ : c.zByModel.get(best.name);
  const scaleMargin = chosenZ
    ? calibrateMargin(
        {
          start: series.start,
          stepSeconds: series.stepSeconds,
          demand: series.values,
          observed: series.observed,
          from: fitEnd,
          to: end,
          forecast: (o) => {
            const k = o - (fitEnd - 1);
            if (k < 0 || k >= origins.length) return undefined;
            return Array.from(chosenZ.subarray(k * H, (k + 1) * H), (z) =>
              inverseTransform(series.transform, z),
            );
          },
        },
        config.autoscale,
      ).margin
    : undefined;

  const fitted = new Map([...c.fitted].filter(([n]) => names.includes(n)));
  const spec: ForecasterSpec = {
    version: 1,
    chosen: best.name,
    reason,
    horizon: H,
    transform: series.transform,
    stepSeconds: series.stepSeconds,
    coverage: config.intervalCoverage,
    candidates: reports,
    models: [...fitted.values()].map((m) => m.toJSON()),
    ensembleWeights,
    quantiles,
    planOffsets,
    planQuantile: config.autoscale.planQuantile,
    ...(scaleMargin !== undefined ? { scaleMargin } : {}),
    trainedOn: { start: series.start, end: series.start + (end - 1) * series.stepSeconds, points: end },
    // The gate: a model no better than a wild guess is never promoted (NaN when validation had no targets).
    valid: Number.isFinite(lastMase) ? lastMase <= config.promotionMaxMase : false,
  };
  return new Forecaster(spec, fitted);
}

type Scores = {
  maeByModel: Map<string, number[]>;
  errorOf: (weights: Record<string, number>, h: number) => number;
  /** What the scores left out, for the forecaster's reason. */
  note?: string;
};

/**
 * What selection ranks, per candidate and horizon: the validation MAE (default), or for the robust modes the median
 * over validation days of each day's MAE, with the parameter-free baselines scored over the whole history in the
 * long-run modes. Blends are always scored on the validation part (their fitted members exist only there).
 */
function selectionScores(c: ValidatedCandidates, names: string[], mode: SelectionMode): Scores {
  if (mode === 'per_horizon_clean') return cleanScores(c, names);
  const robust =
    mode === 'per_horizon_robust' || mode === 'per_horizon_longrun' || mode === 'per_horizon_prior';
  const long = mode === 'per_horizon_longrun' || mode === 'per_horizon_prior';
  const agg = robust ? median : mean;
  const day =
    seasonalPeriods(c.series.stepSeconds).day ?? Math.max(1, Math.round(86400 / c.series.stepSeconds));
  const score = (origins: number[], members: Array<readonly [Float64Array, number]>, h: number) =>
    agg(dailyMae(c, origins, members, h, day));
  const maeByModel = new Map<string, number[]>();
  for (const n of names) {
    if (long && !c.longRun)
      throw new EngineError('INTERNAL', `selection ${mode} needs the candidates fitted with longRun`);
    const longZ = long ? c.longRun!.zByModel.get(n) : undefined;
    const row: number[] = [];
    for (let h = 0; h < c.H; h++) {
      const recent = robust
        ? score(c.origins, [[c.zByModel.get(n)!, 1]], h)
        : c.evaluations.get(n)!.metrics[h]!.mae;
      const longRun = longZ ? score(c.longRun!.origins, [[longZ, 1]], h) : NaN;
      row.push(!longZ ? recent : mode === 'per_horizon_prior' ? Math.min(recent, longRun) : longRun);
    }
    maeByModel.set(n, row);
  }
  const errorOf = (weights: Record<string, number>, h: number) => {
    const members = Object.entries(weights).map(([m, w]) => [c.zByModel.get(m)!, w] as const);
    return robust ? score(c.origins, members, h) : blendError(c, members, h);
  };
  return { maeByModel, errorOf };
}

/**
 * Validation MAE per candidate and blend over the targets left once the unusual days are set aside (`unusualDays`):
 * a target is left out, for every candidate alike, when its own day, the day before (the daily seasonal naive's
 * reference) or the day a week before (the weekly one's) was unusual. Where fewer than a day of targets would remain
 * at a horizon, every target counts there (selection on a few hours would be noise of another kind).
 */
function cleanScores(c: ValidatedCandidates, names: string[]): Scores {
  const { series, fitEnd, end, H } = c;
  const found = unusualDays(
    { start: series.start, stepSeconds: series.stepSeconds, values: series.z, observed: series.observed },
    end,
  );
  const unusual = found.unusual;
  const keep = new Uint8Array(end);
  for (let t = fitEnd; t < end; t++) {
    const d = dayOf(series, t);
    keep[t] = unusual.has(d) || unusual.has(d - 1) || unusual.has(d - 7) ? 0 : 1;
  }
  const day = seasonalPeriods(series.stepSeconds).day ?? Math.max(1, Math.round(86400 / series.stepSeconds));
  const masks: Array<Uint8Array | undefined> = [];
  for (let h = 0; h < H; h++) {
    let n = 0;
    for (const o of c.origins) if (o + h + 1 < end && series.observed[o + h + 1] && keep[o + h + 1]) n++;
    masks.push(n >= day ? keep : undefined);
  }
  const maeByModel = new Map(
    names.map((n) => [n, masks.map((m, h) => blendError(c, [[c.zByModel.get(n)!, 1]], h, m))] as const),
  );
  const errorOf = (weights: Record<string, number>, h: number) =>
    blendError(
      c,
      Object.entries(weights).map(([m, w]) => [c.zByModel.get(m)!, w] as const),
      h,
      masks[h],
    );
  const dates = [...unusual]
    .sort((a, b) => a - b)
    .map((d) => new Date(d * 86400_000).toISOString().slice(0, 10));
  const fellBack = masks.filter((m) => !m).length;
  const note = found.note
    ? `no day judged unusual (${found.note})`
    : `validation without the targets touched by unusual days (${dates.join(', ') || 'none'})` +
      (fellBack ? `, every target kept at ${fellBack} horizon(s) where less than a day would remain` : '');
  return { maeByModel, errorOf, note };
}

/** MAE (original scale) per day at horizon index h, days counted back from the end of the validated part. */
function dailyMae(
  c: ValidatedCandidates,
  origins: number[],
  members: Array<readonly [Float64Array, number]>,
  h: number,
  day: number,
): number[] {
  const { series, H, end } = c;
  const sums = new Map<number, [number, number]>();
  for (let k = 0; k < origins.length; k++) {
    const t = origins[k]! + h + 1;
    if (t >= end || !series.observed[t]) continue;
    let z = 0;
    for (const [f, w] of members) z += w * f[k * H + h]!;
    const d = Math.floor((end - 1 - t) / day);
    const acc = sums.get(d) ?? [0, 0];
    acc[0] += Math.abs(series.values[t]! - inverseTransform(series.transform, z));
    acc[1]++;
    sums.set(d, acc);
  }
  return [...sums.values()].map(([s, n]) => s / n);
}

/**
 * Validation MAE (original scale) at horizon index h of a weighted combination of validated candidates, over the
 * targets `keep` marks (all when absent).
 */
function blendError(
  c: ValidatedCandidates,
  members: Array<readonly [Float64Array, number]>,
  h: number,
  keep?: Uint8Array,
): number {
  const { series, origins, H, end } = c;
  let sum = 0;
  let n = 0;
  for (let k = 0; k < origins.length; k++) {
    const t = origins[k]! + h + 1;
    if (t >= end || !series.observed[t] || (keep && !keep[t])) continue;
    let z = 0;
    for (const [f, w] of members) z += w * f[k * H + h]!;
    sum += Math.abs(series.values[t]! - inverseTransform(series.transform, z));
    n++;
  }
  return n ? sum / n : NaN;
}

function median(xs: number[]): number {
  const f = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!f.length) return NaN;
  const m = f.length >> 1;
  return f.length % 2 ? f[m]! : (f[m - 1]! + f[m]!) / 2;
}

function soleMember(weights: Array<Record<string, number>>): string | undefined {
  const names = new Set(weights.flatMap((w) => Object.keys(w)));
  return names.size === 1 ? [...names][0] : undefined;
}

/** `h1 naive; h2-12 ridge 0.7 + holt_winters 0.3`: the per-horizon weights, consecutive equal choices merged. */
export function describeWeights(weights: Array<Record<string, number>>): string {
  const label = (w: Record<string, number>) =>
    Object.entries(w)
      .sort((a, b) => b[1] - a[1])
      .map(([n, x]) => (Object.keys(w).length > 1 ? `${n} ${x.toFixed(2)}` : n))
      .join(' + ');
  const parts: string[] = [];
  let from = 0;
  for (let h = 1; h <= weights.length; h++) {
    const same = h < weights.length && label(weights[h]!) === label(weights[from]!);
    if (same) continue;
    parts.push(`h${from + 1}${h - 1 > from ? `-${h}` : ''} ${label(weights[from]!)}`);
    from = h;
  }
  return parts.join('; ');
}

/** Models cheap enough to refit on the whole history after selection (ridge: one least-squares solve, about 1 s). */
const REFIT = new Set(['ridge']);

/**
 * The cheap models among `names` fitted again on [0, end), validation part included: selection and intervals came
 * from the fit on [0, fitEnd), the served model also learns from the newest week (as the LSTM's warm-start update).
 */
export async function refitCandidates(
  c: ValidatedCandidates,
  config: ForecastConfig,
  names: Iterable<string>,
): Promise<Map<string, FittedModel>> {
  const refitted = new Map<string, FittedModel>();
  for (const model of createModels(
    [...names].filter((n) => REFIT.has(n) && c.fitted.has(n)) as ModelName[],
  )) {
    refitted.set(model.name, await model.fit(c.series, { config, horizon: c.H, fitEnd: c.end }));
  }
  return refitted;
}

/** The same forecaster serving `refitted` in place of the models of the same name. */
export function withModels(forecaster: Forecaster, refitted: ReadonlyMap<string, FittedModel>): Forecaster {
  const fitted = new Map([...forecaster.fitted].map(([n, m]) => [n, refitted.get(n) ?? m] as const));
  const spec = { ...forecaster.spec, models: [...fitted.values()].map((m) => m.toJSON()) };
  return new Forecaster(spec, fitted);
}

export async function fitForecaster(
  series: PreparedSeries,
  options: FitForecasterOptions,
): Promise<Forecaster> {
  const { config } = options;
  const progress = options.onProgress ?? (() => {});
  const candidates = await fitCandidates(series, options);
  let forecaster = assembleForecaster(candidates, config);
  if (config.refitAfterSelection) {
    const served =
      forecaster.chosen === 'ensemble'
        ? forecaster.spec.ensembleWeights.flatMap((w) => Object.keys(w))
        : [forecaster.chosen];
    const refitted = await refitCandidates(candidates, config, new Set(served));
    if (refitted.size) {
      forecaster = withModels(forecaster, refitted);
      forecaster.spec.reason += `; ${[...refitted.keys()].join(', ')} then refitted on all ${candidates.end} steps`;
    }
  }
  const { spec } = forecaster;
  const lstm = candidates.fitted.get('lstm');
  const { end, V } = candidates;
  if (
    lstm &&
    (spec.chosen === 'lstm' || (spec.chosen === 'ensemble' && spec.ensembleWeights.some((w) => 'lstm' in w)))
  ) {
    progress(0.92, 'updating lstm on the newest history');
    // The newest weeks, validation part included: three validation lengths keep older patterns in the mix.
    const update = await updateLstm(lstm, series, Math.max(0, end - 3 * V), end, config.lstm, {
      signal: options.signal,
    });
    if (update) spec.reason += `; lstm then updated ${update.epochs} epochs on the newest ${3 * V} steps`;
  }
  progress(1, `chose ${spec.chosen}`);
  return forecaster;
}

function horizonErrors(
  series: PreparedSeries,
  origins: number[],
  z: Float64Array,
  H: number,
  end: number,
  coverage: number,
  planQuantile: number,
  scale: number,
): { metrics: HorizonMetrics[]; quantiles: number[]; planOffsets: number[] } {
  const metrics: HorizonMetrics[] = [];
  const quantiles: number[] = [];
  const planOffsets: number[] = [];
  for (let h = 1; h <= H; h++) {
    const acc = new MetricAccumulator();
    const residuals: number[] = [];
    const signed: number[] = [];
    for (let k = 0; k < origins.length; k++) {
      const t = origins[k]! + h;
      if (t >= end || !series.observed[t]) continue;
      const f = z[k * H + h - 1]!;
      residuals.push(Math.abs(series.z[t]! - f));
      signed.push(series.z[t]! - f);
      acc.add(series.values[t]!, inverseTransform(series.transform, f));
    }
    metrics.push(acc.result(h, scale));
    quantiles.push(conformalQuantile(residuals, coverage));
    signed.sort((a, b) => a - b);
    planOffsets.push(
      signed.length ? signed[Math.min(signed.length - 1, Math.floor(signed.length * planQuantile))]! : 0,
    );
  }
  return { metrics, quantiles, planOffsets };
}

const mean = (xs: number[]) => {
  const finite = xs.filter(Number.isFinite);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
};
