import type { IncidentWindow, RcaTarget, Seconds } from '../types.js';
import type { SeriesAnomaly } from './scoreSeries.js';

export interface OnsetInfo {
  /** Unix seconds the incident is taken to begin; Kubernetes evidence that ended before it is history. */
  time: Seconds;
  /** `change-point`: found in the data after the window's start; `window`: the start the request gave. */
  source: 'change-point' | 'window';
  /** The signal whose change set the onset (`service/signal`), when one did. */
  from?: string;
}

export interface BaselineInfo {
  /**
   * `own-history`: each series against its own points before the onset (the baseline period plus the window's
   * points before a later onset); `across-services`: too few such points, so the changes of the other services gave
   * the scale (scoreThinBaselines).
   */
  kind: 'own-history' | 'across-services';
  start: Seconds;
  end: Seconds;
  /** Median number of baseline points per scored series. */
  points: number;
  /**
   * high: 30 points or more; medium: 10 or more, or when earlier incidents in the baseline had to be set aside;
   * low: fewer, or a scale borrowed from other services.
   */
  trust: 'high' | 'medium' | 'low';
  /**
   * Series whose baseline reached the incident's level only in an earlier incident (a short episode that ended),
   * which the history check set aside instead of calling the level usual (rca.anomaly.historyEpisodes).
   */
  earlierIncidents: number;
}

/**
 * The incident's onset: the start of the most anomalous series (each starts at the window's start, or later when it
 * changed only late in the window; see scoreSeries). With a target, only the target's anomalous series count
 * when there are any: the symptom dates the incident. Series scored on a borrowed scale carry no timing.
 */
export function findOnset(
  anomalies: SeriesAnomaly[],
  window: IncidentWindow,
  target: RcaTarget | undefined,
  threshold: number,
): OnsetInfo {
  const timed = anomalies.filter((a) => a.score >= threshold && !a.thinBaseline);
  const symptom = target ? timed.filter((a) => a.series.service === target.service && (!target.signal || a.series.signal === target.signal)) : [];
  const pool = symptom.length > 0 ? symptom : timed;
  // The strongest change dates the incident (the latest start on a tie): a counter that stepped up at an earlier,
  // healed fault (restarts) stays above its baseline and would date it far too early.
  let best: SeriesAnomaly | undefined;
  for (const a of pool) {
    if (!best || a.score > best.score || (a.score === best.score && (a.onset ?? window.start) > (best.onset ?? window.start))) best = a;
  }
  if (!best || best.onset === undefined) return { time: window.start, source: 'window' };
  return { time: best.onset, source: 'change-point', from: `${best.series.service}/${best.series.signal}` };
}

/** The baseline behind the scores: whose, from when to the onset (`end`), how many points, how far to trust it. */
export function describeBaseline(anomalies: SeriesAnomaly[], window: IncidentWindow, onset: Seconds = window.start): BaselineInfo {
  const pointsOf = (list: SeriesAnomaly[]) => {
    const counts = list
      .map((a) => a.series.timestamps.filter((t, i) => t >= window.baselineStart && t < (a.onset ?? window.start) && Number.isFinite(a.series.values[i]!)).length)
      .sort((a, b) => a - b);
    return counts.length ? counts[counts.length >> 1]! : 0;
  };
  const thin = anomalies.filter((a) => a.thinBaseline);
  const own = anomalies.filter((a) => !a.thinBaseline);
  if (thin.length > own.length) {
    return { kind: 'across-services', start: window.baselineStart, end: onset, points: pointsOf(thin), trust: 'low', earlierIncidents: 0 };
  }
  const points = pointsOf(own);
  const earlierIncidents = own.filter((a) => a.earlierIncident).length;
  // A baseline that held an earlier incident is no clean normal period: what it calls normal rests on telling that
  // incident apart, so it is trusted one step less.
  const trust = points >= 30 && earlierIncidents === 0 ? 'high' : points >= 10 ? 'medium' : 'low';
  return { kind: 'own-history', start: window.baselineStart, end: onset, points, trust, earlierIncidents };
}
