import {
  createDataFrame,
  FieldColorModeId,
  FieldType,
  getDisplayProcessor,
  type DataFrame,
  type GrafanaTheme2,
} from '@grafana/data';
import { AxisPlacement, GraphDrawStyle, LineInterpolation, type GraphFieldConfig } from '@grafana/schema';
import { t } from '@grafana/i18n';
import type { ForecastResponse, ScalePlanResponse } from '../../api/types';
import { toEpochMs } from '../../datasource/toEpochMs';

export const SERIES = {
  history: 'observed',
  forecast: 'forecast',
  lower: 'interval lower',
  upper: 'interval upper',
  /** Replicas × capacity per replica: what the plan serves at the HPA's target utilisation (it tolerates a bit more). */
  capacity: 'planned capacity',
  replicas: 'replicas',
} as const;

type Plan = ScalePlanResponse['plan'];

/** What the legend and tooltip show; field names stay the SERIES ids the band's fill refers to. */
function seriesLabel(name: string): string {
  const labels: Record<string, string> = {
    [SERIES.history]: t('forecast.series.observed', 'observed'),
    [SERIES.forecast]: t('forecast.series.forecast', 'forecast'),
    [SERIES.lower]: t('forecast.series.lower', 'interval lower'),
    [SERIES.upper]: t('forecast.series.upper', 'interval upper'),
    [SERIES.capacity]: t('forecast.series.capacity', 'planned capacity'),
    [SERIES.replicas]: t('forecast.series.replicas', 'replicas'),
  };
  return labels[name] ?? name;
}

/**
 * History, forecast with its interval band and, with a replica plan, the capacity it buys (replicas × capacity per
 * replica, a step line on the demand axis) and the replica count (a step line on a right axis): the frames one chart
 * needs. Every line spans the gaps the other frames' timestamps leave once Grafana joins them, and every field gets
 * its display processor (a standalone TimeSeries has no panel to give it one).
 */
export function forecastPlanFrames(
  forecast: ForecastResponse,
  plan: Plan | undefined,
  unit: string | undefined,
  theme: GrafanaTheme2
): DataFrame[] {
  const color = (name: string) => ({
    mode: FieldColorModeId.Fixed,
    fixedColor: theme.visualization.getColorByName(name),
  });
  const line = (extra: Partial<GraphFieldConfig> = {}): GraphFieldConfig => ({
    lineWidth: 2,
    spanNulls: true,
    ...extra,
  });
  const points = [...forecast.points].sort((a, b) => a.t - b.t);
  const frames: DataFrame[] = [];
  if (forecast.history.length > 0) {
    frames.push(
      createDataFrame({
        name: SERIES.history,
        fields: [
          { name: 'time', type: FieldType.time, values: forecast.history.map((p) => toEpochMs(p.t)) },
          {
            name: SERIES.history,
            type: FieldType.number,
            values: forecast.history.map((p) => p.value),
            config: { unit, displayName: seriesLabel(SERIES.history), color: color('blue'), custom: line() },
          },
        ],
      })
    );
  }
  const band = (name: string, values: number[], custom: Partial<GraphFieldConfig>) => ({
    name,
    type: FieldType.number,
    values,
    config: {
      unit,
      displayName: seriesLabel(name),
      color: color('purple'),
      custom: line({ lineWidth: 0, hideFrom: { legend: true, tooltip: false, viz: false }, ...custom }),
    },
  });
  frames.push(
    createDataFrame({
      name: SERIES.forecast,
      fields: [
        { name: 'time', type: FieldType.time, values: points.map((p) => toEpochMs(p.t)) },
        {
          name: SERIES.forecast,
          type: FieldType.number,
          values: points.map((p) => p.value),
          config: {
            unit,
            displayName: seriesLabel(SERIES.forecast),
            color: color('purple'),
            custom: line({ lineStyle: { fill: 'dash', dash: [8, 4] } }),
          },
        },
        band(
          SERIES.upper,
          points.map((p) => p.upper),
          { fillBelowTo: SERIES.lower, fillOpacity: 20 }
        ),
        band(
          SERIES.lower,
          points.map((p) => p.lower),
          {}
        ),
      ],
    })
  );
  if (plan && plan.steps.length > 0) {
    const steps = [...plan.steps].sort((a, b) => a.t - b.t);
    const step = line({ drawStyle: GraphDrawStyle.Line, lineInterpolation: LineInterpolation.StepAfter });
    frames.push(
      createDataFrame({
        name: 'plan',
        fields: [
          { name: 'time', type: FieldType.time, values: steps.map((s) => toEpochMs(s.t)) },
          {
            name: SERIES.capacity,
            type: FieldType.number,
            values: steps.map((s) => s.replicas * plan.capacityPerReplica),
            config: { unit, displayName: seriesLabel(SERIES.capacity), color: color('orange'), custom: step },
          },
          {
            name: SERIES.replicas,
            type: FieldType.number,
            values: steps.map((s) => s.replicas),
            config: {
              unit: 'none',
              decimals: 0,
              displayName: seriesLabel(SERIES.replicas),
              color: color('green'),
              custom: {
                ...step,
                axisPlacement: AxisPlacement.Right,
                axisLabel: seriesLabel(SERIES.replicas),
                axisSoftMin: 0,
              },
            },
          },
        ],
      })
    );
  }
  for (const frame of frames) {
    for (const field of frame.fields) {
      field.display = getDisplayProcessor({ field, theme });
    }
  }
  return frames;
}
