import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MetricsSource, RangeSeries } from '../../sources/metrics/MetricsSource.js';
import type { AnomalyDetector } from './AnomalyDetector.js';
import { SortedWindow } from './SortedWindow.js';
import {
  ANOMALY_DETECTOR_NAMES,
  createAnomalyDetector,
  DEFAULT_ANOMALY_DETECTOR,
  type AnomalyDetectorName,
} from './anomalyDetectors.js';
import { DEFAULT_TAIL_ENSEMBLE } from './detectors/TailEnsembleDetector.js';

/** An alert in the generic form every alert source shares (Alertmanager's fields; times in unix ms). */
export interface AnomalyAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  endsAt?: number;
  fingerprint: string;
}

export const anomalySignalSchema = z.object({
  /** Becomes the `signal` label; names the alert. */
  name: z
    .string()
    .min(1)
    .regex(/^[a-zA-Z_][a-zA-Z0-9_:-]*$/, 'letters, digits, _ : - only'),
  /** PromQL range query; every series it returns gets its own detector. */
  query: z.string().min(1),
  /** The metrics source the query is written for (`metrics.sources`, e.g. InfluxQL for an InfluxDB); default source otherwise. */
  source: z.string().min(1).optional(),
  stepSeconds: z.number().int().positive().max(86_400).default(60),
  labels: z.record(z.string(), z.string()).default({}),
  severity: z.string().min(1).default('warning'),
});
export type AnomalySignal = z.input<typeof anomalySignalSchema>;

export const anomalyAlertSourceSchema = z.object({
  signals: z.array(anomalySignalSchema).min(1),
  detector: z
    .enum(ANOMALY_DETECTOR_NAMES as [AnomalyDetectorName, ...AnomalyDetectorName[]])
    .default(DEFAULT_ANOMALY_DETECTOR),
  /**
   * Score at which a sample is an anomaly: one value for every series, never per metric. Default: the detector's
   * detection level, which the NAB benchmark's corpus-wide optimisation lands on (0.2499 for the standard profile).
   */
  threshold: z.number().gt(0).lte(1).default(DEFAULT_TAIL_ENSEMBLE.detectionLevel),
  /** History read on the first poll to learn the baseline before alerting (NAB's probation: 15% of it, ≤ 750 steps). */
  historySeconds: z
    .number()
    .int()
    .positive()
    .default(7 * 86_400),
  /** No alert before a series has this much history: a day, so that a daily peak is seen once before it is judged. */
  warmupSeconds: z.number().int().min(0).default(86_400),
  /**
   * Practical significance: a detection alerts only if the value is at least this fraction away from both its
   * baselines, the median of the last 750 steps and the median of the values at the same time on the previous
   * days (up to 7). Scale-free, one value for every series; it keeps smooth drifting series (the demo shop's
   * latencies move 0.2% per hour, which the detector rightly finds unprecedented) and daily peaks like the days
   * before from paging anyone.
   */
  minRelativeChange: z.number().min(0).default(0.1),
  /** A firing anomaly resolves once the value has been back near its pre-anomaly baseline for this many steps… */
  resolveAfterSteps: z.number().int().positive().default(5),
  /** …or when the new level has lasted this many steps without a further detection (it is the new normal). */
  newNormalAfterSteps: z.number().int().positive().default(360),
});
export type AnomalyAlertSourceConfig = z.input<typeof anomalyAlertSourceSchema>;

/** Values behind the significance check's median: the detector's own baseline length. */
const BASELINE_VALUES = 750;

interface Track {
  detector: AnomalyDetector;
  /** The last values, for the baseline median of the significance check. */
  recent: SortedWindow;
  /** Values by unix second over the last SEASON_DAYS days, for the same-time-of-day baseline. */
  byTime: Map<number, number>;
  /** Unix seconds of the first and the last sample fed. */
  firstSeen: number;
  lastSeen: number;
  rows: number;
  probationRows: number;
  firing?: AnomalyAlert;
  /** The baseline median when the alert fired: "back to normal" is measured against it, not the shifted one. */
  firingBaseline?: number;
  lastDetection?: number;
  /** Consecutive steps back within the significance band of firingBaseline. */
  backSteps: number;
}

