/**
 * Robust z-score of each point against the points before it: |x - median| / (1.4826 * MAD). The median and MAD
 * ignore the spikes they are meant to expose, and 1.4826 makes the MAD comparable to a standard deviation for
 * normal noise, so a score of 3 reads like "three sigma". Computed in the browser until the engine serves scores.
 */
export interface AnomalyScoreOptions {
  /** Points of trailing context per score; 60 is an hour at one-minute steps. */
  window: number;
  /** Fewest trailing points before a score is given; earlier points score NaN (no opinion). */
  minPoints: number;
}

export const DEFAULT_ANOMALY_OPTIONS: AnomalyScoreOptions = { window: 60, minPoints: 10 };

export function anomalyScores(values: number[], options: AnomalyScoreOptions = DEFAULT_ANOMALY_OPTIONS): number[] {
  const { window, minPoints } = options;
  return values.map((x, i) => {
    const context = values.slice(Math.max(0, i - window), i).filter(Number.isFinite);
    if (!Number.isFinite(x) || context.length < minPoints) {
      return Number.NaN;
    }
    const med = median(context);
    const mad = median(context.map((v) => Math.abs(v - med)));
    // A flat context has MAD 0: fall back to a small share of the level so a constant series scores 0 and a jump
    // off it scores high instead of infinite.
    const scale = 1.4826 * mad || Math.max(Math.abs(med) * 0.01, 1e-9);
    return Math.abs(x - med) / scale;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
