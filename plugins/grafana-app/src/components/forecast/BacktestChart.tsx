import React from 'react';
import { css } from '@emotion/css';
import {
  FieldColorModeId,
  getDisplayProcessor,
  ThresholdsMode,
  VizOrientation,
  type GrafanaTheme2,
} from '@grafana/data';
import { BarGaugeDisplayMode } from '@grafana/schema';
import { BarGauge, useStyles2, useTheme2 } from '@grafana/ui';
import { t } from '@grafana/i18n';
import type { BacktestResultDto } from '../../api/types';
import { useContainerWidth } from '../rca/useContainerWidth';
import { testIds } from '../testIds';
import { backtestSummary } from './backtestSummary';
import { ReasonDetails } from './ReasonDetails';

/**
 * Every model's backtest error as one bar (Grafana's BarGauge), best first: the chosen model against the baselines
 * (seasonal-naive and friends) it had to beat. MASE below 1 beats a seasonal-naive forecast of the same points.
 */
export function BacktestChart({ result }: { result: BacktestResultDto }) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const { ref, width } = useContainerWidth<HTMLDivElement>(600);
  const scores = backtestSummary(result);
  // Marked as the engine names them: bare ids among the models they are there to be beaten by said nothing.
  const baselines = new Set(result.baselines);
  const max = Math.max(1, ...scores.map((m) => m.mase));
  const field = (chosen: boolean) => ({
    min: 0,
    max,
    decimals: 2,
    color: { mode: FieldColorModeId.Fixed, fixedColor: theme.visualization.getColorByName(chosen ? 'green' : 'blue') },
    thresholds: { mode: ThresholdsMode.Absolute, steps: [{ value: -Infinity, color: 'blue' }] },
  });
  // The name column (180px), the coverage column (130px) and two gaps.
  const barWidth = Math.max(200, width - 330);
  return (
    <figure className={s.figure} data-testid={testIds.forecast.backtestResult}>
      <div ref={ref} className={s.rows}>
        {scores.map((m) => {
          const config = field(m.chosen);
          const display = getDisplayProcessor({ field: { config }, theme });
          return (
            <div key={m.model} className={s.row}>
              <span className={s.name}>
                <span>{m.model}</span>
                {m.chosen && <strong>{t('forecast.backtest.chosen', ' (chosen)')}</strong>}
                {baselines.has(m.model) && (
                  <span className={s.baseline}>{t('forecast.backtest.baseline', 'baseline')}</span>
                )}
              </span>
              <BarGauge
                theme={theme}
                width={barWidth}
                height={24}
                field={config}
                display={display}
                value={{ ...display(m.mase), title: undefined }}
                orientation={VizOrientation.Horizontal}
                displayMode={BarGaugeDisplayMode.Basic}
                showUnfilled
                isOverflow={false}
              />
              <span className={s.muted}>
                {m.coverage === null
                  ? ''
                  : t('forecast.backtest.coverage', '{{percent}}% in interval', {
                      percent: Math.round(m.coverage * 100),
                    })}
              </span>
            </div>
          );
        })}
      </div>
      <figcaption className={s.muted}>
        {t(
          'forecast.backtest.caption',
          'Mean MASE over horizons 1–{{horizons}} on the last {{points}} test points, rolling origin (lower is better; below 1 beats seasonal-naive).',
          { horizons: Object.values(result.models)[0]?.length ?? 0, points: result.end - result.testStart }
        )}
        {/* How the chosen model was picked (per-horizon weights, validation scores): several lines, one click away. */}
        {result.reason && (
          <ReasonDetails label={t('forecast.backtest.why', 'How the model was chosen')}>{result.reason}</ReasonDetails>
        )}
      </figcaption>
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css`
    margin: ${theme.spacing(2, 0)};
    max-width: 960px;
  `,
  rows: css`
    display: flex;
    flex-direction: column;
    gap: ${theme.spacing(0.5)};
  `,
  row: css`
    display: grid;
    grid-template-columns: 180px auto 130px;
    align-items: center;
    gap: ${theme.spacing(1)};
  `,
  name: css`
    font-family: ${theme.typography.fontFamilyMonospace};
    overflow-wrap: anywhere;
  `,
  baseline: css`
    display: block;
    font-family: ${theme.typography.fontFamily};
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
