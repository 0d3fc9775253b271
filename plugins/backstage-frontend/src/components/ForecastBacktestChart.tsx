import { useTheme } from '@mui/material/styles';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { aiCloudOpsTranslationRef } from '../translation';
import type { BacktestResultDto } from '../api/types';
import { useWidth } from './ForecastChart';

/** Test ids for the browser test and screenshots: keep them stable. */
export const backtestTestIds = {
  chart: 'aicloudops-forecast-backtest-chart',
  summary: 'aicloudops-forecast-backtest-summary',
} as const;

const HEIGHT = 220;
// One dash pattern per model besides its colour, so lines differ without colour; the chosen model is solid and thick.
const DASHES = ['6 3', '2 2', '8 3 2 3', '1 3', '10 4', '4 1'];

/** Mean MASE over the horizons a model was scored at; null when none was. */
export function meanMase(metrics: BacktestResultDto['models'][string]): number | null {
  const values = metrics.map((m) => m.mase).filter((v): v is number => v !== null && Number.isFinite(v));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** Rows per horizon (in minutes ahead), one MASE column per model. */
export function backtestRows(result: BacktestResultDto, stepSeconds: number): Array<Record<string, number>> {
  const horizons = Math.max(0, ...Object.values(result.models).map((m) => m.length));
  return Array.from({ length: horizons }, (_, i) => {
    const row: Record<string, number> = { minutes: ((i + 1) * stepSeconds) / 60 };
    for (const [model, metrics] of Object.entries(result.models)) {
      const mase = metrics[i]?.mase;
      if (mase !== null && mase !== undefined && Number.isFinite(mase)) row[model] = mase;
    }
    return row;
  });
}

const num = (v: number) => String(Number(v.toPrecision(3)));

/**
 * The engine's rolling-origin backtest as a chart: MASE (error over the in-sample seasonal-naive error; below 1 beats
 * it) by minutes ahead for every model, the baselines included; the mean per model also in words.
 */
export function ForecastBacktestChart({
  result,
  stepSeconds,
}: {
  result: BacktestResultDto;
  stepSeconds: number;
}) {
  const theme = useTheme();
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const { ref, width } = useWidth(520);
  const rows = backtestRows(result, stepSeconds);
  const models = Object.keys(result.models);
  const colours = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.warning.main,
    theme.palette.info.main,
    theme.palette.success.main,
    theme.palette.error.main,
  ];
  const ranked = models
    .map((m) => ({ model: m, mase: meanMase(result.models[m]!) }))
    .sort((a, b) => (a.mase ?? Infinity) - (b.mase ?? Infinity));
  return (
    <figure
      ref={ref}
      aria-label={t('backtestChart.label', { series: result.seriesKey })}
      style={{ margin: 0 }}
      data-testid={backtestTestIds.chart}
    >
      <LineChart width={width} height={HEIGHT} data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={theme.palette.divider} strokeDasharray="3 3" />
        <XAxis
          dataKey="minutes"
          type="number"
          domain={['dataMin', 'dataMax']}
          tickFormatter={(m) => t('backtestChart.minutes', { minutes: String(m) })}
          stroke={theme.palette.text.secondary}
        />
        <YAxis tickFormatter={num} stroke={theme.palette.text.secondary} width={48} />
        <Tooltip
          labelFormatter={(m) => t('backtestChart.minutesAhead', { minutes: String(m) })}
          formatter={(v) => num(Number(v))}
          contentStyle={{ background: theme.palette.background.paper, borderColor: theme.palette.divider }}
        />
        <Legend />
        {models.map((model, i) => (
          <Line
            key={model}
            dataKey={model}
            name={model === result.chosen ? t('backtestChart.chosen', { model }) : model}
            stroke={colours[i % colours.length]}
            strokeWidth={model === result.chosen ? 3 : 1.5}
            strokeDasharray={model === result.chosen ? undefined : DASHES[i % DASHES.length]}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
      <figcaption
        data-testid={backtestTestIds.summary}
        style={{ color: theme.palette.text.secondary, fontSize: theme.typography.caption.fontSize }}
      >
        {t('backtestChart.caption', {
          means: ranked
            .map(
              (r) =>
                `${r.model === result.chosen ? t('backtestChart.chosen', { model: r.model }) : r.model} ${
                  r.mase === null ? t('backtestChart.notAvailable') : num(r.mase)
                }`,
            )
            .join(', '),
        })}
      </figcaption>
    </figure>
  );
}
