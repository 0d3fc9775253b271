import { printTable, type BenchMain } from './lib.js';
import { fitOnHistory } from './forecast/fitOnHistory.js';
import { BASELINES } from '../src/forecast/Forecaster.js';
import { backtest } from '../src/forecast/backtest.js';

/**
 * `npm run bench -- forecast --data FILE.csv --column NAME --test-days N [--step S] [--horizon 12] [--config JSON]`
 * Fits on everything before the last N days (selection and intervals use a validation slice of that part only),
 * then scores the last N days by rolling origin, the chosen model beside every baseline.
 */
export const main: BenchMain = async (ctx) => {
  const {
    path,
    column,
    testDays,
    config,
    series,
    testStart,
    forecaster,
    trainSeconds,
    trainCpuSeconds,
    backend,
  } = await fitOnHistory(ctx);
  const horizon = config.horizonSteps;
  const step = series.stepSeconds;
  const n = series.z.length;
  const result = await backtest(forecaster, series, testStart);

  // Latency of one forecast (all horizons from the newest origin), as the service does it.
  const runs = 20;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) await forecaster.forecastFrom(series, [n - 1]);
  const predictMs = (performance.now() - t0) / runs;
  const predictCpu = process.cpuUsage(cpu0);
  const predictCpuMs = (predictCpu.user + predictCpu.system) / 1000 / runs;

  // The target is at a 1-hour horizon: 12 steps at 5 minutes, 2 at 30 minutes.
  const hour = Math.max(1, Math.min(horizon, Math.round(3600 / step)));
  const hs = [...new Set([1, hour, Math.min(12, horizon)])].sort((a, b) => a - b);
  const rows = Object.entries(result.models)
    .map(([name, m]) => [
      name + (name === result.chosen ? ' (chosen)' : ''),
      BASELINES.has(name) ? 'baseline' : 'model',
      ...hs.flatMap((h) => [
        m[h - 1]!.mae,
        m[h - 1]!.rmse,
        m[h - 1]!.mase,
        m[h - 1]!.smape,
        m[h - 1]!.coverage,
      ]),
    ])
    .sort((a, b) => (a[1] as string).localeCompare(b[1] as string));
  printTable(
    `forecast: ${path.split('/').slice(-2).join('/')} column ${column}, step ${step}s, ${n} steps ` +
      `(missing ${series.report.missingSteps}, outage ${series.report.outageSteps}), test last ${testDays} d ` +
      `(${result.models[result.chosen]![0]!.n} scored), backend ${backend}`,
    [
      'model',
      'kind',
      ...hs.flatMap((h) => [`MAE h${h}`, `RMSE h${h}`, `MASE h${h}`, `sMAPE h${h}`, `cov h${h}`]),
    ],
    rows,
  );
  console.log(`\nchosen: ${result.reason}`);
  const lstm = forecaster.fitted.get('lstm')?.toJSON().params.training as
    { epochs: number; windows: number; trainSeconds: number } | undefined;
  if (lstm)
    console.log(`lstm: ${lstm.windows} windows, ${lstm.epochs} epochs, ${lstm.trainSeconds.toFixed(1)} s`);
  else
    console.log(
      `lstm: ${forecaster.spec.candidates.find((c) => c.name === 'lstm')?.note ?? 'not configured'}`,
    );

  const chosen = result.models[result.chosen]!;
  const baselineMase = (h: number) =>
    Math.min(
      ...Object.entries(result.models)
        .filter(([k]) => BASELINES.has(k))
        .map(([, m]) => m[h - 1]!.mase),
    );
  const h12 = Math.min(12, horizon);
  const out: Record<string, number> = {
    mase_1h: chosen[hour - 1]!.mase,
    best_baseline_mase_1h: baselineMase(hour),
    gain_1h_pct: 100 * (1 - chosen[hour - 1]!.mase / baselineMase(hour)),
    mase_h1: chosen[0]!.mase,
    mase_h12: chosen[h12 - 1]!.mase,
    best_baseline_mase_h1: baselineMase(1),
    best_baseline_mase_h12: baselineMase(h12),
    naive_mase_h1: result.models.naive?.[0]?.mase ?? NaN,
    naive_mase_h12: result.models.naive?.[h12 - 1]?.mase ?? NaN,
    coverage_h12: chosen[h12 - 1]!.coverage,
    train_s: trainSeconds,
    predict_ms: predictMs,
    // CPU time of the same work: wall time on the shared 2-core machine swings 2-3x with other engineers' jobs.
    train_cpu_s: trainCpuSeconds,
    predict_cpu_ms: predictCpuMs,
  };
  if (lstm) {
    out.lstm_train_s = lstm.trainSeconds;
    out.lstm_mase_h1 = result.models.lstm![0]!.mase;
    out.lstm_mase_h12 = result.models.lstm![h12 - 1]!.mase;
  }
  printTable(
    'summary',
    ['key', 'value'],
    Object.entries(out).map(([k, v]) => [k, v]),
  );
  forecaster.dispose();
  return out;
};
