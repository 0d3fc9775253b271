import { MAX_HORIZON_MINUTES } from '@ai-cloudops/engine-client';
import React, { useState } from 'react';
import { css, cx } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { t, Trans } from '@grafana/i18n';
import { Button, Combobox, InlineField, InlineFieldRow, Input, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { useEngineApi } from '../api/useEngineApi';
import { isRetryableEngineError, useEngineQuery } from '../api/useEngineQuery';
import { useJobStream } from '../api/useEventStream';
import type { BacktestResultDto, ForecastResponse, JobRecordOf, ScalePlanResponse } from '../api/types';
import { EngineErrorAlert } from '../components/EngineError/EngineErrorAlert';
import { BacktestChart } from '../components/forecast/BacktestChart';
import { ReasonDetails } from '../components/forecast/ReasonDetails';
import { ForecastChart } from '../components/forecast/ForecastChart';
import { testIds } from '../components/testIds';
import { UNESCAPED } from '../locales/unescaped';
import { DEFAULT_NAMESPACE } from '../constants';
import { toEpochMs } from '../datasource/toEpochMs';
import { initialParam } from '../utils/initialParam';
import { hasOrgRole } from '../utils/orgRole';
import { utcDateTime } from '../utils/utcTime';

/** Hours of history beside the forecast: enough to see the daily shape's last turn without squeezing the hour ahead. */
const HISTORY_HOURS = 3;
/** The engine's longest forecast and scale plan, a week (a 400 on body.horizonMinutes above it; found typing 100000). */
const MAX_HORIZON = MAX_HORIZON_MINUTES;

export function ForecastPage() {
  const s = useStyles2(getStyles);
  const api = useEngineApi();
  const [namespace, setNamespace] = useState(() => initialParam('namespace', DEFAULT_NAMESPACE));
  const [service, setService] = useState(() => initialParam('service', 'frontend'));
  const [signal, setSignal] = useState(() => initialParam('signal', 'request_rate'));
  // Kept as typed, so the field can be cleared and retyped; parsed when the forecast is asked for.
  const [horizon, setHorizon] = useState('60');
  const [result, setResult] = useState<ForecastResponse>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [plan, setPlan] = useState<ScalePlanResponse>();
  const [planError, setPlanError] = useState<unknown>();
  const [backtestJob, setBacktestJob] = useState<JobRecordOf<BacktestResultDto>>();
  const [backtestError, setBacktestError] = useState<unknown>();
  const backtestStream = useJobStream<BacktestResultDto>(
    backtestJob && (backtestJob.status === 'queued' || backtestJob.status === 'running') ? backtestJob.id : undefined
  );
  const backtest = backtestStream.job?.id === backtestJob?.id && backtestStream.job ? backtestStream.job : backtestJob;

  // The catalog only names the signals and their units: without it the typed signal is still asked for, so only an
  // engine that does not answer is worth saying (the catalog is read again when it is back).
  const catalog = useEngineQuery((engine) => engine.signals(), []);
  const signals = catalog.value?.items ?? [];

  // Replica plans and backtests go through Editor routes (plugin.json); a Viewer still gets the forecast.
  const canPlan = hasOrgRole('Editor');
  const run = async () => {
    setLoading(true);
    setError(undefined);
    setPlanError(undefined);
    const ns = namespace || undefined;
    // The replica plan asks the workload named like the service; a service without one still gets its forecast.
    const [forecast, scale] = await Promise.allSettled([
      api.forecast({ namespace: ns, service, signal, horizonMinutes, historyHours: HISTORY_HOURS }),
      // plugin.json lets Editors (operator token) plan; a Viewer's call would only come back 403.
      canPlan
        ? api.scalePlan({
            namespace: ns,
            service,
            signal,
            workload: { name: service },
            horizonMinutes,
            mode: 'recommend',
          })
        : Promise.resolve(undefined),
    ]);
    if (forecast.status === 'fulfilled') {
      setResult(forecast.value);
    } else {
      setResult(undefined);
      setError(forecast.reason);
    }
    setPlan(scale.status === 'fulfilled' ? scale.value : undefined);
    setPlanError(scale.status === 'rejected' ? scale.reason : undefined);
    setLoading(false);
  };

  const runBacktest = async () => {
    setBacktestError(undefined);
    setBacktestJob(undefined);
    try {
      setBacktestJob(await api.startBacktest({ namespace: namespace || undefined, service, signal }));
    } catch (e) {
      setBacktestError(e);
    }
  };
  const backtestRunning = backtest !== undefined && (backtest.status === 'queued' || backtest.status === 'running');

  const horizonMinutes = Number(horizon);
  const horizonValid =
    horizon.trim() !== '' && Number.isInteger(horizonMinutes) && horizonMinutes >= 1 && horizonMinutes <= MAX_HORIZON;
  const canRun = !loading && service !== '' && horizonValid;
  // Enter in a field asks, as in the Overview's and the Repairs page's fields.
  const runOnEnter = (e: React.KeyboardEvent) => e.key === 'Enter' && canRun && void run();
  const unit = signals.find((x) => x.name === signal)?.unit ?? '';
  const signalOptions = (signals.length > 0 ? signals.map((x) => x.name) : [signal]).map((name) => ({
    label: name,
    value: name,
  }));

  return (
    <PluginPage>
      <div data-testid={testIds.forecast.container}>
        <InlineFieldRow>
          <InlineField htmlFor="forecast-namespace" label={t('forecast.namespace.label', 'Namespace')} labelWidth={14}>
            <Input
              id="forecast-namespace"
              data-testid={testIds.forecast.namespace}
              onKeyDown={runOnEnter}
              width={18}
              value={namespace}
              onChange={(e) => setNamespace(e.currentTarget.value.trim())}
            />
          </InlineField>
          <InlineField htmlFor="forecast-service" label={t('forecast.service.label', 'Service')} labelWidth={10}>
            <Input
              id="forecast-service"
              data-testid={testIds.forecast.service}
              onKeyDown={runOnEnter}
              width={18}
              value={service}
              onChange={(e) => setService(e.currentTarget.value.trim())}
            />
          </InlineField>
          <InlineField label={t('forecast.signal.label', 'Signal')} labelWidth={10}>
            <Combobox
              data-testid={testIds.forecast.signal}
              id="forecast-signal"
              width={20}
              options={signalOptions}
              value={signal}
              onChange={(v) => v.value && setSignal(v.value)}
            />
          </InlineField>
          <InlineField
            htmlFor="forecast-horizon"
            label={t('forecast.horizon.label', 'Horizon (min)')}
            // 16, not 14: '预测时长（分钟）' wrapped in 14 (112 px) and was cut at the field's height.
            labelWidth={16}
            invalid={!horizonValid}
            error={
              horizonValid
                ? undefined
                : t('forecast.horizon.invalid', 'A whole number of minutes from 1 to {{max}} (a week)', {
                    max: MAX_HORIZON,
                  })
            }
          >
            <Input
              id="forecast-horizon"
              data-testid={testIds.forecast.horizon}
              onKeyDown={runOnEnter}
              type="number"
              min={1}
              max={MAX_HORIZON}
              width={10}
              value={horizon}
              onChange={(e) => setHorizon(e.currentTarget.value)}
            />
          </InlineField>
          <Button data-testid={testIds.forecast.run} icon="chart-line" onClick={() => void run()} disabled={!canRun}>
            {t('forecast.run', 'Forecast')}
          </Button>
          <Button
            data-testid={testIds.forecast.backtest}
            variant="secondary"
            icon="history"
            tooltip={
              canPlan
                ? t(
                    'forecast.backtest.tooltip',
                    'Score every model against the baselines on the last day (rolling origin); takes about half a minute'
                  )
                : t('forecast.backtest.needs-editor', 'Backtests run as engine jobs, which an Editor starts')
            }
            onClick={() => void runBacktest()}
            disabled={backtestRunning || !service || !canPlan}
          >
            {t('forecast.backtest.run', 'Backtest')}
          </Button>
        </InlineFieldRow>

        {/* Fitting takes seconds (several models on days of history); without this the page sits blank meanwhile. */}
        {loading && (
          <div className={s.section} data-testid={testIds.forecast.loading}>
            <LoadingPlaceholder text={t('forecast.loading', 'Fitting the models to the history...')} />
          </div>
        )}
        {!loading && !result && error === undefined && !backtest && backtestError === undefined && (
          <p className={cx(s.section, s.muted)}>
            {t(
              'forecast.empty',
              'Pick a service and a signal, then Forecast: the next hours with their prediction interval, and for a workload of that name the replicas it needs. Backtest scores every model on the last day.'
            )}
          </p>
        )}

        {isRetryableEngineError(catalog.error) && (
          <EngineErrorAlert
            error={catalog.error}
            title={t('forecast.signals.failed', 'Cannot read the signals the engine forecasts')}
            testId={testIds.forecast.catalogError}
            retry={catalog}
          />
        )}

        {error !== undefined && (
          <EngineErrorAlert
            error={error}
            title={t('forecast.failed', 'Forecast failed')}
            testId={testIds.forecast.error}
            // Asks for the same forecast again; not on its own (the user asked for it, and a fit takes seconds).
            retry={{ retry: () => void run() }}
          />
        )}

        {result && (
          <div className={s.section} data-testid={testIds.forecast.result}>
            <p>
              {t('forecast.result.model', 'Model')} <strong>{result.model}</strong>
              <span className={s.muted}>
                {' '}
                {result.source === 'stored'
                  ? t('forecast.result.trained', 'trained v{{version}}', {
                      version: result.modelVersion ?? '?',
                      ...UNESCAPED,
                    })
                  : t('forecast.result.fitted-now', 'fitted now (no trained model yet)')}
              </span>
              <span className={s.muted}>
                {t('forecast.result.band', '; shaded band: {{percent}}% prediction interval', {
                  percent: Math.round(result.coverage * 100),
                })}
              </span>
            </p>
            {/* The engine's reason runs to several lines (per-horizon weights, validation scores): one click away. */}
            {result.reason && (
              <ReasonDetails label={t('forecast.result.why', 'Why this model')}>{result.reason}</ReasonDetails>
            )}
            <ForecastChart
              forecast={result}
              plan={plan?.plan}
              unit={unit}
              title={
                plan
                  ? t(
                      'forecast.chart.title-plan',
                      '{{service}} {{signal}}: observed, forecast with its {{percent}}% interval, and the replica plan',
                      { service, signal, percent: Math.round(result.coverage * 100), ...UNESCAPED }
                    )
                  : t(
                      'forecast.chart.title',
                      '{{service}} {{signal}}: observed, forecast with its {{percent}}% interval',
                      {
                        service,
                        signal,
                        percent: Math.round(result.coverage * 100),
                        ...UNESCAPED,
                      }
                    )
              }
            />
            {plan && <PlanSummary plan={plan} unit={unit} />}
            {planError !== undefined && (
              <p className={s.muted}>
                {t('forecast.plan.none', 'No replica plan for a workload named {{service}}:', {
                  service,
                  ...UNESCAPED,
                })}{' '}
                {planError instanceof Error ? planError.message : String(planError)}
              </p>
            )}
            <ForecastSummary result={result} unit={unit} />
          </div>
        )}

        {backtestError !== undefined && (
          <EngineErrorAlert error={backtestError} title={t('forecast.backtest.failed', 'Backtest failed')} />
        )}
        {backtest && (
          <div className={s.section}>
            <h3>{t('forecast.backtest.title', 'Backtest: models against the baselines')}</h3>
            {backtest.status !== 'succeeded' && (
              <p className={s.muted} role="status">
                {jobStatusLabel(backtest.status)}: {backtest.message} ({Math.round(backtest.progress * 100)}%)
                {backtest.error && ` ${backtest.error.code}: ${backtest.error.message}`}
              </p>
            )}
            {backtest.result && <BacktestChart result={backtest.result} />}
          </div>
        )}
      </div>
    </PluginPage>
  );
}

/** A job state in the user's language; a state a newer engine adds shows as sent. */
function jobStatusLabel(status: string): string {
  const known: Record<string, string> = {
    queued: t('forecast.job.status.queued', 'queued'),
    running: t('forecast.job.status.running', 'running'),
    succeeded: t('forecast.job.status.succeeded', 'succeeded'),
    failed: t('forecast.job.status.failed', 'failed'),
    cancelled: t('forecast.job.status.cancelled', 'cancelled'),
  };
  return known[status] ?? status;
}

/** The plan in words: what it recommends against now, and the capacity per replica it assumed. */
function PlanSummary({ plan, unit }: { plan: ScalePlanResponse; unit: string }) {
  const s = useStyles2(getStyles);
  const p = plan.plan;
  return (
    <div data-testid={testIds.forecast.plan} className={s.plan}>
      {/* One message, so Chinese closes up to its full-width colon ('的副本计划： 3 个副本' had a space after it). */}
      <Trans
        i18nKey="forecast.plan.for"
        defaults="Replica plan for {{kind}} {{name}}: <strong>{{replicas}} replicas</strong>"
        values={{ kind: plan.workload.kind, name: plan.workload.name, replicas: p.recommendedReplicas }}
        components={{ strong: <strong /> }}
      />
      {p.currentReplicas !== undefined && t('forecast.plan.now', ' (now {{count}})', { count: p.currentReplicas })}
      <span className={s.muted}>
        {' '}
        ·{' '}
        {t('forecast.plan.capacity-from', 'capacity per replica {{capacity}} ({{source}})', {
          capacity: `${p.capacityPerReplica.toPrecision(3)}${unit ? ` ${unit}` : ''}`,
          source:
            plan.capacitySource === 'learned'
              ? t('forecast.plan.learned', 'learned from CPU')
              : t('forecast.plan.given', 'given'),
          ...UNESCAPED,
        })}
      </span>
      {/* The engine's reason: the peak it covers, the margin, and how far above target the HPA tolerates. Shown as
          is when it fits on a line, else one click away under the headline. */}
      {p.reason.length <= ONE_LINE_CHARS ? (
        <>
          <br />
          <span className={s.muted}>{p.reason}</span>
        </>
      ) : (
        <ReasonDetails label={t('forecast.plan.why', 'Why this plan')}>{p.reason}</ReasonDetails>
      )}
    </div>
  );
}

/** About what one line of the page's text holds at 1280 px: a longer reason is collapsed. */
const ONE_LINE_CHARS = 120;

/** The numbers behind the chart at a few horizons, readable without hovering. */
function ForecastSummary({ result, unit }: { result: ForecastResponse; unit: string }) {
  const s = useStyles2(getStyles);
  const { points } = result;
  if (points.length === 0) {
    return <p className={s.muted}>{t('forecast.result.no-points', 'The model returned no points.')}</p>;
  }
  const picks = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])].map((i) => points[i]!);
  const fmt = (v: number) => v.toPrecision(4);
  return (
    <table className={s.table}>
      <thead>
        <tr>
          <th>{t('forecast.table.time', 'Time')}</th>
          <th>
            {t('forecast.table.forecast', 'Forecast')} {unit && `(${unit})`}
          </th>
          <th>{t('forecast.table.interval', 'Interval')}</th>
        </tr>
      </thead>
      <tbody>
        {picks.map((p) => (
          <tr key={String(p.t)}>
            <td>{utcDateTime(toEpochMs(p.t))}</td>
            <td>{fmt(p.value)}</td>
            <td>
              {fmt(p.lower)} – {fmt(p.upper)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css`
    margin-top: ${theme.spacing(3)};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
  `,
  plan: css`
    margin-bottom: ${theme.spacing(2)};
  `,
  table: css`
    margin-top: ${theme.spacing(2)};
    border-collapse: collapse;
    th,
    td {
      text-align: left;
      padding: ${theme.spacing(0.5, 2, 0.5, 0)};
      border-bottom: 1px solid ${theme.colors.border.weak};
    }
  `,
});
