/** A number as the engine's narratives print it: whole above 100 or when integral, else three significant digits. */
export const formatNumber = (v: number): string =>
  Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(3);

/**
 * A robust z for people. Beyond about 100 its exact size says how flat the baseline was rather than how bad the
 * incident is (0.45% errors → 55% is "+4500σ" against a quiet hour), so it reads as the factor the level changed by.
 * Here rather than in the engine so the engine's narratives and both plugins word a deviation the same way.
 */
export function describeDeviation(m: { deviation: number; baselineMedian: number; incidentValue: number }): string {
  if (Math.abs(m.deviation) <= 100) return `${m.deviation >= 0 ? '+' : ''}${formatNumber(m.deviation)} robust σ`;
  const side = m.deviation > 0 ? 'above' : 'below';
  const ratio = m.baselineMedian !== 0 ? Math.abs(m.incidentValue / m.baselineMedian) : Infinity;
  const factor = Number.isFinite(ratio) && ratio > 0 ? ` (×${ratio >= 10 ? ratio.toFixed(0) : ratio.toPrecision(2)})` : '';
  return `far ${side} the baseline's range, over 100 robust σ${factor}`;
}
