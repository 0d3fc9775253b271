/** A number as the engine's narratives print it: whole above 100 or when integral, else three significant digits. */
export const formatNumber = (v: number): string =>
  Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(3);

/**
 * A deviation in parts, for a caller that words it in the user's language: an ordinary robust z (`+7.25`), or a z
 * beyond 100 as its side of the baseline and, when the baseline is not 0, the factor the level changed by (`122`).
 */
export type DeviationParts = { kind: 'z'; z: string } | { kind: 'far'; side: 'above' | 'below'; factor?: string };

const english = (d: DeviationParts): string =>
  d.kind === 'z'
    ? `${d.z} robust σ`
    : `far ${d.side} the baseline's range, over 100 robust σ${d.factor ? ` (×${d.factor})` : ''}`;

/**
 * A robust z for people. Beyond about 100 its exact size says how flat the baseline was rather than how bad the
 * incident is (0.45% errors → 55% is "+4500σ" against a quiet hour), so it reads as the factor the level changed by.
 * Here rather than in the engine so the engine's narratives and both plugins word a deviation the same way; `words`
 * turns the parts into text (English unless given), so a plugin translates the wording without this package
 * depending on its i18n.
 */
export function describeDeviation(
  m: { deviation: number; baselineMedian: number; incidentValue: number },
  words: (d: DeviationParts) => string = english,
): string {
  if (Math.abs(m.deviation) <= 100) {
    return words({ kind: 'z', z: `${m.deviation >= 0 ? '+' : ''}${formatNumber(m.deviation)}` });
  }
  const side = m.deviation > 0 ? 'above' : 'below';
  const ratio = m.baselineMedian !== 0 ? Math.abs(m.incidentValue / m.baselineMedian) : Infinity;
  const known = Number.isFinite(ratio) && ratio > 0;
  const factor = known ? { factor: ratio >= 10 ? ratio.toFixed(0) : ratio.toPrecision(2) } : {};
  return words({ kind: 'far', side, ...factor });
}
