import React, { useLayoutEffect, useMemo } from 'react';
import { css } from '@emotion/css';
import { dateTime, type GrafanaTheme2 } from '@grafana/data';
import { LegendDisplayMode } from '@grafana/schema';
import { TimeSeries, useStyles2, useTheme2, type UPlotConfigBuilder } from '@grafana/ui';
import { t } from '@grafana/i18n';
import { useEngineQuery } from '../../api/useEngineQuery';
import { testIds } from '../testIds';
import { UNESCAPED } from '../../locales/unescaped';
import { anomalyFrame } from './anomalyFrame';
import { baselineBand } from './baselineBand';
import { fmt } from './candidateReason';
import { wallClock } from '../../utils/utcTime';
import { useContainerWidth } from './useContainerWidth';
import { ChartTooltip } from './ChartTooltip';

export interface AnomalyChartProps {
  promql: string;
  signal: string;
  unit?: string;
  /** The engine's windows, unix seconds: the band is learnt on [baselineStart, start). */
  window: { baselineStart: number; start: number; end: number };
  /** Unix seconds of the onset to mark (the signal's change point, else the incident's). */
  onset?: number;
}

const HEIGHT = 160;
/** About 240 points across the chart: one per two pixels at the usual width, and a light query for the engine. */
const POINTS = 240;

/**
 * The evidence's series over the baseline and the incident, with the baseline's normal range as a band and the onset
 * as a vertical line. Grafana's own `TimeSeries` (uPlot) renders it, standalone: no PanelRenderer, so it also works
 * where Grafana's runtime has not started, and themes and tooltips match Grafana's panels.
 */
export function AnomalyChart({ promql, signal, unit, window: w, onset }: AnomalyChartProps) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const { ref, width } = useContainerWidth<HTMLDivElement>(480);
  const step = Math.max(15, Math.ceil((w.end - w.baselineStart) / POINTS));
  const query = useEngineQuery(
    (api) => api.queryRange({ query: promql, start: w.baselineStart, end: w.end, step }),
    [promql, w.baselineStart, w.end, step]
  );
  const series = query.value?.[0];
  const band = useMemo(
    () => (series ? baselineBand(series.timestamps, series.values, w.baselineStart, w.start) : undefined),
    [series, w.baselineStart, w.start]
  );
  const frames = useMemo(
    () => (series ? [anomalyFrame(signal, series, band, unit, theme)] : []),
    [series, band, signal, unit, theme]
  );
  const timeRange = useMemo(() => {
    const from = dateTime(w.baselineStart * 1000);
    const to = dateTime(w.end * 1000);
    return { from, to, raw: { from, to } };
  }, [w.baselineStart, w.end]);

  const caption = [
    band
      ? t('rca.chart.normal-range', 'normal range {{lower}}–{{upper}}{{unit}}', {
          lower: fmt(band.lower),
          upper: fmt(band.upper),
          unit: unit ? ` ${unit}` : '',
          ...UNESCAPED,
        })
      : undefined,
    onset !== undefined ? t('rca.chart.onset', 'onset {{time}} UTC', { time: wallClock(onset) }) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <figure className={s.figure} data-testid={testIds.rootCause.chart}>
      <div ref={ref} className={s.plot}>
        {query.loading && (
          <div className={s.note}>{t('rca.chart.loading', 'Loading {{signal}}…', { signal, ...UNESCAPED })}</div>
        )}
        {query.error !== undefined && (
          <div className={s.note}>
            {t('rca.chart.failed', 'Could not load {{signal}} for the chart.', { signal, ...UNESCAPED })}
          </div>
        )}
        {!query.loading && query.error === undefined && !series && (
          <div className={s.note}>
            {t('rca.chart.no-data', 'No data for {{signal}} in this window.', { signal, ...UNESCAPED })}
          </div>
        )}
        {series && (
          <TimeSeries
            frames={frames}
            width={width}
            height={HEIGHT}
            timeRange={timeRange}
            timeZone="utc"
            legend={{ showLegend: false, displayMode: LegendDisplayMode.Hidden, placement: 'bottom', calcs: [] }}
          >
            {(config, alignedFrame) => (
              <>
                <ChartTooltip config={config} frame={alignedFrame} />
                {onset !== undefined && <OnsetMarker config={config} onsetMs={onset * 1000} />}
              </>
            )}
          </TimeSeries>
        )}
      </div>
      <figcaption className={s.caption}>
        {signal}
        {caption && `: ${caption}`}
        {query.value && query.value.length > 1 && ` (first of ${query.value.length} series)`}
      </figcaption>
    </figure>
  );
}

/**
 * A dashed vertical line at the onset, drawn on uPlot's canvas after each redraw. Registered in a layout effect, which
 * runs before the chart creates its uPlot instance (the pattern of Grafana's own plot plugins).
 */
function OnsetMarker({ config, onsetMs }: { config: UPlotConfigBuilder; onsetMs: number }) {
  const theme = useTheme2();
  useLayoutEffect(() => {
    config.addHook('draw', (u) => {
      const x = u.valToPos(onsetMs, 'x', true);
      if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) {
        return;
      }
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = theme.colors.warning.main;
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.restore();
    });
  }, [config, onsetMs, theme]);
  return null;
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css`
    margin: ${theme.spacing(1, 0)};
    max-width: 720px;
  `,
  plot: css`
    min-height: ${HEIGHT}px;
    background: ${theme.colors.background.secondary};
    border-radius: ${theme.shape.radius.default};
  `,
  note: css`
    padding: ${theme.spacing(2)};
    color: ${theme.colors.text.secondary};
  `,
  caption: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
