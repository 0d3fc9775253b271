/**
 * Request latency as a mixture of two log-normals: requests served straight away and requests that queued. The
 * queued share grows linearly with load (and with capacity-loss faults), so tail latency follows traffic while each
 * histogram bucket stays a closed-form integral.
 */
export const LATENCY = {
  /** Spread of the normal component (log-space σ). */
  sigma: 0.45,
  /** Median of the queued component, relative to the normal median. */
  slowFactor: 6,
  slowSigma: 0.6,
  /** Queued share per unit of relative load. */
  queuedPerLoad: 0.03,
  /** Ceiling of the queued share. */
  maxQueued: 0.9,
} as const;

/** Prometheus client default buckets. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];

export function logNormalCdf(x: number, median: number, sigma: number): number {
  if (x === Infinity) return 1;
  if (x <= 0) return 0;
  return 0.5 * (1 + erf(Math.log(x / median) / (sigma * Math.SQRT2)));
}

export function logNormalMean(median: number, sigma: number): number {
  return median * Math.exp((sigma * sigma) / 2);
}

/** Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), plenty for bucket fractions. */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return sign * y;
}
