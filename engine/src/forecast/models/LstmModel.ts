import { seasonalPeriods, type PreparedSeries } from '../series/prepareSeries.js';
import { initTf, tf } from '../tf/initTf.js';
import { seededRandom, shuffleInPlace } from '../util/random.js';
import type { FitContext, FittedModel, ForecastModel } from './ForecastModel.js';
import type { LstmConfig } from '../config.js';
import { lstmForward, readLstmWeights } from './lstmForward.js';

/**
 * A small LSTM that forecasts all horizons at once (direct multi-step). It reads the recent window relative to the
 * last value, plus what the same hours did a day and a week ago ("seasonal deltas" for every target step), and
 * predicts the change from the last value. Predicting deltas keeps it level-free, so one set of weights serves
 * quiet nights and busy days, and the seasonal deltas give it the shape the baselines know about for free.
 */
export interface LstmParams {
  windowSteps: number;
  horizon: number;
  /** Normalisation of model space. */
  mean: number;
  std: number;
  /** Seasonal lags in steps (0 = unavailable); the second falls back to the first when history is short. */
  lags: [number, number];
  units: number;
}

const STEP_FEATURES = 6;
/** Seasonal channels per target step: a day ago, a week ago, the mean of the last seven days. */
const AUX_CHANNELS = 3;
/** Half-width of the moving average applied to past seasonal values (their noise would otherwise be copied). */
const SMOOTH = 2;
const PROFILE_DAYS = 7;

export class LstmModel implements ForecastModel {
  readonly name = 'lstm';

  unavailable(series: PreparedSeries, ctx: FitContext): string | undefined {
    const lags = chooseLags(series, ctx.fitEnd, ctx.config.lstm.windowSteps);
    const first = firstOrigin(ctx.config.lstm.windowSteps, lags);
    const windows = ctx.fitEnd - ctx.horizon - first;
    if (windows < ctx.config.lstm.minWindows) {
      return `cold start: ${Math.max(0, windows)} training windows, needs ${ctx.config.lstm.minWindows}`;
    }
    return undefined;
  }

  async fit(series: PreparedSeries, ctx: FitContext): Promise<FittedModel> {
    await initTf();
    const cfg = ctx.config.lstm;
    const L = cfg.windowSteps;
    const H = ctx.horizon;
    const lags = chooseLags(series, ctx.fitEnd, L);
    let sum = 0;
    let sq = 0;
    let count = 0;
    for (let i = 0; i < ctx.fitEnd; i++) {
      if (!series.observed[i]) continue;
      sum += series.z[i]!;
      sq += series.z[i]! ** 2;
      count++;
    }
    const mean = count ? sum / count : 0;
    const std = count ? Math.sqrt(Math.max(sq / count - mean * mean, 1e-12)) || 1 : 1;
    const params: LstmParams = { windowSteps: L, horizon: H, mean, std, lags, units: cfg.units };

    const model = buildNetwork(params, cfg.seed, cfg.learningRate);
    const training = await trainOn(model, series, params, 0, ctx.fitEnd, cfg.epochs, cfg, ctx);
    return fittedLstm(model, params, training);
  }
}

/**
 * Trains on windows whose targets fall in [from, end): every target observed and most of the window real (filled
 * gaps are inputs, never targets), subsampled with the seed.
 */
