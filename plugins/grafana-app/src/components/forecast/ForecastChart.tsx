import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { dateTime, type GrafanaTheme2 } from '@grafana/data';
import { LegendDisplayMode } from '@grafana/schema';
import { TimeSeries, useStyles2, useTheme2 } from '@grafana/ui';
import type { ForecastResponse, ScalePlanResponse } from '../../api/types';
import { grafanaUnit } from '../rca/anomalyFrame';
import { useContainerWidth } from '../rca/useContainerWidth';
import { testIds } from '../testIds';
import { forecastPlanFrames } from './forecastPlanFrames';
import { ChartTooltip } from '../rca/ChartTooltip';

export interface ForecastChartProps {
  forecast: ForecastResponse;
  plan?: ScalePlanResponse['plan'];
  /** The signal's engine unit (signal catalog). */
  unit?: string;
  title: string;
}

const HEIGHT = 320;

/**
 * History, forecast and interval band in one chart, with the replica plan (planned capacity on the demand axis,
 * replicas on a right axis) as step lines. Grafana's own `TimeSeries` (uPlot), standalone: PanelRenderer needs a
 * started Grafana instance, which the plugin's browser harness (and any page test) does not have.
 */
export function ForecastChart({ forecast, plan, unit, title }: ForecastChartProps) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const { ref, width } = useContainerWidth<HTMLDivElement>(800);
  const frames = useMemo(
    () => forecastPlanFrames(forecast, plan, grafanaUnit(unit), theme),
    [forecast, plan, unit, theme]
  );
  const timeRange = useMemo(() => {
    const times = frames.flatMap((f) => f.fields[0]!.values as number[]);
    const from = dateTime(Math.min(...times));
    const to = dateTime(Math.max(...times));
    return { from, to, raw: { from, to } };
  }, [frames]);
  if (forecast.points.length === 0 && forecast.history.length === 0) {
    return null;
  }
  return (
    <figure className={s.figure} data-testid={testIds.forecast.chart} aria-label={title}>
      <div ref={ref}>
        <TimeSeries
          frames={frames}
          width={width}
          height={HEIGHT}
          timeRange={timeRange}
          timeZone="utc"
          legend={{ showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] }}
        >
          {(config, alignedFrame) => <ChartTooltip config={config} frame={alignedFrame} />}
        </TimeSeries>
      </div>
      <figcaption className={s.caption}>{title}</figcaption>
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // The page's 960 px column (the boxes above and below the chart): at the window's full width the right axis's
  // rotated 'replicas' label sat on the window's edge and was cut at 1280 px, and the tooltip with it.
  figure: css`
    margin: ${theme.spacing(1, 0)};
    max-width: 960px;
  `,
  caption: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
