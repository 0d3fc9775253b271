import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import type { ForecastResponse, RangeSeriesDto } from '../api/types';
import { anomalyScores, type AnomalyScoreOptions, DEFAULT_ANOMALY_OPTIONS } from './anomalyScore';
import { toEpochMs } from './toEpochMs';

interface FrameTarget {
  refId: string;
  service: string;
  signal: string;
}

/**
 * One frame per forecast: time, value, lower, upper. The band's upper edge fills down to the lower edge, so a
 * panel shows the prediction interval as a shaded band without any override.
 */
export function forecastToFrame(response: ForecastResponse, target: FrameTarget): DataFrame {
  const points = response.points.map((p) => ({ ...p, t: toEpochMs(p.t) })).sort((a, b) => a.t - b.t);
  const name = `${target.service} ${target.signal} forecast`;
  return createDataFrame({
    refId: target.refId,
    name,
    meta: { custom: { model: response.model, reason: response.reason } },
    fields: [
      { name: 'time', type: FieldType.time, values: points.map((p) => p.t) },
      { name: 'value', type: FieldType.number, values: points.map((p) => p.value), config: { displayName: name } },
      {
        name: 'lower',
        type: FieldType.number,
        values: points.map((p) => p.lower),
        config: { displayName: `${name} lower`, custom: { lineWidth: 0, fillOpacity: 0 } },
      },
      {
        name: 'upper',
        type: FieldType.number,
        values: points.map((p) => p.upper),
        config: {
          displayName: `${name} upper`,
          custom: { lineWidth: 0, fillOpacity: 20, fillBelowTo: `${name} lower` },
        },
      },
    ],
  });
}

/** The signal's series for one service, as time + value. */
export function historyToFrame(series: RangeSeriesDto, target: FrameTarget): DataFrame {
  const name = `${target.service} ${target.signal}`;
  return createDataFrame({
    refId: target.refId,
    name,
    fields: [
      { name: 'time', type: FieldType.time, values: series.timestamps.map(toEpochMs) },
      { name: 'value', type: FieldType.number, values: series.values, config: { displayName: name } },
    ],
  });
}

/** Anomaly score per point of the series; points before `from` (ms) are context only and are dropped. */
export function anomalyToFrame(
  series: RangeSeriesDto,
  target: FrameTarget,
  from: number,
  options: AnomalyScoreOptions = DEFAULT_ANOMALY_OPTIONS
): DataFrame {
  const scores = anomalyScores(series.values, options);
  const times = series.timestamps.map(toEpochMs);
  const keep = times.map((t, i) => (t >= from ? i : -1)).filter((i) => i >= 0);
  const name = `${target.service} ${target.signal} anomaly score`;
  return createDataFrame({
    refId: target.refId,
    name,
    fields: [
      { name: 'time', type: FieldType.time, values: keep.map((i) => times[i]) },
      {
        name: 'value',
        type: FieldType.number,
        values: keep.map((i) => (Number.isFinite(scores[i]) ? scores[i] : null)),
        config: { displayName: name },
      },
    ],
  });
}