async function trainOn(
  model: tf.LayersModel,
  series: PreparedSeries,
  params: LstmParams,
  from: number,
  end: number,
  epochs: number,
  cfg: LstmConfig,
  ctx: Pick<FitContext, 'signal' | 'onProgress'>,
): Promise<{ epochs: number; windows: number; trainSeconds: number }> {
  const L = params.windowSteps;
  const H = params.horizon;
  const origins: number[] = [];
  for (let o = Math.max(firstOrigin(L, params.lags), from - 1); o + H < end; o++) {
    let ok = series.observed[o] === 1;
    for (let h = 1; ok && h <= H; h++) ok = series.observed[o + h] === 1;
    if (!ok) continue;
    let real = 0;
    for (let i = o - L + 1; i <= o; i++) real += series.observed[i]!;
    if (real >= L / 2) origins.push(o);
  }
  if (from === 0 && origins.length < cfg.minWindows) {
    // Gaps can leave far fewer usable windows than the history length suggests.
    throw new Error(`cold start: ${origins.length} usable training windows, needs ${cfg.minWindows}`);
  }
  const random = seededRandom(cfg.seed + from);
  shuffleInPlace(origins, random);
  origins.length = Math.min(origins.length, cfg.maxWindows);

  const x = normalised(series, params);
  const { window, aux } = buildInputs(series, params, origins, x);
  const target = new Float32Array(origins.length * H);
  origins.forEach((o, k) => {
    for (let h = 1; h <= H; h++) target[k * H + h - 1] = x[o + h]! - x[o]!;
  });
  const xs = tf.tensor3d(window, [origins.length, L, STEP_FEATURES]);
  const as = tf.tensor2d(aux, [origins.length, AUX_CHANNELS * H]);
  const ys = tf.tensor2d(target, [origins.length, H]);
  const started = performance.now();
  let epochsRun = 0;
  try {
    await model.fit([xs, as], ys, {
      epochs,
      batchSize: cfg.batchSize,
      // Windows are already shuffled with the seed; tfjs' own shuffle uses Math.random.
      shuffle: false,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch, logs) => {
          epochsRun = epoch + 1;
          ctx.onProgress?.(
            epochsRun / epochs,
            `epoch ${epochsRun}/${epochs} loss ${(logs?.loss ?? 0).toFixed(4)}`,
          );
          const elapsed = (performance.now() - started) / 1000;
          if (elapsed > cfg.maxTrainSeconds || ctx.signal?.aborted) model.stopTraining = true;
        },
      },
    });
  } finally {
    xs.dispose();
    as.dispose();
    ys.dispose();
  }
  return { epochs: epochsRun, windows: origins.length, trainSeconds: (performance.now() - started) / 1000 };
}

/**
 * Warm start: a few more epochs on the newest history (the part held out for validation included), so the served
 * model has seen the latest weeks. Validation scores and intervals stay those of the model before the update.
 */
export async function updateLstm(
  fitted: FittedModel,
  series: PreparedSeries,
  from: number,
  end: number,
  cfg: LstmConfig,
  ctx: Pick<FitContext, 'signal' | 'onProgress'> = {},
): Promise<{ epochs: number; windows: number; trainSeconds: number } | undefined> {
  const lstm = fitted as Partial<ReturnType<typeof fittedLstm>>;
  if (!lstm.model || !lstm.params || cfg.updateEpochs < 1) return undefined;
  return trainOn(lstm.model, series, lstm.params, from, end, cfg.updateEpochs, cfg, ctx);
}

export function fittedLstm(
  model: tf.LayersModel,
  params: LstmParams,
  training?: { epochs: number; windows: number; trainSeconds: number },
): FittedModel & { model: tf.LayersModel; params: LstmParams } {
  const H = params.horizon;
  return {
    name: 'lstm',
    horizon: H,
    model,
    params,
    async forecastFrom(series, origins) {
      const out = new Float64Array(origins.length * H);
      const x = normalised(series, params);
      // Plain-JS forward pass (lstmForward.ts): tfjs' per-kernel dispatch made one forecast cost 10-30 ms.
      const weights = readLstmWeights(model, params.windowSteps);
      const chunk = 2048;
      for (let s = 0; s < origins.length; s += chunk) {
        const part = Array.from(origins).slice(s, s + chunk);
        const { window, aux } = buildInputs(series, params, part, x);
        const values = lstmForward(weights, window, aux, part.length);
        part.forEach((o, k) => {
          for (let h = 0; h < H; h++) {
            out[(s + k) * H + h] = (x[o]! + values[k * H + h]!) * params.std + params.mean;
          }
        });
      }
      return out;
    },
    toJSON: () => ({ name: 'lstm', horizon: H, params: { ...params, training } }),
    dispose: () => model.dispose(),
  };
}

