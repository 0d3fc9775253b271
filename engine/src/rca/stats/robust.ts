/** Robust statistics on plain arrays; NaN values are skipped by the callers before they get here. */

export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation around the median (unscaled). */
export function mad(values: ArrayLike<number>, center = median(values)): number {
  const n = values.length;
  if (n === 0) return NaN;
  const deviations = new Float64Array(n);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs(values[i]! - center);
  return median(deviations);
}

/** MAD scaled to estimate the standard deviation of normal data. */
export const MAD_TO_SIGMA = 1.4826;

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length ? sum / values.length : NaN;
}

export function std(values: ArrayLike<number>, m = mean(values)): number {
  if (values.length < 2) return 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i]! - m) ** 2;
  return Math.sqrt(sum / (values.length - 1));
}

/** Pearson correlation of two equally long arrays; 0 when either is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  if (n < 3) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return 0;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * The single most likely change point of a series: the split maximising the between-segment sum of squares (a
 * one-step binary segmentation). Returns the index of the first point after the change, or -1 when too short.
 */
export function changePointIndex(values: ArrayLike<number>, minSegment = 2): number {
  const n = values.length;
  if (n < 2 * minSegment) return -1;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + values[i]!;
  const total = prefix[n]!;
  let best = -1;
  let bestGain = 0;
  for (let k = minSegment; k <= n - minSegment; k++) {
    const left = prefix[k]! / k;
    const right = (total - prefix[k]!) / (n - k);
    const gain = ((k * (n - k)) / n) * (left - right) ** 2;
    if (gain > bestGain) {
      bestGain = gain;
      best = k;
    }
  }
  return best;
}
