import { resolve } from 'node:path';
import { printTable, sharedDatasets, type BenchMain } from './lib.js';
import { loadCsvSeries, type LoadedSeries } from './forecast/loadCsvSeries.js';
import {
  cutOffs,
  meanSd,
  scoreFold,
  type CandidateSet,
  type FoldScore,
  type ProtocolOptions,
} from './forecast/rollingOrigin.js';
import { BASELINES } from '../src/forecast/Forecaster.js';
import { initTf } from '../src/forecast/tf/initTf.js';

/**
 * `npm run bench -- forecast-protocol [--dev-folds 14] [--final-folds 3] [--train-days 30] [--series a,b]`
 * The model-selection protocol: rolling-origin backtests at daily cut-offs on series of different shapes. Each fold
 * fits on at most `--train-days` before its cut-off and is scored on the day after it (every origin of that day,
 * horizons 1..12). Development folds end before each series' last week and are the only ones a decision reads;
 * final folds (inside the last week) are printed apart. The LSTM is left out: one fit costs 30-100 s, times
 * ~60 folds would not fit in minutes on a shared 2-core machine.
 * Candidate sets (every model fitted once per fold, each set assembled from those fits): `current` = the baselines
 * and their ensemble chosen by mean validation MASE over horizons (the rule before per-horizon selection),
 * `with_ridge` = the same with ridge; `horizon` / `horizon_ridge` = per-horizon selection (the lowest validation MAE
 * at that horizon among single candidates and top-3 blends, a model or blend only where it beats the best baseline)
 * without / with ridge; `refit_ridge` = `horizon_ridge` serving ridge refitted on the whole training part after
 * selection (`forecast.refitAfterSelection`); `hedged_ridge` = the same with a blend preferred to a single candidate within 5 % of it;
 * `gated_ridge` = always the blend of the best baseline and the models beating it;
 * `best_ridge` = one model per horizon; round seven's `robust_ridge` / `longrun_ridge` / `prior_ridge` = the hedged
 * choice on the median of daily validation errors, with the parameter-free baselines scored over the whole history /
 * by the better of that and their validation record (see src/forecast/selectHorizonWeights.ts); round eight's
 * `clean_ridge` = the hedged choice on the validation targets whose day, day before and day a week before were of
 * usual shape (src/forecast/unusualDays.ts). Decision printed at the end, per set: in how many series × horizon (1..12) cells its mean development
 * MASE is no worse than the best baseline's, and per h1/h12 cell the paired differences to `current` and to the
 * default (`hedged_ridge`) across folds (keys `<series>_chosen_<set>_h<h>_minus_default[_se]`).
 */
const SERIES: Record<string, { file: string; column: string; step?: number }> = {
  nasa_5min: { file: 'forecast_web_traffic/nasa_http_5min.csv', column: 'requests' },
  nyc_taxi: { file: 'nab/data/realKnownCause/nyc_taxi.csv', column: 'value' },
  aws_elb: { file: 'nab/data/realAWSCloudwatch/elb_request_count_8c0756.csv', column: 'value' },
  aws_network_in: { file: 'nab/data/realAWSCloudwatch/ec2_network_in_257a54.csv', column: 'value' },
  traffic_occupancy: { file: 'nab/data/realTraffic/occupancy_t4013.csv', column: 'value', step: 300 },
  nasa_1min: { file: 'forecast_web_traffic/nasa_http_1min.csv', column: 'requests' },
};
const DEFAULT_SERIES = 'nasa_5min,nasa_1min,nyc_taxi,aws_elb,aws_network_in,traffic_occupancy';
const CURRENT = ['naive', 'seasonal_naive_day', 'seasonal_naive_week', 'holt_winters', 'ensemble'] as const;
const RIDGE = [...CURRENT.slice(0, 4), 'ridge', 'ensemble'] as const;
const SETS: Record<string, CandidateSet> = {
  current: { models: [...CURRENT], selection: 'mean' },
  with_ridge: { models: [...RIDGE], selection: 'mean' },
  horizon: { models: [...CURRENT], selection: 'per_horizon' },
  horizon_ridge: { models: [...RIDGE], selection: 'per_horizon' },
  refit_ridge: { models: [...RIDGE], selection: 'per_horizon', refit: true },
  hedged_ridge: { models: [...RIDGE], selection: 'per_horizon_hedged' },
  gated_ridge: { models: [...RIDGE], selection: 'per_horizon_gated' },
  best_ridge: { models: [...RIDGE], selection: 'per_horizon_best' },
  robust_ridge: { models: [...RIDGE], selection: 'per_horizon_robust' },
  longrun_ridge: { models: [...RIDGE], selection: 'per_horizon_longrun' },
  prior_ridge: { models: [...RIDGE], selection: 'per_horizon_prior' },
  clean_ridge: { models: [...RIDGE], selection: 'per_horizon_clean' },
};
const REPORTED_H = [1, 12];

