/**
 * Days whose intra-day profile has an unusual shape (holidays, incidents): what `per_horizon_clean` selection leaves
 * out of every candidate's validation score.
 *
 * Why shape: on nyc_taxi New Year's Eve and Day have almost the usual daily level (log deviation from the same
 * weekday's median −0.02 / −0.08) but not the usual day (traffic through the night, a quiet morning), and the weekly
 * seasonal naive's error on Jan 8 (reference Jan 1) is 9,693 against the daily naive's 854 (bench/forecast/RESULTS.md,
 * round seven). Hand-written: a median profile and a robust z are a few lines and no well-kept library offers them.
 *
 * The rule, the same for every series (nothing tuned per series):
 * - each complete day (every hour bin observed at least half the time) is a profile of hourly means in the given
 *   space (model space: log1p for non-negative series, so differences are relative);
 * - its reference is the median profile of the other complete days of the same weekday when there are at least two,
 *   else of all other complete days;
 * - its distance is the RMS difference of the two profiles after removing each one's mean (shape, not level);
 * - a day is unusual when the robust z of its distance (median and 1.4826 × MAD over the complete days) exceeds
 *   `Z_LIMIT`.
 * Measured over every fold of `forecast-protocol` (RESULTS.md, round eight): adding a level test (robust z of the
 * absolute difference of the means) flagged NASA weekends after its outage and cost NASA 5-min h12 +0.014 MASE
 * with no gain on nyc_taxi; comparing with the nearer of the same-weekday and all-days medians flagged fewer
 * holiday-week days (nyc_taxi h12 0.583 against 0.568).
 */

/** Robust z above which a day is unusual: the common outlier cut for MAD-based z-scores (Iglewicz and Hoaglin). */
export const Z_LIMIT = 3.5;

/** Fewer complete days than this and nothing is flagged: a median over so few days is no norm. */
export const MIN_DAYS = 7;

export interface DailyInput {
  /** Unix seconds of index 0. */
  start: number;
  stepSeconds: number;
  /** The series in the space profiles are compared in (e.g. a prepared series' `z`). */
  values: ArrayLike<number>;
  /** Non-zero where the value is a real sample. */
  observed: ArrayLike<number>;
}

export interface DayScore {
  /** UTC calendar day number (Unix seconds / 86400, floored). */
  day: number;
  /** Robust z of the day's shape distance to its reference profile. */
  z: number;
  unusual: boolean;
}

export interface UnusualDays {
  /** UTC day numbers of the unusual days. */
  unusual: Set<number>;
  /** Every complete day's score, oldest first. */
  scores: DayScore[];
  /** Why nothing could be judged (too few complete days, steps coarser than an hour's profile). */
  note?: string;
}

/** Scores the complete days in [0, end) of the series (default: all of it). */
export function unusualDays(series: DailyInput, end = series.values.length): UnusualDays {
  const bin = Math.max(series.stepSeconds, 3600);
  const binsPerDay = Math.floor(86400 / bin);
  if (binsPerDay < 4)
    return {
      unusual: new Set(),
      scores: [],
      note: `steps of ${series.stepSeconds}s are too coarse for a daily profile`,
    };
  const profiles = dailyProfiles(series, end, bin, binsPerDay);
  if (profiles.size < MIN_DAYS) {
    return {
      unusual: new Set(),
      scores: [],
      note: `${profiles.size} complete days, fewer than ${MIN_DAYS}: no day judged unusual`,
    };
  }
  const days = [...profiles.keys()].sort((a, b) => a - b);
  const distances = days.map((d) => {
    const others = days.filter((x) => x !== d);
    const sameWeekday = others.filter((x) => (x - d) % 7 === 0);
    const reference = medianProfile(
      (sameWeekday.length >= 2 ? sameWeekday : others).map((x) => profiles.get(x)!),
    );
    return shapeDistance(profiles.get(d)!, reference);
  });
  const z = robustZ(distances);
  const scores = days.map((day, i) => ({ day, z: z[i]!, unusual: z[i]! > Z_LIMIT }));
  return { unusual: new Set(scores.filter((s) => s.unusual).map((s) => s.day)), scores };
}

/** UTC day number of index t. */
export function dayOf(series: Pick<DailyInput, 'start' | 'stepSeconds'>, t: number): number {
  return Math.floor((series.start + t * series.stepSeconds) / 86400);
}

/** Hourly (or per-step, when coarser) means of each complete day in [0, end). */
function dailyProfiles(
  series: DailyInput,
  end: number,
  bin: number,
  binsPerDay: number,
): Map<number, number[]> {
  const sums = new Map<number, { sum: Float64Array; n: Float64Array }>();
  for (let t = 0; t < end; t++) {
    if (!series.observed[t]) continue;
    const v = series.values[t]!;
    if (!Number.isFinite(v)) continue;
    const ts = series.start + t * series.stepSeconds;
    const day = Math.floor(ts / 86400);
    const b = Math.min(binsPerDay - 1, Math.floor((ts - day * 86400) / bin));
    let acc = sums.get(day);
    if (!acc) sums.set(day, (acc = { sum: new Float64Array(binsPerDay), n: new Float64Array(binsPerDay) }));
    acc.sum[b] = acc.sum[b]! + v;
    acc.n[b] = acc.n[b]! + 1;
  }
  const perBin = bin / series.stepSeconds;
  const profiles = new Map<number, number[]>();
  for (const [day, { sum, n }] of sums) {
    if (n.some((c) => c < perBin / 2)) continue;
    profiles.set(
      day,
      Array.from(sum, (s, b) => s / n[b]!),
    );
  }
  return profiles;
}

function medianProfile(profiles: number[][]): number[] {
  return profiles[0]!.map((_, b) => median(profiles.map((p) => p[b]!)));
}

function shapeDistance(p: number[], r: number[]): number {
  const dp = mean(p);
  const dr = mean(r);
  return Math.sqrt(p.reduce((s, x, b) => s + (x - dp - (r[b]! - dr)) ** 2, 0) / p.length);
}

/** (x − median) / (1.4826 × MAD); 0 where every value equals the median (no spread, nothing stands out by z). */
function robustZ(xs: number[]): number[] {
  const m = median(xs);
  const mad = 1.4826 * median(xs.map((x) => Math.abs(x - m)));
  return xs.map((x) => (mad > 0 ? (x - m) / mad : x > m ? Infinity : 0));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
