import { EngineError } from '../../errors.js';

/**
 * A history on a regular grid, ready for the models. Gaps (missing steps) and outages (long zero stretches that
 * mean "nothing was recorded", not "no demand") are filled so windows stay contiguous, but `observed` marks them so
 * neither training targets nor scores ever use a filled value.
 */
export interface PreparedSeries {
  /** Unix seconds of index 0. */
  start: number;
  stepSeconds: number;
  /** Original scale; filled where not observed. */
  values: Float64Array;
  /** 1 where a real, trustworthy sample exists. */
  observed: Uint8Array;
  /** `values` in model space (see transform). */
  z: Float64Array;
  transform: Transform;
  report: PreparationReport;
}

export type Transform = 'log1p' | 'none';

export interface PreparationReport {
  points: number;
  missingSteps: number;
  outageSteps: number;
  outages: Array<{ start: number; end: number }>;
  counterResets: number;
}

export interface PrepareOptions {
  stepSeconds: number;
  transform: 'auto' | Transform;
  outageMinMinutes: number;
  outageMaxZeroShare: number;
  /** The samples are a cumulative counter: turn them into per-step increases, treating drops as resets. */
  counter?: boolean;
  /** Use this grid origin instead of the first timestamp (keeps train and test on one grid). */
  start?: number;
  /** Extend the grid to this time (inclusive) even when the tail is missing. */
  end?: number;
}

export const forwardTransform = (t: Transform, v: number): number =>
  t === 'log1p' ? Math.log1p(Math.max(0, v)) : v;
export const inverseTransform = (t: Transform, z: number): number =>
  t === 'log1p' ? Math.max(0, Math.expm1(z)) : z;

export function prepareSeries(
  timestamps: ArrayLike<number>,
  rawValues: ArrayLike<number>,
  options: PrepareOptions,
): PreparedSeries {
  if (timestamps.length !== rawValues.length) {
    throw new EngineError('INVALID_INPUT', 'timestamps and values differ in length', {
      issues: [{ field: 'values', message: `expected ${timestamps.length} values, got ${rawValues.length}` }],
    });
  }
  const step = options.stepSeconds;
  const samples: Array<[number, number]> = [];
  for (let i = 0; i < timestamps.length; i++) {
    const v = rawValues[i]!;
    if (Number.isFinite(v) && Number.isFinite(timestamps[i]!)) samples.push([timestamps[i]!, v]);
  }
  if (samples.length < 2) {
    throw new EngineError('INVALID_INPUT', 'need at least two finite samples to forecast', {
      issues: [{ field: 'history', message: `got ${samples.length} finite samples` }],
    });
  }
  samples.sort((a, b) => a[0] - b[0]);

  let counterResets = 0;
  if (options.counter) {
    // A drop in a cumulative counter is a restart: the increase since the restart is the new value itself.
    const inc: Array<[number, number]> = [];
    for (let i = 1; i < samples.length; i++) {
      const d = samples[i]![1] - samples[i - 1]![1];
      if (d < 0) counterResets++;
      inc.push([samples[i]![0], d >= 0 ? d : samples[i]![1]]);
    }
    samples.splice(0, samples.length, ...inc);
  }

  const start = options.start ?? samples[0]![0];
  const last = Math.max(options.end ?? -Infinity, samples[samples.length - 1]![0]);
  const n = Math.floor((last - start) / step + 1e-9) + 1;
  const values = new Float64Array(n);
  const observed = new Uint8Array(n);
  for (const [t, v] of samples) {
    const i = Math.round((t - start) / step);
    if (i < 0 || i >= n) continue;
    values[i] = v;
    observed[i] = 1;
  }
  let missingSteps = 0;
  for (let i = 0; i < n; i++) if (!observed[i]) missingSteps++;

  const outages = maskOutages(values, observed, start, step, options);
  let outageSteps = 0;
  for (const o of outages) outageSteps += Math.round((o.end - o.start) / step) + 1;

  fillUnobserved(values, observed, step);
  const transform: Transform =
    options.transform === 'auto' ? (samples.every(([, v]) => v >= 0) ? 'log1p' : 'none') : options.transform;
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = forwardTransform(transform, values[i]!);
  return {
    start,
    stepSeconds: step,
    values,
    observed,
    z,
    transform,
    report: { points: samples.length, missingSteps, outageSteps, outages, counterResets },
  };
}

