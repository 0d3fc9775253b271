import type { RcaConfig } from '../config.js';
import type { IncidentWindow, Seconds, SignalSeries } from '../types.js';
import { changePointIndex, MAD_TO_SIGMA, mad, median } from '../stats/robust.js';

/** How far one signal moved in the incident window compared with its baseline. */
export interface SeriesAnomaly {
  series: SignalSeries;
  baselineMedian: number;
  /** Robust standard deviation of the baseline, after the configured floors. */
  baselineScale: number;
  /** Median of the incident points. */
  incidentValue: number;
  /** Signed robust z of the incident value: (incident - baseline median) / scale. */
  deviation: number;
  /** Deviation in the bad direction only, compressed above the saturation level; 0 when it moved the harmless way. */
  score: number;
  /** Time of the most likely level change around the onset, when one is found. */
  changePoint?: Seconds;
}

export type AnomalySettings = RcaConfig['anomaly'];

/** Saturates large z values logarithmically: 3 stays 3, 10 stays 10, 1000 becomes ~56 instead of 1000. */
export function saturate(z: number, level: number): number {
  return z <= level ? z : level * (1 + Math.log(z / level));
}

/**
 * Scores one series against its own baseline with robust statistics (median, MAD), so a few outliers in the
 * baseline (an earlier incident, a deploy spike) do not hide the change. Returns undefined when there is not enough
 * data on either side of the onset.
 */
export function scoreSeries(
  series: SignalSeries,
  window: IncidentWindow,
  settings: AnomalySettings,
): SeriesAnomaly | undefined {
  const baseline: number[] = [];
  const incident: number[] = [];
  const around: number[] = [];
  const aroundTimes: number[] = [];
  const { timestamps, values } = series;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i]!;
    const v = values[i]!;
    if (!Number.isFinite(v) || t < window.baselineStart || t > window.end) continue;
    if (t < window.start) baseline.push(v);
    else incident.push(v);
    around.push(v);
    aroundTimes.push(t);
  }
  if (baseline.length < settings.minBaselinePoints || incident.length === 0) return undefined;

  const baselineMedian = median(baseline);
  const baselineScale = Math.max(
    MAD_TO_SIGMA * mad(baseline, baselineMedian),
    settings.relativeScaleFloor * Math.abs(baselineMedian),
    settings.absoluteScaleFloor,
  );
  const incidentValue = median(incident);
  const deviation = (incidentValue - baselineMedian) / baselineScale;
  const directional =
    series.badDirection === 'up' ? deviation : series.badDirection === 'down' ? -deviation : Math.abs(deviation);
  const score = directional > 0 ? saturate(directional, settings.saturation) : 0;

  let changePoint: Seconds | undefined;
  if (score >= settings.threshold) {
    const index = changePointIndex(around);
    if (index > 0) changePoint = aroundTimes[index];
  }
  return { series, baselineMedian, baselineScale, incidentValue, deviation, score, changePoint };
}
