/**
 * NAB's scoring rules (numenta/NAB `nab/sweeper.py`, v1.1), re-implemented: every row outside the probationary period
 * gets a "sweep score" — what a detection on that row would be worth — and sweeping a threshold down through the
 * sorted anomaly scores gives the file's (or corpus') NAB score at every threshold in one pass.
 */

export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** One scorable row: its anomaly score, the value of a detection there, and the window it lies in (null: none). */
export interface SweepPoint {
  anomalyScore: number;
  sweepScore: number;
  /** Globally unique window id (`file|start`), null outside windows. */
  window: string | null;
}

export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
}

/** Timestamps in epoch ms; windows as [startMs, endMs] that coincide with row timestamps. */
export interface LabelledSeries {
  name: string;
  timestamps: number[];
  windows: Array<[number, number]>;
}

export const PROBATION_PERCENT = 0.15;

/** NAB's probationary period: 15% of the rows, at most 750. */
export function probationaryLength(rows: number, percent = PROBATION_PERCENT): number {
  return Math.min(Math.floor(percent * rows), percent * 5000);
}

/** 2·sigmoid(−5y) − 1: +0.987 at the left edge of a window (y = −1), 0 at its right edge, −1 far past it. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

const MAX_TP = scaledSigmoid(-1);

/** Sweep score of every row of one file, probationary rows included (window `'probationary'` marks them). */
export function sweepPoints(
  series: LabelledSeries,
  anomalyScores: ArrayLike<number>,
  cost: CostMatrix,
): SweepPoint[] {
  const { timestamps, name } = series;
  if (timestamps.length !== anomalyScores.length) {
    throw new Error(`${name}: ${timestamps.length} timestamps but ${anomalyScores.length} anomaly scores`);
  }
  const indexOf = new Map(timestamps.map((t, i) => [t, i]));
  const windows = series.windows.map(([start, end]) => {
    const left = indexOf.get(start);
    const right = indexOf.get(end);
    if (left === undefined || right === undefined)
      throw new Error(`${name}: window edge not on a row timestamp`);
    return { id: `${name}|${start}`, left, right, width: right - left + 1 };
  });
  const probation = probationaryLength(timestamps.length);
  const points: SweepPoint[] = [];
  let next = 0;
  let current: (typeof windows)[number] | undefined;
  let previous: (typeof windows)[number] | undefined;
  for (let i = 0; i < timestamps.length; i++) {
    if (!current && next < windows.length && windows[next]!.left === i) current = windows[next++];
    let sweepScore: number;
    if (current) {
      sweepScore = (scaledSigmoid(-(current.right - i + 1) / current.width) * cost.tpWeight) / MAX_TP;
    } else {
      const unweighted = previous ? scaledSigmoid(Math.abs(previous.right - i) / (previous.width - 1)) : -1;
      sweepScore = unweighted * cost.fpWeight;
    }
    const window = i >= probation ? (current?.id ?? null) : 'probationary';
    points.push({ anomalyScore: anomalyScores[i]!, sweepScore, window });
    if (current && i === current.right) {
      previous = current;
      current = undefined;
    }
  }
  return points;
}

/**
 * NAB score at every distinct threshold, highest first: the entry with threshold t counts every row whose anomaly
 * score is >= t as a detection (the first entry, t = 1.1, detects nothing). A window is worth its best (earliest)
 * detection or −fnWeight when missed; each detection outside a window adds its (negative) sweep score.
 */
export function scoresByThreshold(points: SweepPoint[], cost: CostMatrix): ThresholdScore[] {
  const scorable = points.filter((p) => p.window !== 'probationary');
  // Highest score first. The order within ties does not matter: a threshold's entry is only taken after every row
  // with that score. Sorting indices over a Float64Array keeps 370k rows (all of NAB) near 0.3 s.
  const keys = Float64Array.from(scorable, (p) => p.anomalyScore);
  const order = Uint32Array.from(keys.keys()).sort((a, b) => keys[b]! - keys[a]!);
  const windowValue = new Map<string, number>();
  for (const p of scorable) if (p.window !== null) windowValue.set(p.window, -cost.fnWeight);
  let score = -cost.fnWeight * windowValue.size;
  let tn = scorable.filter((p) => p.window === null).length;
  let fn = scorable.length - tn;
  let tp = 0;
  let fp = 0;
  const out: ThresholdScore[] = [];
  let threshold = 1.1;
  for (const index of order) {
    const p = scorable[index]!;
    if (p.anomalyScore !== threshold) {
      out.push({ threshold, score, tp, tn, fp, fn });
      threshold = p.anomalyScore;
    }
    if (p.window === null) {
      fp++;
      tn--;
      score += p.sweepScore;
    } else {
      tp++;
      fn--;
      const before = windowValue.get(p.window)!;
      if (p.sweepScore > before) {
        windowValue.set(p.window, p.sweepScore);
        score += p.sweepScore - before;
      }
    }
  }
  out.push({ threshold, score, tp, tn, fp, fn });
  return out;
}

/** The score at a given threshold, picked from the sweep as NAB's scoreDataSet does. */
export function scoreAtThreshold(sweep: ThresholdScore[], threshold: number): ThresholdScore {
  let previous = sweep[0]!;
  for (const row of sweep) {
    if (row.threshold === threshold) return row;
    if (row.threshold < threshold) return previous;
    previous = row;
  }
  return previous;
}

/** The same as picking `threshold` from the sweep of these points, computed in one pass without sorting. */
export function scoreRowsAtThreshold(
  points: SweepPoint[],
  cost: CostMatrix,
  threshold: number,
): ThresholdScore {
  const windowValue = new Map<string, number>();
  let score = 0;
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (const p of points) {
    if (p.window === 'probationary') continue;
    const detected = p.anomalyScore >= threshold;
    if (p.window === null) {
      if (detected) {
        fp++;
        score += p.sweepScore;
      } else tn++;
      continue;
    }
    const best = windowValue.get(p.window) ?? -cost.fnWeight;
    if (detected) {
      tp++;
      windowValue.set(p.window, Math.max(best, p.sweepScore));
    } else {
      fn++;
      windowValue.set(p.window, best);
    }
  }
  for (const value of windowValue.values()) score += value;
  return { threshold, score, tp, tn, fp, fn };
}

/** The threshold with the highest score over all the points given (one file or a whole corpus), as NAB's optimizer. */
export function optimizeThreshold(points: SweepPoint[], cost: CostMatrix): ThresholdScore {
  let best: ThresholdScore | undefined;
  for (const row of scoresByThreshold(points, cost)) if (!best || row.score > best.score) best = row;
  return best!;
}

/**
 * NAB's normalisation: 100 · (raw − null) / (perfect − null) where the null detector misses every window
 * (−fnWeight each) and the perfect one catches each at its left edge (+tpWeight each).
 */
export function normalizeScore(raw: number, windowCount: number, cost: CostMatrix): number {
  const nullScore = -cost.fnWeight * windowCount;
  const perfect = cost.tpWeight * windowCount;
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}
