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
   * the scale (scoreThinBaselines); `same-hours`: most series against their own same hours on earlier days
   * (scoreSameHours), `start`/`end` then the earliest day's.
   */
  kind: 'own-history' | 'across-services' | 'same-hours';
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
   * Why trust is lower than the baseline alone would give, when it is: the ranking rests on changes too young to
   * have held (rca.anomaly.freshChanges), seconds old and unconfirmed.
   */
  trustReason?: string;
  /**
   * Series whose baseline reached the incident's level only in an earlier incident (a short episode that ended),
   * which the history check set aside instead of calling the level usual (rca.anomaly.historyEpisodes).
   */
  earlierIncidents: number;
  /** For `same-hours`: the median number of earlier days pooled per series. */
  days?: number;
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
  const symptom = target
    ? timed.filter(
        (a) => a.series.service === target.service && (!target.signal || a.series.signal === target.signal),
      )
    : [];
  const pool = symptom.length > 0 ? symptom : timed;
  // The strongest change dates the incident (the latest start on a tie): a counter that stepped up at an earlier,
  // healed fault (restarts) stays above its baseline and would date it far too early.
  let best: SeriesAnomaly | undefined;
  for (const a of pool) {
    if (
      !best ||
      a.score > best.score ||
      (a.score === best.score && (a.onset ?? window.start) > (best.onset ?? window.start))
    )
      best = a;
  }
  if (!best || best.onset === undefined) return { time: window.start, source: 'window' };
  return { time: best.onset, source: 'change-point', from: `${best.series.service}/${best.series.signal}` };
}

/** The baseline behind the scores: whose, from when to the onset (`end`), how many points, how far to trust it. */
export function describeBaseline(
  anomalies: SeriesAnomaly[],
  window: IncidentWindow,
  onset: Seconds = window.start,
): BaselineInfo {
  const pointsOf = (list: SeriesAnomaly[]) => {
    const counts = list
      .map(
        (a) =>
          a.series.timestamps.filter(
            (t, i) =>
              t >= window.baselineStart &&
              t < (a.onset ?? window.start) &&
              Number.isFinite(a.series.values[i]!),
          ).length,
      )
      .sort((a, b) => a - b);
    return counts.length ? counts[counts.length >> 1]! : 0;
  };
  const thin = anomalies.filter((a) => a.thinBaseline);
  const own = anomalies.filter((a) => !a.thinBaseline);
  const sameHours = own.filter((a) => a.sameHoursDays !== undefined);
  if (sameHours.length * 2 > own.length && thin.length <= own.length)
    return describeSameHours(sameHours, window, onset);
  if (thin.length > own.length) {
    return {
      kind: 'across-services',
      start: window.baselineStart,
      end: onset,
      points: pointsOf(thin),
      trust: 'low',
      earlierIncidents: 0,
    };
  }
  const points = pointsOf(own);
  const earlierIncidents = own.filter((a) => a.earlierIncident).length;
  // A baseline that held an earlier incident is no clean normal period: what it calls normal rests on telling that
  // incident apart, so it is trusted one step less.
  const trust = points >= 30 && earlierIncidents === 0 ? 'high' : points >= 10 ? 'medium' : 'low';
  return { kind: 'own-history', start: window.baselineStart, end: onset, points, trust, earlierIncidents };
}

/**
 * Trust for a baseline from earlier days: high with 3 days or more and 30 points, since a day that held its own
 * incident is then outvoted by the others; medium with fewer days; low under 10 points.
 */
function describeSameHours(anomalies: SeriesAnomaly[], window: IncidentWindow, onset: Seconds): BaselineInfo {
  const medianOf = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1] ?? 0;
  const days = medianOf(anomalies.map((a) => a.sameHoursDays!));
  const points = medianOf(anomalies.map((a) => a.sameHoursPoints ?? 0));
  const earlierIncidents = anomalies.filter((a) => a.earlierIncident).length;
  const trust = points < 10 ? 'low' : days >= 3 && points >= 30 && earlierIncidents === 0 ? 'high' : 'medium';
  const maxDays = Math.max(...anomalies.map((a) => a.sameHoursDays!));
  return {
    kind: 'same-hours',
    start: window.baselineStart - maxDays * 86_400,
    end: onset,
    points,
    trust,
    earlierIncidents,
    days,
  };
}
