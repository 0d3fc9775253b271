import type { BenchContext } from '../lib.js';
import { loadCsvSeries } from './loadCsvSeries.js';
import { forecastConfigSchema, type ForecastConfig } from '../../src/forecast/config.js';
import { prepareSeries, type PreparedSeries } from '../../src/forecast/series/prepareSeries.js';
import { fitForecaster, type Forecaster } from '../../src/forecast/Forecaster.js';
import { initTf } from '../../src/forecast/tf/initTf.js';

/** What the forecast and autoscale benchmarks share: load, prepare, split off the test days, fit on the rest. */
export interface FittedHistory {
  path: string;
  column: string;
  testDays: number;
  config: ForecastConfig;
  series: PreparedSeries;
  testStart: number;
  forecaster: Forecaster;
  trainSeconds: number;
  /** CPU seconds of this process while training: comparable across runs when the shared machine's load is not. */
  trainCpuSeconds: number;
  backend: string;
}

export async function fitOnHistory(
  ctx: BenchContext,
  overrides: Record<string, unknown> = {},
): Promise<FittedHistory> {
  const path = ctx.pathOption('data');
  const column = ctx.option('column', 'value');
  const testDays = ctx.numberOption('test-days', 7);
  const stepOption = ctx.options.step !== undefined ? ctx.numberOption('step', 300) : undefined;
  const full = loadCsvSeries(path, column, { step: stepOption });
  // `--drop-days N` forgets the file's last N days: the same benchmark on an earlier, held-back-like split.
  const dropDays = ctx.numberOption('drop-days', 0);
  const cut = full.timestamps.length ? full.timestamps[full.timestamps.length - 1]! - dropDays * 86400 : 0;
  const keep = dropDays > 0 ? full.timestamps.findIndex((t) => t > cut) : -1;
  const loaded =
    keep < 0
      ? full
      : {
          ...full,
          timestamps: full.timestamps.slice(0, keep),
          values: full.values.slice(0, keep),
          outage: full.outage?.slice(0, keep),
        };
  const step = loaded.stepSeconds;
  const horizon = ctx.numberOption('horizon', 12);
  // `--config JSON` overrides forecast settings (e.g. '{"models":["naive","lstm"]}'); defaults otherwise.
  const fromOption = JSON.parse(ctx.option('config', '{}')) as Record<string, unknown>;
  const config = forecastConfigSchema.parse({
    ...overrides,
    ...fromOption,
    stepSeconds: step,
    horizonSteps: horizon,
  });
  const backend = await initTf();
  const series = prepareSeries(loaded.timestamps, loaded.values, {
    stepSeconds: step,
    transform: config.transform,
    outageMinMinutes: config.outageMinMinutes,
    outageMaxZeroShare: config.outageMaxZeroShare,
  });
  const n = series.z.length;
  const testStart = n - Math.round((testDays * 86400) / step);
  if (testStart < 2 * horizon)
    throw new Error(`--test-days ${testDays} leaves no training data (${n} steps of ${step}s)`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const forecaster = await fitForecaster(series, { config, end: testStart });
  const trainSeconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const trainCpuSeconds = (used.user + used.system) / 1e6;
  return {
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
  };
}
