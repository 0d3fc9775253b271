import {
  createDataFrame,
  FieldColorModeId,
  FieldType,
  getDisplayProcessor,
  type DataFrame,
  type GrafanaTheme2,
} from '@grafana/data';
import type { GraphFieldConfig } from '@grafana/schema';
import type { RangeSeriesDto } from '../../api/types';
import type { BaselineBand } from './baselineBand';

/** Engine units (signal catalog) as Grafana unit ids, so axes and tooltips format as elsewhere in Grafana. */
const GRAFANA_UNITS: Record<string, string> = {
  s: 's',
  ms: 'ms',
  bytes: 'bytes',
  ratio: 'percentunit',
  cores: 'short',
  'req/s': 'reqps',
  count: 'short',
};

/** A signal's engine unit as a Grafana unit id (unknown units pass through as a suffix). */
export function grafanaUnit(unit: string | undefined): string | undefined {
  return unit ? (GRAFANA_UNITS[unit] ?? unit) : undefined;
}

export const BAND_UPPER = 'baseline upper';
export const BAND_LOWER = 'baseline lower';

/**
 * The series with its baseline band as one frame: two band fields (upper filled down to lower, no lines, hidden from
 * the legend) behind the signal, coloured from the theme. Each field gets its display processor, as Grafana's field
 * overrides would give it inside a panel: without one the axis labels of a standalone TimeSeries read "undefined".
 */
export function anomalyFrame(
  name: string,
  series: RangeSeriesDto,
  band: BaselineBand | undefined,
  unit: string | undefined,
  theme: GrafanaTheme2
): DataFrame {
  const bandColor = theme.colors.text.secondary;
  const time = series.timestamps.map((t) => t * 1000);
  const bandCustom = (extra: Partial<GraphFieldConfig>): GraphFieldConfig => ({
    lineWidth: 0,
    hideFrom: { legend: true, tooltip: false, viz: false },
    ...extra,
  });
  const bandField = (fieldName: string, value: number, custom: GraphFieldConfig) => ({
    name: fieldName,
    type: FieldType.number,
    values: time.map(() => value),
    config: { unit: grafanaUnit(unit), color: { mode: FieldColorModeId.Fixed, fixedColor: bandColor }, custom },
  });
  const frame = createDataFrame({
    name,
    fields: [
      { name: 'time', type: FieldType.time, values: time },
      {
        name,
        type: FieldType.number,
        values: series.values,
        config: {
          unit: grafanaUnit(unit),
          color: { mode: FieldColorModeId.Fixed, fixedColor: theme.colors.primary.main },
          custom: { lineWidth: 2 },
        },
      },
      ...(band
        ? [
            bandField(BAND_UPPER, band.upper, bandCustom({ fillBelowTo: BAND_LOWER, fillOpacity: 20 })),
            bandField(BAND_LOWER, band.lower, bandCustom({})),
          ]
        : []),
    ],
  });
  for (const field of frame.fields) {
    field.display = getDisplayProcessor({ field, theme });
  }
  return frame;
}
