/** The normal range of a series before the incident, as the engine judges it: median ± K robust σ. */
export interface BaselineBand {
  median: number;
  lower: number;
  upper: number;
  /** How many baseline points the band rests on (0: no band). */
  points: number;
}

/**
 * K = 3 robust σ: the engine reports deviations in robust σ (MAD × 1.4826, see engine/src/rca/stats), and 3σ is where
 * a normal series stays 99.7% of the time, so a point outside the band is what the score calls anomalous.
 */
const K = 3;
const MAD_TO_SIGMA = 1.4826;

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The band from the points with start <= t < end (unix seconds); undefined when fewer than three are finite. */
export function baselineBand(
  timestamps: number[],
  values: number[],
  start: number,
  end: number
): BaselineBand | undefined {
  const base = values.filter((v, i) => timestamps[i]! >= start && timestamps[i]! < end && Number.isFinite(v));
  if (base.length < 3) {
    return undefined;
  }
  const m = median([...base].sort((a, b) => a - b));
  const mad = median(base.map((v) => Math.abs(v - m)).sort((a, b) => a - b));
  const spread = K * MAD_TO_SIGMA * mad;
  return { median: m, lower: m - spread, upper: m + spread, points: base.length };
}