/**
 * Anomaly alerts without thresholds per metric: runs a streaming detector over every series of the configured
 * signals, read through the engine's MetricsSource, and turns detections into alerts in the generic form. Each
 * poll reads only what is new since the last one (the first poll reads `historySeconds` to learn the baseline).
 * Alerts are raised through `sink` (see `anomalyAlertSink`) and returned.
 */
export class AnomalyAlertSource {
  private readonly config: z.output<typeof anomalyAlertSourceSchema>;
  private readonly tracks = new Map<string, Track>();

  constructor(
    private readonly metrics: Pick<MetricsSource, 'rangeQuery'>,
    config: AnomalyAlertSourceConfig,
    private readonly sink?: (alert: AnomalyAlert) => Promise<unknown>,
  ) {
    this.config = anomalyAlertSourceSchema.parse(config);
  }

  /** Reads new samples up to `now` (unix seconds), scores them, returns the alerts that fired or resolved. */
  async poll(now: number = Date.now() / 1000): Promise<AnomalyAlert[]> {
    const alerts: AnomalyAlert[] = [];
    for (const signal of this.config.signals) {
      const start = this.signalStart(signal.name, now);
      if (start > now - signal.stepSeconds) continue;
      const range = { query: signal.query, start, end: now, stepSeconds: signal.stepSeconds };
      const series = await this.metrics.rangeQuery(
        signal.source ? { ...range, source: signal.source } : range,
      );
      for (const s of series) alerts.push(...this.feed(signal, s));
    }
    for (const alert of alerts) await this.sink?.(alert);
    return alerts;
  }

  private signalStart(signal: string, now: number): number {
    let last = -Infinity;
    for (const [key, track] of this.tracks)
      if (key.startsWith(`${signal}\u0000`)) last = Math.max(last, track.lastSeen);
    return Number.isFinite(last) ? last + 1 : now - this.config.historySeconds;
  }

  private feed(signal: z.output<typeof anomalySignalSchema>, series: RangeSeries): AnomalyAlert[] {
    const key = `${signal.name}\u0000${JSON.stringify(Object.entries(series.labels).sort())}`;
    let track = this.tracks.get(key);
    if (!track) {
      const probationRows = Math.min(750, Math.floor(0.15 * series.timestamps.length));
      track = {
        detector: createAnomalyDetector(this.config.detector, { probationRows }),
        recent: new SortedWindow(BASELINE_VALUES),
        byTime: new Map(),
        firstSeen: series.timestamps[0] ?? 0,
        lastSeen: -Infinity,
        rows: 0,
        probationRows,
        backSteps: 0,
      };
      this.tracks.set(key, track);
    }
    const out: AnomalyAlert[] = [];
    series.timestamps.forEach((t, i) => {
      if (t <= track.lastSeen) return;
      const value = series.values[i]!;
      track.lastSeen = t;
      if (!Number.isFinite(value)) return;
      const score = track.detector.update(t * 1000, value);
      const median = track.recent.quantile(0.5);
      const seasonal = sameTimeMedian(track.byTime, t);
      const far = (baseline: number | undefined) =>
        baseline === undefined ||
        Math.abs(value - baseline) >= this.config.minRelativeChange * Math.abs(baseline);
      const significant = far(median) && far(seasonal);
      remember(track, t, value);
      const row = track.rows++;
      const warm = row >= track.probationRows && t - track.firstSeen >= this.config.warmupSeconds;
      const alert = this.transition(signal, series, track, {
        t,
        value,
        score,
        median,
        seasonal,
        detected: warm && significant,
      });
      if (alert) out.push(alert);
    });
    return out;
  }