/**
 * Marks long zero runs as unobserved when they are not a normal part of this series: the same hours a day before or
 * after carried load (an idle night that is idle every night stays data). Without a day on either side to compare,
 * a run is an outage when zeros are otherwise rare.
 */
function maskOutages(
  values: Float64Array,
  observed: Uint8Array,
  start: number,
  step: number,
  options: PrepareOptions,
): Array<{ start: number; end: number }> {
  const minRun = Math.max(2, Math.ceil((options.outageMinMinutes * 60) / step));
  const day = seasonalPeriods(step).day ?? 0;
  const runs: Array<[number, number]> = [];
  let i = 0;
  while (i < values.length) {
    // Missing steps inside a zero run belong to the same outage.
    if (observed[i] && values[i] === 0) {
      let j = i;
      while (j + 1 < values.length && (!observed[j + 1] || values[j + 1] === 0)) j++;
      if (j - i + 1 >= minRun) runs.push([i, j]);
      i = j + 1;
    } else i++;
  }
  // Run number + 1 per position, 0 outside runs.
  const inRun = new Int32Array(values.length);
  runs.forEach(([a, b], r) => inRun.fill(r + 1, a, b + 1));
  let zeros = 0;
  let seen = 0;
  for (let k = 0; k < values.length; k++) {
    if (!observed[k] || inRun[k]) continue;
    seen++;
    if (values[k] === 0) zeros++;
  }
  const zerosRare = seen > 0 && zeros / seen <= options.outageMaxZeroShare;
  const outages: Array<{ start: number; end: number }> = [];
  runs.forEach(([a, b], r) => {
    let compared = 0;
    let loaded = 0;
    for (let k = a; day > 0 && k <= b; k++) {
      for (const ref of [k - day, k + day]) {
        // The run itself says nothing; another zero run at the same hours says "this is normal".
        if (ref < 0 || ref >= values.length || inRun[ref] === r + 1) continue;
        if (!observed[ref] && !inRun[ref]) continue;
        compared++;
        if (!inRun[ref] && values[ref]! > 0) loaded++;
      }
    }
    const outage = compared > 0 ? loaded / compared >= 0.5 : zerosRare;
    if (!outage) return;
    for (let k = a; k <= b; k++) observed[k] = 0;
    outages.push({ start: start + a * step, end: start + b * step });
  });
  return outages;
}

/**
 * Fills unobserved steps with the value a week earlier, else a day earlier, else the last value, so filled
 * stretches keep the daily shape instead of a flat line (inputs after a gap stay plausible).
 */
function fillUnobserved(values: Float64Array, observed: Uint8Array, step: number): void {
  const day = Math.round(86400 / step);
  const week = day * 7;
  const firstObserved = observed.indexOf(1);
  for (let i = 0; i < values.length; i++) {
    if (observed[i]) continue;
    if (i < firstObserved) {
      values[i] = values[firstObserved]!;
    } else if (week >= 2 && i - week >= 0 && observed[i - week]) {
      values[i] = values[i - week]!;
    } else if (day >= 2 && i - day >= 0) {
      values[i] = values[i - day]!;
    } else {
      values[i] = i > 0 ? values[i - 1]! : 0;
    }
  }
}

/** Seasonal periods in steps that fit this grid: a day and a week, when whole numbers of steps. */
export function seasonalPeriods(stepSeconds: number): { day?: number; week?: number } {
  const day = 86400 / stepSeconds;
  if (!Number.isInteger(day) || day < 2) return {};
  return { day, week: day * 7 };
}

/** Appends newly seen samples (e.g. for scoring) to a series on the same grid, with the same transform. */
export function sliceSeries(series: PreparedSeries, end: number): PreparedSeries {
  return {
    ...series,
    values: series.values.subarray(0, end),
    observed: series.observed.subarray(0, end),
    z: series.z.subarray(0, end),
  };
}
