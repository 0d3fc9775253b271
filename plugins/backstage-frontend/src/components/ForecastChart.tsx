import { useLayoutEffect, useRef, useState } from 'react';
import { useTheme } from '@mui/material/styles';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
// recharts, not uPlot: measured with esbuild (minified, react external), the imports this chart uses weigh 441 kB
// (127 kB gzip) against uPlot's 52 kB (23 kB gzip), but recharts draws SVG: the lines, axes and labels are DOM that
// jsdom tests and axe-core can read, it needs no canvas stubs, and it is the library Backstage's own plugins
// (cost-insights) chart with. The entity tab is lazy-loaded, so the weight lands only where the chart is shown.
import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { ForecastResponse } from '../api/types';
import { aiCloudOpsTranslationRef } from '../translation';
import { useTimeFormat } from '../hooks/useTimeFormat';

/** A replica plan's steps (engine `replicaPlanSchema`): how many replicas from each time on. */
export interface ReplicaStep {
  t: number;
  replicas: number;
}

interface Row {
  t: number;
  history?: number;
  forecast?: number;
  band?: [number, number];
  replicas?: number;
  /** The planned replicas times the capacity per replica: demand the plan can serve, on the demand axis. */
  capacity?: number;
}

const HEIGHT = 220;

/** History, forecast and its interval on one time axis; the forecast starts at the last observed point. */
export function forecastRows(
  forecast: Pick<ForecastResponse, 'history' | 'points'>,
  plan?: ReplicaStep[],
  capacityPerReplica?: number,
): Row[] {
  const rows = new Map<number, Row>();
  const row = (t: number) => rows.get(t) ?? rows.set(t, { t }).get(t)!;
  for (const h of forecast.history) row(h.t).history = h.value;
  const last = forecast.history.at(-1);
  if (last && forecast.points.length > 0) {
    const r = row(last.t);
    r.forecast = last.value;
    r.band = [last.value, last.value];
  }
  for (const p of forecast.points) {
    const r = row(p.t);
    r.forecast = p.value;
    r.band = [p.lower, p.upper];
  }
  for (const s of plan ?? []) {
    const r = row(s.t);
    r.replicas = s.replicas;
    if (capacityPerReplica !== undefined) r.capacity = s.replicas * capacityPerReplica;
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3))));
/** A formatted number with its unit, when the engine's catalog names one. */
export const withUnit = (text: string, unit: string) => (unit ? `${text} ${unit}` : text);

/** A tooltip value: demand (history, forecast, its interval, capacity) in the signal's unit; replicas a bare count. */
export function tooltipValue(value: unknown, dataKey: unknown, unit: string): string {
  const text = Array.isArray(value) ? value.map((x) => num(Number(x))).join('–') : num(Number(value));
  return dataKey === 'replicas' ? text : withUnit(text, unit);
}

/**
 * The forecast as one chart: history, forecast with its interval band, the replica plan as a step line (right axis)
 * and, given the capacity per replica, the capacity the plan provides as a step line on the demand axis.
 */
export function ForecastChart({
  forecast,
  plan,
  capacityPerReplica,
  label,
  unit = '',
}: {
  forecast: Pick<ForecastResponse, 'history' | 'points' | 'coverage'>;
  plan?: ReplicaStep[];
  capacityPerReplica?: number;
  label: string;
  /** The signal's unit from the engine's catalog (`req/s`); empty when unknown. */
  unit?: string;
}) {
  const theme = useTheme();
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const { clock, clockWithZone } = useTimeFormat();
  const { ref, width } = useWidth(520);
  const rows = forecastRows(forecast, plan, capacityPerReplica);
  const showCapacity = Boolean(plan?.length) && capacityPerReplica !== undefined;
  const interval = t('forecastChart.interval', { percent: String(Math.round(forecast.coverage * 100)) });
  return (
    <figure ref={ref} aria-label={label} style={{ margin: 0 }} data-testid="forecast-chart">
      <ComposedChart
        width={width}
        height={HEIGHT}
        data={rows}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
      >
        <CartesianGrid stroke={theme.palette.divider} strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={(time: number) => clock(time)}
          stroke={theme.palette.text.secondary}
        />
        {/* The unit once, as the axis label (ticks stay short: "req/s" on each took a third of a 520 px card). */}
        <YAxis
          yAxisId="demand"
          tickFormatter={num}
          stroke={theme.palette.text.secondary}
          width={unit ? 60 : 48}
          label={
            unit
              ? { value: unit, angle: -90, position: 'insideLeft', fill: theme.palette.text.secondary }
              : undefined
          }
        />
        {plan && plan.length > 0 && (
          <YAxis
            yAxisId="replicas"
            orientation="right"
            allowDecimals={false}
            stroke={theme.palette.text.secondary}
            width={32}
          />
        )}
        <Tooltip
          labelFormatter={(time) => clockWithZone(Number(time))}
          formatter={(v, _name, item) => tooltipValue(v, item.dataKey, unit)}
          contentStyle={{ background: theme.palette.background.paper, borderColor: theme.palette.divider }}
        />
        <Area
          yAxisId="demand"
          dataKey="band"
          name={interval}
          stroke="none"
          fill={theme.palette.secondary.main}
          fillOpacity={0.2}
          isAnimationActive={false}
        />
        <Line
          yAxisId="demand"
          dataKey="history"
          name={t('forecastChart.history')}
          stroke={theme.palette.primary.main}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          yAxisId="demand"
          dataKey="forecast"
          name={t('forecastChart.forecast')}
          stroke={theme.palette.secondary.main}
          strokeDasharray="6 3"
          dot={false}
          isAnimationActive={false}
        />
        {plan && plan.length > 0 && (
          <Line
            yAxisId="replicas"
            dataKey="replicas"
            name={t('forecastChart.replicas')}
            type="stepAfter"
            stroke={theme.palette.warning.main}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        )}
        {showCapacity && (
          <Line
            yAxisId="demand"
            dataKey="capacity"
            name={t('forecastChart.capacity')}
            type="stepAfter"
            stroke={theme.palette.success.main}
            strokeDasharray="2 2"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        )}
      </ComposedChart>
      <figcaption
        style={{ color: theme.palette.text.secondary, fontSize: theme.typography.caption.fontSize }}
      >
        {t('forecastChart.caption', { label, interval })}
        {plan && plan.length > 0 ? t('forecastChart.captionReplicas') : ''}
        {showCapacity
          ? t('forecastChart.captionCapacity', { capacity: withUnit(num(capacityPerReplica!), unit) })
          : ''}
        {t('forecastChart.end')}
      </figcaption>
    </figure>
  );
}

/** The figure's width, following resizes; recharts' ResponsiveContainer does the same but fails without ResizeObserver (jsdom). */
export function useWidth(fallback: number) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}
