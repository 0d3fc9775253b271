import { createDataFrame, FieldColorModeId, FieldType, type DataFrame } from '@grafana/data';
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
};

export const BAND_UPPER = 'baseline upper';
export const BAND_LOWER = 'baseline lower';

/**
 * The series with its baseline band as one frame: two band fields (upper filled down to lower, no lines, hidden from
 * the legend) behind the signal. `bandColor` comes from the theme.
 */
export function anomalyFrame(
  name: string,
  series: RangeSeriesDto,
  band: BaselineBand | undefined,
  unit: string | undefined,
  bandColor: string
): DataFrame {
  const time = series.timestamps.map((t) => t * 1000);
  const grafanaUnit = unit ? (GRAFANA_UNITS[unit] ?? unit) : undefined;
  const bandCustom = (extra: Partial<GraphFieldConfig>): GraphFieldConfig => ({
    lineWidth: 0,
    hideFrom: { legend: true, tooltip: false, viz: false },
    ...extra,
  });
  const bandField = (fieldName: string, value: number, custom: GraphFieldConfig) => ({
    name: fieldName,
    type: FieldType.number,
    values: time.map(() => value),
    config: { unit: grafanaUnit, color: { mode: FieldColorModeId.Fixed, fixedColor: bandColor }, custom },
  });
  return createDataFrame({
    name,
    fields: [
      { name: 'time', type: FieldType.time, values: time },
      { name, type: FieldType.number, values: series.values, config: { unit: grafanaUnit, custom: { lineWidth: 2 } } },
      ...(band
        ? [
            bandField(BAND_UPPER, band.upper, bandCustom({ fillBelowTo: BAND_LOWER, fillOpacity: 20 })),
            bandField(BAND_LOWER, band.lower, bandCustom({})),
          ]
        : []),
    ],
  });
}