export const main: BenchMain = async (ctx) => {
  await initTf();
  const options: ProtocolOptions = {
    candidateSets: SETS,
    horizon: 12,
    // The product's default history (forecast.historyDays 30).
    trainDays: ctx.numberOption('train-days', 30),
    testDays: 1,
    devFolds: ctx.numberOption('dev-folds', 14),
    finalFolds: Math.min(3, ctx.numberOption('final-folds', 3)),
    minTrainDays: 4,
  };
  const names = ctx.option('series', DEFAULT_SERIES).split(',');
  const out: Record<string, number> = {};
  const passes: Record<string, number> = Object.fromEntries(Object.keys(SETS).map((k) => [k, 0]));
  let cells = 0;
  const failing: string[] = [];
  const started = performance.now();
  for (const name of names) {
    const spec = SERIES[name];
    if (!spec)
      throw new Error(`--series: unknown series "${name}" (known: ${Object.keys(SERIES).join(', ')})`);
    const loaded = loadCsvSeries(
      resolve(sharedDatasets, spec.file),
      spec.column,
      spec.step ? { step: spec.step } : {},
    );
    const folds: FoldScore[] = [];
    for (const { cut, final } of cutOffs(loaded, options))
      folds.push(await scoreFold(loaded, cut, final, options));
    printFolds(name, loaded, folds);
    summarise(name, folds, out);
    cells += options.horizon;
    for (const label of Object.keys(SETS)) {
      const missed = missedHorizons(folds, `chosen:${label}`, options.horizon);
      passes[label]! += options.horizon - missed.length;
      if (missed.length) failing.push(`${label}: ${name} h${missed.join(',')}`);
    }
  }
  out.protocol_seconds = (performance.now() - started) / 1000;
  out.cells = cells;
  for (const [label, n] of Object.entries(passes)) out[`chosen_${label}_cells_ok`] = n;
  console.log(
    `\ndecision (development folds only): series × horizon cells (h1..h${options.horizon}) where the chosen forecast's ` +
      `mean MASE is no worse than the best baseline's: ` +
      Object.entries(passes)
        .map(([label, n]) => `${label} ${n}/${cells}`)
        .join(', '),
  );
  console.log(`cells worse than the best baseline:\n  ${failing.join('\n  ')}`);
  return out;
};

function printFolds(name: string, loaded: LoadedSeries, folds: FoldScore[]): void {
  const models = Object.keys(folds[0]?.mase ?? {}).filter(
    (m) => BASELINES.has(m) || m === 'ridge' || m.startsWith('chosen:'),
  );
  const rows = folds.map((f) => [
    new Date(f.cut * 1000).toISOString().slice(0, 10) + (f.final ? ' final' : ' dev'),
    Object.values(f.chosen).join(' / '),
    ...models.flatMap((m) => REPORTED_H.map((h) => f.mase[m]?.[h - 1] ?? NaN)),
    f.fitSeconds,
  ]);
  printTable(
    `forecast-protocol ${name}: step ${loaded.stepSeconds}s, ${folds.length} folds (MASE per fold, h1 | h12)`,
    [
      'cut-off',
      `chosen ${Object.keys(SETS).join(' / ')} (per horizon: h1>h${REPORTED_H.at(-1)})`,
      ...models.flatMap((m) => REPORTED_H.map((h) => `${m} h${h}`)),
      'fit s',
    ],
    rows,
  );
}

