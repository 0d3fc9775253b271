import type { IncidentWindow, SignalSeries } from '../types.js';
import { MAD_TO_SIGMA, mad, median } from '../stats/robust.js';
import { saturate, type AnomalySettings, type SeriesAnomaly } from './scoreSeries.js';

const MEAN_ABS_TO_SIGMA = 1.2533;
/** Fewest series of one signal whose relative changes give a scale of their own; fewer share one over all signals. */
const MIN_PEERS = 5;

interface Thin {
  series: SignalSeries;
  baselineMedian: number;
  incident: number[];
  /** Relative change of the incident median from the baseline median. */
  change: number;
}

const directional = (z: number, direction: SignalSeries['badDirection']) =>
  direction === 'up' ? z : direction === 'down' ? -z : Math.abs(z);

/**
 * Scores series whose baseline is too short for a scale of their own (fewer than `minBaselinePoints` points before
 * the onset: no normal period, only a few pre-onset rows). A series' noise cannot be read from one or two points, so
 * the scale comes from the other services instead: across all series of one signal the relative change from the
 * pre-onset level to the incident is mostly noise (most services are not the incident), and its median and MAD say
 * how much a service must move to stand out. Robust across services, so the incident's own few services do not set
 * the scale. Trust in such a baseline is low, and the result says so.
 */
export function scoreThinBaselines(
  series: SignalSeries[],
  window: IncidentWindow,
  settings: AnomalySettings,
): SeriesAnomaly[] {
  const thin: Thin[] = [];
  for (const s of series) {
    const baseline: number[] = [];
    const incident: number[] = [];
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i]!;
      const v = s.values[i]!;
      if (!Number.isFinite(v) || t < window.baselineStart || t > window.end) continue;
      (t < window.start ? baseline : incident).push(v);
    }
    if (baseline.length === 0 || incident.length === 0) continue;
    const baselineMedian = median(baseline);
    const unit = Math.max(Math.abs(baselineMedian), settings.absoluteScaleFloor);
    thin.push({ series: s, baselineMedian, incident, change: (median(incident) - baselineMedian) / unit });
  }
  if (thin.length < MIN_PEERS) return [];
  const all = crossScale(
    thin.map((t) => t.change),
    settings,
  );
  const bySignal = new Map<string, Thin[]>();
  for (const t of thin) bySignal.set(t.series.signal, [...(bySignal.get(t.series.signal) ?? []), t]);
  const out: SeriesAnomaly[] = [];
  for (const peers of bySignal.values()) {
    const { center, scale } =
      peers.length >= MIN_PEERS
        ? crossScale(
            peers.map((p) => p.change),
            settings,
          )
        : all;
    for (const p of peers) out.push(anomalyOf(p, center, scale, settings));
  }
  return out;
}

/** Median and robust spread of relative changes (trimmed mean absolute deviation when MAD is 0), floored. */
function crossScale(changes: number[], settings: AnomalySettings): { center: number; scale: number } {
  const center = median(changes);
  let scale = MAD_TO_SIGMA * mad(changes, center);
  if (!(scale > 0)) {
    const deviations = changes.map((c) => Math.abs(c - center)).sort((a, b) => a - b);
    const keep = deviations.slice(0, Math.max(1, Math.floor(deviations.length * (1 - settings.scaleTrim))));
    scale = MEAN_ABS_TO_SIGMA * (keep.reduce((a, b) => a + b, 0) / keep.length);
  }
  return { center, scale: Math.max(scale, settings.relativeScaleFloor) };
}

function anomalyOf(p: Thin, center: number, crossScale: number, settings: AnomalySettings): SeriesAnomaly {
  const unit = Math.max(Math.abs(p.baselineMedian), settings.absoluteScaleFloor);
  // Counts keep their Poisson noise (as in scoreSeries): 1.5 requests becoming 0 is no news at any borrowed scale.
  const epu = p.series.eventsPerUnit;
  const poisson = epu && epu > 0 ? Math.sqrt(Math.max(1, Math.abs(p.baselineMedian) * epu)) / epu / unit : 0;
  const scale = Math.max(crossScale, poisson);
  const zOf = (value: number) => ((value - p.baselineMedian) / unit - center) / scale;
  const incidentValue = median(p.incident);
  const deviation = zOf(incidentValue);
  const score = Math.max(0, directional(deviation, p.series.badDirection));
  let peak = 0;
  for (const v of p.incident) peak = Math.max(peak, directional(zOf(v), p.series.badDirection));
  return {
    series: p.series,
    baselineMedian: p.baselineMedian,
    baselineScale: scale * unit,
    incidentValue,
    deviation,
    score: saturate(score, settings.saturation),
    peak: saturate(peak, settings.saturation),
    // The target gate is off on a borrowed baseline (rankCandidates' gateOnTarget), so no hold is measured here.
    heldPeak: saturate(peak, settings.saturation),
    thinBaseline: true,
  };
}
