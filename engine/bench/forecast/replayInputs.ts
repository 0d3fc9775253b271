import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchContext } from '../lib.js';
import { fitOnHistory } from './fitOnHistory.js';
import { forecastConfigSchema, type ForecastConfig } from '../../src/forecast/config.js';
import { validationLength } from '../../src/forecast/Forecaster.js';

/**
 * What the autoscale replay needs from a fitted forecaster: the series, the split, and the point forecasts from every
 * origin of the validation part and the test days. With `--forecast-cache FILE` they are written once and read back on
 * the next run with the same data options, so policy variants replay over one fit (a fit costs ~15 CPU-s and minutes of
 * wall time on the shared machine) instead of refitting the same forecaster for each.
 */
export interface ReplayInputs {
  path: string;
  column: string;
  testDays: number;
  config: ForecastConfig;
  series: { start: number; stepSeconds: number; values: Float64Array; observed: Uint8Array };
  testStart: number;
  /** First bin of the validation part the forecaster held out; origins run from calStart - 1 to the end. */
  calStart: number;
  H: number;
  /** Point forecasts, H per origin, origin calStart - 1 first. */
  points: Float64Array;
  /** The margin the forecaster learnt at fit time from out-of-sample validation forecasts. */
  scaleMargin: number | undefined;
  chosen: string;
  trainSeconds: number;
  forecastMsPerOrigin: number;
  cached: boolean;
}

/** The options that decide the fit: a cache written under other options is refused, never silently reused. */
const fitKey = (ctx: BenchContext): string =>
  JSON.stringify(
    ['data', 'column', 'test-days', 'drop-days', 'step', 'horizon', 'config'].map((k) => [
      k,
      ctx.options[k] ?? null,
    ]),
  );

export async function replayInputs(ctx: BenchContext): Promise<ReplayInputs> {
  const cacheFile =
    ctx.options['forecast-cache'] !== undefined ? ctx.pathOption('forecast-cache') : undefined;
  if (cacheFile && existsSync(cacheFile)) return readCache(cacheFile, fitKey(ctx), ctx);
  const fitted = await fitOnHistory(ctx);
  const { series, testStart, forecaster, config } = fitted;
  const n = series.values.length;
  const H = forecaster.horizon;
  const calStart = Math.max(H + 1, testStart - validationLength(testStart, series.stepSeconds, H, config));
  const origins: number[] = [];
  for (let o = calStart - 1; o < n - 1; o++) origins.push(o);
  const started = performance.now();
  const f = await forecaster.forecastFrom(series, origins);
  const forecastMsPerOrigin = (performance.now() - started) / origins.length;
  const inputs: ReplayInputs = {
    path: fitted.path,
    column: fitted.column,
    testDays: fitted.testDays,
    config,
    series: {
      start: series.start,
      stepSeconds: series.stepSeconds,
      values: series.values,
      observed: series.observed,
    },
    testStart,
    calStart,
    H,
    points: Float64Array.from(f.point),
    scaleMargin: forecaster.spec.scaleMargin,
    chosen: forecaster.chosen,
    trainSeconds: fitted.trainSeconds,
    forecastMsPerOrigin,
    cached: false,
  };
  forecaster.dispose();
  if (cacheFile) writeCache(cacheFile, fitKey(ctx), inputs);
  return inputs;
}

function writeCache(file: string, key: string, inputs: ReplayInputs): void {
  mkdirSync(dirname(file), { recursive: true });
  const { series, points, ...rest } = inputs;
  const body = {
    key,
    ...rest,
    series: {
      start: series.start,
      stepSeconds: series.stepSeconds,
      values: Array.from(series.values),
      observed: Array.from(series.observed),
    },
    points: Array.from(points),
  };
  writeFileSync(file, JSON.stringify(body));
}

function readCache(file: string, key: string, ctx: BenchContext): ReplayInputs {
  const body = JSON.parse(readFileSync(file, 'utf8')) as Omit<ReplayInputs, 'series' | 'points'> & {
    key: string;
    series: { start: number; stepSeconds: number; values: number[]; observed: number[] };
    points: number[];
  };
  if (body.key !== key)
    throw new Error(
      `benchmark ${ctx.name}: --forecast-cache ${file} was written for other options (${body.key}); remove it or pass another file`,
    );
  // The configuration is parsed again from today's defaults and `--config`, as `fitOnHistory` does: the forecasts are
  // the cached part, the autoscale settings replayed over them are not.
  const fromOption = JSON.parse(ctx.option('config', '{}')) as Record<string, unknown>;
  return {
    ...body,
    config: forecastConfigSchema.parse({
      ...fromOption,
      stepSeconds: body.series.stepSeconds,
      horizonSteps: body.H,
    }),
    series: {
      ...body.series,
      values: Float64Array.from(body.series.values),
      observed: Uint8Array.from(body.series.observed),
    },
    points: Float64Array.from(body.points),
    cached: true,
  };
}