/** Mean ± sd across development folds per model and horizon, each chosen forecast against the best baseline and `current`. */
function summarise(name: string, folds: FoldScore[], out: Record<string, number>): void {
  const dev = folds.filter((f) => !f.final);
  const final = folds.filter((f) => f.final);
  const models = Object.keys(folds[0]?.mase ?? {});
  const rows: Array<Array<string | number>> = [];
  for (const m of models) {
    const row: Array<string | number> = [m, BASELINES.has(m) ? 'baseline' : 'model'];
    for (const h of REPORTED_H) {
      const d = meanSd(dev.map((f) => f.mase[m]?.[h - 1] ?? NaN));
      const fin = meanSd(final.map((f) => f.mase[m]?.[h - 1] ?? NaN));
      row.push(`${d.mean.toFixed(3)} ± ${d.sd.toFixed(3)}`, final.length ? fin.mean : NaN);
      const key = `${name}_${m.replace('chosen:', 'chosen_').replace('ensemble:', 'ensemble_')}_h${h}`;
      out[`${key}_mase`] = d.mean;
      out[`${key}_sd`] = d.sd;
    }
    rows.push(row);
  }
  printTable(
    `forecast-protocol ${name}: ${dev.length} development folds (mean ± sd across cut-offs), ${final.length} final folds (mean, not used to choose)`,
    ['model', 'kind', ...REPORTED_H.flatMap((h) => [`dev MASE h${h}`, `final h${h}`])],
    rows,
  );
  const verdicts: Array<Array<string | number>> = [];
  for (const h of REPORTED_H) {
    const { name: bestName, mase: best } = bestBaseline(dev, models, h);
    out[`${name}_best_baseline_h${h}_mase`] = best;
    for (const m of models.filter((x) => x.startsWith('chosen:'))) {
      const mine = meanSd(dev.map((f) => f.mase[m]?.[h - 1] ?? NaN)).mean;
      // Paired across folds: the spread of the fold-by-fold difference says whether a change is beyond noise.
      const diff = meanSd(
        dev.map((f) => (f.mase[m]?.[h - 1] ?? NaN) - (f.mase['chosen:current']?.[h - 1] ?? NaN)),
      );
      const n = dev.filter((f) => Number.isFinite(f.mase[m]?.[h - 1] ?? NaN)).length;
      const se = diff.sd / Math.sqrt(Math.max(1, n));
      const vsDefault = paired(dev, m, DEFAULT_SET, h);
      const key = `${name}_${m.replace('chosen:', 'chosen_')}_h${h}`;
      out[`${key}_minus_default`] = vsDefault.mean;
      out[`${key}_minus_default_se`] = vsDefault.se;
      verdicts.push([
        `h${h}`,
        m,
        mine,
        `${bestName} ${best.toFixed(3)}`,
        mine <= best ? 'ok' : 'WORSE',
        m === 'chosen:current'
          ? '-'
          : `${diff.mean >= 0 ? '+' : ''}${diff.mean.toFixed(3)} ± ${se.toFixed(3)}`,
        m === DEFAULT_SET
          ? '-'
          : `${vsDefault.mean >= 0 ? '+' : ''}${vsDefault.mean.toFixed(4)} ± ${vsDefault.se.toFixed(4)}`,
      ]);
    }
  }
  printTable(
    `${name} (development folds): each chosen forecast against the best baseline, and the paired difference to chosen:current and to the default ${DEFAULT_SET} (mean ± standard error over folds)`,
    ['h', 'chosen', 'dev MASE', 'best baseline', 'vs best baseline', 'minus current', 'minus default'],
    verdicts,
  );
}

/** The product's default selection (forecast.selection), the set a new rule must not be worse than. */
const DEFAULT_SET = 'chosen:hedged_ridge';

/** Mean and standard error across folds of the fold-by-fold difference a − b at horizon h. */
function paired(dev: FoldScore[], a: string, b: string, h: number): { mean: number; se: number } {
  const diffs = dev
    .map((f) => (f.mase[a]?.[h - 1] ?? NaN) - (f.mase[b]?.[h - 1] ?? NaN))
    .filter(Number.isFinite);
  const { mean, sd } = meanSd(diffs);
  return { mean, se: sd / Math.sqrt(Math.max(1, diffs.length)) };
}

function bestBaseline(dev: FoldScore[], models: string[], h: number): { name: string; mase: number } {
  const scored = models
    .filter((m) => BASELINES.has(m))
    .map((m) => ({ name: m, mase: meanSd(dev.map((f) => f.mase[m]?.[h - 1] ?? NaN)).mean }));
  return scored.reduce((a, b) => (b.mase < a.mase ? b : a));
}

/** Horizons 1..H where the model's mean development MASE is worse than the best baseline's. */
function missedHorizons(folds: FoldScore[], model: string, H: number): number[] {
  const dev = folds.filter((f) => !f.final);
  const models = Object.keys(folds[0]?.mase ?? {});
  const missed: number[] = [];
  for (let h = 1; h <= H; h++) {
    if (!(meanSd(dev.map((f) => f.mase[model]?.[h - 1] ?? NaN)).mean <= bestBaseline(dev, models, h).mase))
      missed.push(h);
  }
  return missed;
}