function chooseLags(series: PreparedSeries, fitEnd: number, windowSteps: number): [number, number] {
  const { day, week } = seasonalPeriods(series.stepSeconds);
  // A lag is usable when at least two weeks' (or days') worth of origins can see it.
  const d = day && fitEnd > day * 3 + windowSteps ? day : 0;
  const w = week && fitEnd > week * 2 + windowSteps ? week : d;
  return [d, w];
}

function firstOrigin(windowSteps: number, lags: [number, number]): number {
  return windowSteps - 1 + Math.max(lags[0], lags[1]);
}

function normalised(series: PreparedSeries, p: LstmParams): Float32Array {
  const x = new Float32Array(series.z.length);
  for (let i = 0; i < x.length; i++) x[i] = (series.z[i]! - p.mean) / p.std;
  return x;
}

function buildInputs(
  series: PreparedSeries,
  p: LstmParams,
  origins: ArrayLike<number>,
  x = normalised(series, p),
): { window: Float32Array; aux: Float32Array } {
  const L = p.windowSteps;
  const H = p.horizon;
  const window = new Float32Array(origins.length * L * STEP_FEATURES);
  const aux = new Float32Array(origins.length * AUX_CHANNELS * H);
  // Seasonal values never read past the origin, even when a season is shorter than the horizon.
  let cap = 0;
  const at = (i: number) => x[Math.max(0, i)]!;
  const smooth = (i: number) => {
    let s = 0;
    for (let j = -SMOOTH; j <= SMOOTH; j++) s += at(Math.min(cap, i + j));
    return s / (2 * SMOOTH + 1);
  };
  for (let k = 0; k < origins.length; k++) {
    const o = origins[k]!;
    cap = o;
    const last = x[o]!;
    for (let j = 0; j < L; j++) {
      const i = o - L + 1 + j;
      const t = series.start + i * series.stepSeconds;
      const tod = ((t % 86400) / 86400) * 2 * Math.PI;
      const dow = (((t / 86400) % 7) / 7) * 2 * Math.PI;
      const base = (k * L + j) * STEP_FEATURES;
      window[base] = at(i) - last;
      window[base + 1] = at(i);
      window[base + 2] = Math.sin(tod);
      window[base + 3] = Math.cos(tod);
      window[base + 4] = Math.sin(dow);
      window[base + 5] = Math.cos(dow);
    }
    const day = p.lags[0];
    for (let h = 1; h <= H; h++) {
      const row = k * AUX_CHANNELS * H;
      for (let l = 0; l < 2; l++) {
        const lag = p.lags[l]!;
        // What happened between the origin and the target one season ago, i.e. the expected seasonal change.
        aux[row + l * H + h - 1] =
          lag > 0 && o - lag - SMOOTH >= 0 ? smooth(o + h - lag) - smooth(o - lag) : 0;
      }
      let sum = 0;
      let used = 0;
      for (let d = 1; day > 0 && d <= PROFILE_DAYS && o - d * day - SMOOTH >= 0; d++) {
        sum += smooth(o + h - d * day) - smooth(o - d * day);
        used++;
      }
      aux[row + 2 * H + h - 1] = used ? sum / used : 0;
    }
  }
  return { window, aux };
}

export function buildNetwork(p: LstmParams, seed: number, learningRate: number): tf.LayersModel {
  const H = p.horizon;
  const seq = tf.input({ shape: [p.windowSteps, STEP_FEATURES], name: 'window' });
  const aux = tf.input({ shape: [AUX_CHANNELS * H], name: 'seasonal' });
  const encoded = tf.layers
    .lstm({
      units: p.units,
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }),
      name: 'encoder',
    })
    .apply(seq) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate().apply([encoded, aux]) as tf.SymbolicTensor;
  const hidden = tf.layers
    .dense({
      units: 2 * p.units,
      activation: 'tanh',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
      name: 'hidden',
    })
    .apply(joined) as tf.SymbolicTensor;
  // The seasonal deltas also reach the output linearly, so the net starts near a seasonal baseline.
  const skip = tf.layers.concatenate().apply([hidden, aux]) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: H, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }), name: 'out' })
    .apply(skip) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [seq, aux], outputs: out });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanAbsoluteError' });
  return model;
}
