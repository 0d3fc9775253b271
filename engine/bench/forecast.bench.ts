import { printTable, type BenchMain } from './lib.js';
import { loadCsvSeries } from './forecast/loadCsvSeries.js';
import { forecastConfigSchema } from '../src/forecast/config.js';
import { prepareSeries } from '../src/forecast/series/prepareSeries.js';
import { BASELINES, fitForecaster } from '../src/forecast/Forecaster.js';
import { backtest } from '../src/forecast/backtest.js';
import { initTf } from '../src/forecast/tf/initTf.js';

/**
 * `npm run bench -- forecast --data FILE.csv --column NAME --test-days N [--step S] [--horizon 12] [--config JSON]`
 * Fits on everything before the last N days (selection and intervals use a validation slice of that part only),
 * then scores the last N days by rolling origin, the chosen model beside every baseline.
 */
export const main: BenchMain = async (ctx) => {
  const path = ctx.pathOption('data');
  const column = ctx.option('column', 'value');
  const testDays = ctx.numberOption('test-days', 7);
  const stepOption = ctx.options.step !== undefined ? ctx.numberOption('step', 300) : undefined;
  const loaded = loadCsvSeries(path, column, { step: stepOption });
  const step = loaded.stepSeconds;
  const horizon = ctx.numberOption('horizon', 12);
  // `--config JSON` overrides forecast settings (e.g. '{"models":["naive","lstm"]}'); defaults otherwise.
  const overrides = JSON.parse(ctx.option('config', '{}')) as Record<string, unknown>;
  const config = forecastConfigSchema.parse({ ...overrides, stepSeconds: step, horizonSteps: horizon });
  const backend = await initTf();

  const series = prepareSeries(loaded.timestamps, loaded.values, {
    stepSeconds: step,
    transform: config.transform,
    outageMinMinutes: config.outageMinMinutes,
    outageMaxZeroShare: config.outageMaxZeroShare,
  });
  const n = series.z.length;
  const testSteps = Math.round((testDays * 86400) / step);
  const testStart = n - testSteps;
  if (testStart < 2 * horizon) throw new Error(`--test-days ${testDays} leaves no training data (${n} steps of ${step}s)`);

  const started = performance.now();
  const forecaster = await fitForecaster(series, { config, end: testStart });
  const trainSeconds = (performance.now() - started) / 1000;
  const result = await backtest(forecaster, series, testStart);

  // Latency of one forecast (all horizons from the newest origin), as the service does it.
  const runs = 20;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await forecaster.forecastFrom(series, [n - 1]);
  const predictMs = (performance.now() - t0) / runs;

  const hs = [1, Math.min(12, horizon)];
  const rows = Object.entries(result.models)
    .map(([name, m]) => [
      name + (name === result.chosen ? ' (chosen)' : ''),
      BASELINES.has(name) ? 'baseline' : 'model',
      ...hs.flatMap((h) => [m[h - 1]!.mae, m[h - 1]!.rmse, m[h - 1]!.mase, m[h - 1]!.smape, m[h - 1]!.coverage]),
    ])
    .sort((a, b) => (a[1] as string).localeCompare(b[1] as string));
  printTable(
    `forecast: ${path.split('/').slice(-2).join('/')} column ${column}, step ${step}s, ${n} steps ` +
      `(missing ${series.report.missingSteps}, outage ${series.report.outageSteps}), test last ${testDays} d ` +
      `(${result.models[result.chosen]![0]!.n} scored), backend ${backend}`,
    ['model', 'kind', ...hs.flatMap((h) => [`MAE h${h}`, `RMSE h${h}`, `MASE h${h}`, `sMAPE h${h}`, `cov h${h}`])],
    rows,
  );
  console.log(`\nchosen: ${result.reason}`);
  const lstm = forecaster.fitted.get('lstm')?.toJSON().params.training as { epochs: number; windows: number; trainSeconds: number } | undefined;
  if (lstm) console.log(`lstm: ${lstm.windows} windows, ${lstm.epochs} epochs, ${lstm.trainSeconds.toFixed(1)} s`);
  else console.log(`lstm: ${forecaster.spec.candidates.find((c) => c.name === 'lstm')?.note ?? 'not configured'}`);

  const chosen = result.models[result.chosen]!;
  const baselineMase = (h: number) =>
    Math.min(...Object.entries(result.models).filter(([k]) => BASELINES.has(k)).map(([, m]) => m[h - 1]!.mase));
  const h12 = hs[1]!;
  const out: Record<string, number> = {
    mase_h1: chosen[0]!.mase,
    mase_h12: chosen[h12 - 1]!.mase,
    best_baseline_mase_h1: baselineMase(1),
    best_baseline_mase_h12: baselineMase(h12),
    coverage_h12: chosen[h12 - 1]!.coverage,
    train_s: trainSeconds,
    predict_ms: predictMs,
  };
  if (lstm) {
    out.lstm_train_s = lstm.trainSeconds;
    out.lstm_mase_h1 = result.models.lstm![0]!.mase;
    out.lstm_mase_h12 = result.models.lstm![h12 - 1]!.mase;
  }
  printTable('summary', ['key', 'value'], Object.entries(out).map(([k, v]) => [k, v]));
  forecaster.dispose();
  return out;
};
