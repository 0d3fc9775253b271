import { resolve } from 'node:path';
import { printTable, sharedDatasets, type BenchMain } from './lib.js';
import { loadCsvSeries, type LoadedSeries } from './forecast/loadCsvSeries.js';
import { cutOffs, meanSd, scoreFold, type FoldScore, type ProtocolOptions } from './forecast/rollingOrigin.js';
import { BASELINES } from '../src/forecast/Forecaster.js';
import { initTf } from '../src/forecast/tf/initTf.js';

/**
 * `npm run bench -- forecast-protocol [--dev-folds 14] [--final-folds 3] [--train-days 30] [--series a,b]`
 * The model-selection protocol: rolling-origin backtests at daily cut-offs on series of different shapes. Each fold
 * fits on at most `--train-days` before its cut-off and is scored on the day after it (every origin of that day,
 * horizons 1..12). Development folds end before each series' last week and are the only ones a decision reads;
 * final folds (inside the last week) are printed apart. The LSTM is left out: one fit costs 30-100 s, times
 * ~60 folds would not fit in minutes on a shared 2-core machine.
 * Decision printed at the end: `ridge` joins the default candidates only if, on every series and at h1 and h12, its
 * mean development MASE is no worse than the best baseline's. The selection with and without ridge is printed beside.
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
const REPORTED_H = [1, 12];

export const main: BenchMain = async (ctx) => {
  await initTf();
  const options: ProtocolOptions = {
    candidateSets: { current: [...CURRENT], with_ridge: [...CURRENT.slice(0, 4), 'ridge', 'ensemble'] },
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
  let ridgeOk = true;
  const started = performance.now();
  for (const name of names) {
    const spec = SERIES[name];
    if (!spec) throw new Error(`--series: unknown series "${name}" (known: ${Object.keys(SERIES).join(', ')})`);
    const loaded = loadCsvSeries(resolve(sharedDatasets, spec.file), spec.column, spec.step ? { step: spec.step } : {});
    const folds: FoldScore[] = [];
    for (const { cut, final } of cutOffs(loaded, options)) folds.push(await scoreFold(loaded, cut, final, options));
    printFolds(name, loaded, folds);
    const ok = summarise(name, folds, out);
    ridgeOk &&= ok;
  }
  out.ridge_joins_default = ridgeOk ? 1 : 0;
  out.protocol_seconds = (performance.now() - started) / 1000;
  console.log(
    `\ndecision (development folds only): ridge ${ridgeOk ? 'JOINS' : 'does NOT join'} the default candidates ` +
      `(ridge no worse than the best baseline at h1 and h12 on every series: ${ridgeOk})`,
  );
  return out;
};

function printFolds(name: string, loaded: LoadedSeries, folds: FoldScore[]): void {
  const models = Object.keys(folds[0]?.mase ?? {});
  const rows = folds.map((f) => [
    new Date(f.cut * 1000).toISOString().slice(0, 10) + (f.final ? ' final' : ' dev'),
    `${f.chosen.current} / ${f.chosen.with_ridge}`,
    ...models.flatMap((m) => REPORTED_H.map((h) => f.mase[m]?.[h - 1] ?? NaN)),
    f.fitSeconds,
  ]);
  printTable(
    `forecast-protocol ${name}: step ${loaded.stepSeconds}s, ${folds.length} folds (MASE per fold, h1 | h12)`,
    ['cut-off', 'chosen current / with ridge', ...models.flatMap((m) => REPORTED_H.map((h) => `${m} h${h}`)), 'fit s'],
    rows,
  );
}

/** Mean ± sd across development folds per model and horizon; returns whether ridge's selection holds up here. */
function summarise(name: string, folds: FoldScore[], out: Record<string, number>): boolean {
  const dev = folds.filter((f) => !f.final);
  const final = folds.filter((f) => f.final);
  const models = Object.keys(folds[0]?.mase ?? {});
  let ok = true;
  const rows: Array<Array<string | number>> = [];
  for (const m of models) {
    const row: Array<string | number> = [m, BASELINES.has(m) ? 'baseline' : 'model'];
    for (const h of REPORTED_H) {
      const d = meanSd(dev.map((f) => f.mase[m]?.[h - 1] ?? NaN));
      const fin = meanSd(final.map((f) => f.mase[m]?.[h - 1] ?? NaN));
      row.push(`${d.mean.toFixed(3)} ± ${d.sd.toFixed(3)}`, final.length ? fin.mean : NaN);
      const key = `${name}_${m.replace('chosen:', 'chosen_')}_h${h}`;
      out[`${key}_mase`] = d.mean;
      out[`${key}_sd`] = d.sd;
    }
    rows.push(row);
  }
  const verdicts: string[] = [];
  for (const h of REPORTED_H) {
    const mean = (m: string) => meanSd(dev.map((f) => f.mase[m]?.[h - 1] ?? NaN)).mean;
    const best = Math.min(...models.filter((m) => BASELINES.has(m)).map(mean));
    out[`${name}_best_baseline_h${h}_mase`] = best;
    // The rule: the model itself no worse than the best baseline (mean development MASE) at this horizon.
    if (!(mean('ridge') <= best)) ok = false;
    verdicts.push(
      `h${h}: ridge ${mean('ridge').toFixed(3)}, selection with ridge ${mean('chosen:with_ridge').toFixed(3)}, ` +
        `current selection ${mean('chosen:current').toFixed(3)}, best baseline ${best.toFixed(3)}`,
    );
  }
  console.log(`\n${name} (development folds): ${verdicts.join('; ')} -> ridge ${ok ? 'passes' : 'FAILS'}`);
  printTable(
    `forecast-protocol ${name}: ${dev.length} development folds (mean ± sd across cut-offs), ${final.length} final folds (mean, not used to choose)`,
    ['model', 'kind', ...REPORTED_H.flatMap((h) => [`dev MASE h${h}`, `final h${h}`])],
    rows,
  );
  return ok;
}