  private transition(
    signal: z.output<typeof anomalySignalSchema>,
    series: RangeSeries,
    track: Track,
    sample: { t: number; value: number; score: number; median: number; seasonal?: number; detected: boolean },
  ): AnomalyAlert | undefined {
    const { t, value, score, median, seasonal, detected } = sample;
    if (detected && score >= this.config.threshold) {
      track.lastDetection = t;
      track.backSteps = 0;
      if (track.firing) return undefined;
      track.firing = this.alert(signal, series.labels, { startsAt: t * 1000, value, score });
      track.firingBaseline = median;
      return track.firing;
    }
    if (!track.firing) return undefined;
    const near = (baseline: number | undefined) =>
      baseline !== undefined &&
      Math.abs(value - baseline) < this.config.minRelativeChange * Math.abs(baseline);
    const back = near(track.firingBaseline) || near(seasonal);
    track.backSteps = back ? track.backSteps + 1 : 0;
    const quietSteps = (t - (track.lastDetection ?? t)) / signal.stepSeconds;
    if (track.backSteps < this.config.resolveAfterSteps && quietSteps < this.config.newNormalAfterSteps)
      return undefined;
    const resolved: AnomalyAlert = { ...track.firing, status: 'resolved', endsAt: t * 1000 };
    track.firing = undefined;
    track.backSteps = 0;
    return resolved;
  }

  private alert(
    signal: z.output<typeof anomalySignalSchema>,
    seriesLabels: Record<string, string>,
    at: { startsAt: number; value: number; score: number },
  ): AnomalyAlert {
    const { __name__: metric, ...rest } = seriesLabels;
    const labels = {
      ...rest,
      ...signal.labels,
      alertname: 'MetricAnomaly',
      signal: signal.name,
      severity: signal.severity,
      ...(metric ? { metric } : {}),
    };
    return {
      status: 'firing',
      labels,
      annotations: {
        summary: `${signal.name} left its learned baseline (value ${formatValue(at.value)}, anomaly score ${at.score.toFixed(3)})`,
        description: `Streaming ${this.config.detector} detector over \`${signal.query}\`; threshold ${this.config.threshold} shared by every series.`,
        anomaly_score: at.score.toFixed(4),
        value: formatValue(at.value),
        query: signal.query,
      },
      startsAt: at.startsAt,
      fingerprint: fingerprintOf(labels),
    };
  }
}

const DAY_SECONDS = 86_400;
const SEASON_DAYS = 7;

function remember(track: Track, t: number, value: number): void {
  track.recent.push(value);
  track.byTime.set(t, value);
  // Map iterates in insertion order, oldest first.
  for (const [time] of track.byTime) {
    if (time > t - SEASON_DAYS * DAY_SECONDS) break;
    track.byTime.delete(time);
  }
}

/** Median of the values at exactly the same time on the previous days; undefined before a day of history. */
function sameTimeMedian(byTime: Map<number, number>, t: number): number | undefined {
  const same: number[] = [];
  for (let k = 1; k <= SEASON_DAYS; k++) {
    const v = byTime.get(t - k * DAY_SECONDS);
    if (v !== undefined) same.push(v);
  }
  if (same.length === 0) return undefined;
  same.sort((a, b) => a - b);
  const mid = same.length >> 1;
  return same.length % 2 ? same[mid]! : (same[mid - 1]! + same[mid]!) / 2;
}

/** Stable identity of an anomaly alert: same signal and series → same fingerprint, across restarts. */
function fingerprintOf(labels: Record<string, string>): string {
  const text = Object.keys(labels)
    .sort()
    .map((k) => `${k}\u00ff${labels[k]}\u00ff`)
    .join('');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}

/**
 * The alerts pipeline's entry for anomaly alerts: pass the AlertService (`alertsOf(engine)`), get the sink
 * AnomalyAlertSource raises through, so anomalies become first-class alerts on the same path as Alertmanager's.
 */
export function anomalyAlertSink(service: {
  raise(alert: {
    source: 'anomaly';
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    status?: 'firing' | 'resolved';
    startsAt?: number;
    endsAt?: number;
  }): Promise<unknown>;
}): (alert: AnomalyAlert) => Promise<unknown> {
  return (alert) =>
    service.raise({
      source: 'anomaly',
      labels: alert.labels,
      annotations: alert.annotations,
      status: alert.status,
      startsAt: alert.startsAt,
      ...(alert.endsAt !== undefined ? { endsAt: alert.endsAt } : {}),
    });
}
