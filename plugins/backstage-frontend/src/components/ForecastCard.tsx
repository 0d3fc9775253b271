import { useId, useState, type ReactNode } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { PermittedButton } from './PermittedButton';
import Collapse from '@mui/material/Collapse';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import {
  KUBERNETES_ID_ANNOTATION,
  SERVICE_ANNOTATION,
  aiCloudOpsRunAnalysisPermission,
} from '@ai-cloudops/backstage-plugin-common';
import { EngineErrorPanel } from './EngineErrorPanel';
import { UnavailableNote, unavailableText } from './UnavailableNote';
import { cloudOpsApiRef, type CloudOpsApi } from '../api/CloudOpsApi';
import { useEngineRetry } from '../hooks/useEngineRetry';
import { EngineRetryNotice } from './EngineRetryNotice';
import { useTimeFormat } from '../hooks/useTimeFormat';
import { aiCloudOpsTranslationRef } from '../translation';
import {
  isUnavailable,
  type BacktestResultDto,
  type ForecastPoint,
  type ForecastResponse,
  type JobRecordDto,
  type ScalePlanResponse,
  type Unavailable,
} from '../api/types';
import { isFinalJob, useJobStream } from '../hooks/useEventStream';
import { ForecastBacktestChart } from './ForecastBacktestChart';
import { ForecastChart, withUnit } from './ForecastChart';

/** The default signal: the one autoscaling plans follow. */
export const FORECAST_SIGNAL = 'request_rate';
export const FORECAST_HORIZON_MINUTES = 60;
/**
 * History drawn before the forecast. Two hours, not the engine's default six: seen in Chromium, six hours left the
 * next hour's forecast, band and plan in the chart's last seventh, too narrow to read.
 */
export const FORECAST_HISTORY_HOURS = 2;
/**
 * Backtest window: 8 days of history, the last one scored. Eight rather than the engine's 30: a week and a day is
 * the least that lets the weekly seasonal-naive baseline take part, and on the demo engine (2 busy cores) 7 days took
 * 5 s, so the button answers while the user waits.
 */
export const BACKTEST_HISTORY_DAYS = 8;
export const BACKTEST_TEST_DAYS = 1;

/** Test ids for the browser test and screenshots: keep them stable. */
export const forecastCardTestIds = {
  card: 'aicloudops-forecast-card',
  chart: 'forecast-chart',
  emptyState: 'aicloudops-forecast-empty',
  plan: 'aicloudops-forecast-plan',
  planReason: 'aicloudops-forecast-plan-reason',
  model: 'aicloudops-forecast-model',
  modelReason: 'aicloudops-forecast-model-reason',
  backtestRun: 'aicloudops-forecast-backtest-run',
  backtestReason: 'aicloudops-forecast-backtest-reason',
} as const;

/** About what one caption line of the card holds: a longer plan reason is collapsed, a shorter one shown as is. */
const ONE_LINE_CHARS = 100;

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3))));

type PlanOutcome = ScalePlanResponse | Unavailable | Error;

export function ForecastCard({ service, namespace }: { service: string; namespace?: string }) {
  const api = useApi(cloudOpsApiRef);
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const scope = {
    service,
    signal: FORECAST_SIGNAL,
    horizonMinutes: FORECAST_HORIZON_MINUTES,
    ...(namespace ? { namespace } : {}),
  };
  const state = useEngineRetry(async () => {
    // The plan is extra: an engine that cannot plan (no workload named like the service, no operator token) still
    // shows its forecast, with the reason the plan is missing.
    const [forecast, plan, unit] = await Promise.all([
      api.forecast({ ...scope, historyHours: FORECAST_HISTORY_HOURS }),
      api
        .scalePlan(scope)
        .catch((e: unknown): PlanOutcome => (e instanceof Error ? e : new Error(String(e)))),
      signalUnit(api),
    ]);
    return { forecast, plan, unit };
  }, [api, service, namespace]);
  const { value, loading, error } = state;

  const title = t('forecastCard.title', {
    signal: FORECAST_SIGNAL,
    minutes: String(FORECAST_HORIZON_MINUTES),
  });
  const card = (body: JSX.Element, subheader?: string) => (
    <InfoCard title={title} {...(subheader ? { subheader } : {})}>
      <div data-testid={forecastCardTestIds.card}>{body}</div>
    </InfoCard>
  );
  if (loading && !value && !error) return card(<Progress />);
  if (error)
    return card(
      <>
        <ForecastEmptyState service={service} namespace={namespace} />
        <EngineErrorPanel error={error} />
        <EngineRetryNotice state={state} />
      </>,
    );
  if (!value) return null;
  const forecast = value.forecast;
  if (isUnavailable(forecast))
    return card(
      <>
        <UnavailableNote note={forecast} />
        <ForecastEmptyState service={service} namespace={namespace} />
      </>,
    );
  if (forecast.points.length === 0)
    return card(
      <>
        <Typography paragraph>{t('forecastCard.noPoints')}</Typography>
        <ForecastEmptyState service={service} namespace={namespace} />
      </>,
    );
  return card(
    <ForecastBody
      forecast={forecast}
      plan={value.plan}
      unit={value.unit}
      service={service}
      namespace={namespace}
    />,
    t('forecastCard.model', { model: forecast.model }),
  );
}

/**
 * The forecast signal's unit from the engine's catalog, so "now 7.22" reads "now 7.22 req/s" (the Grafana page's
 * units come from the same catalog). Empty when the catalog cannot be read: the numbers still show.
 */
async function signalUnit(api: CloudOpsApi): Promise<string> {
  try {
    const catalog = await api.signals();
    return catalog.items.find((s) => s.name === FORECAST_SIGNAL)?.unit ?? '';
  } catch {
    return '';
  }
}

function ForecastBody({
  forecast,
  plan,
  unit,
  service,
  namespace,
}: {
  forecast: ForecastResponse;
  plan: PlanOutcome;
  unit: string;
  service: string;
  namespace?: string;
}) {
  const points = forecast.points;
  const peak = points.reduce((a: ForecastPoint, b: ForecastPoint) => (b.value > a.value ? b : a));
  const last = points[points.length - 1]!;
  const current = forecast.history.at(-1)?.value;
  const planned = plan instanceof Error || isUnavailable(plan) ? undefined : plan;
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const { clock } = useTimeFormat();
  const valueAt = (p: ForecastPoint) =>
    t('forecastCard.valueAt', {
      value: withUnit(fmt(p.value), unit),
      time: clock(p.t),
      lower: fmt(p.lower),
      upper: fmt(p.upper),
    });
  return (
    <>
      <ForecastChart
        forecast={forecast}
        {...(planned
          ? { plan: planned.plan.steps, capacityPerReplica: planned.plan.capacityPerReplica }
          : {})}
        label={`${service} ${FORECAST_SIGNAL}`}
        unit={unit}
      />
      <Typography variant="body2">
        {current !== undefined && (
          <>
            {t('forecastCard.now')} <span>{withUnit(fmt(current), unit)}</span> ·{' '}
          </>
        )}
        {t('forecastCard.peak')} <span>{valueAt(peak)}</span> · {t('forecastCard.endOfHorizon')}{' '}
        <span>{valueAt(last)}</span>
      </Typography>
      <PlanSummary plan={plan} unit={unit} />
      <Typography
        variant="caption"
        color="textSecondary"
        display="block"
        data-testid={forecastCardTestIds.model}
      >
        {t('forecastCard.modelLine', {
          model: forecast.model,
          source:
            forecast.source === 'stored'
              ? t('forecastCard.trained', { version: String(forecast.modelVersion ?? '?') })
              : t('forecastCard.fittedNow'),
          percent: String(Math.round(forecast.coverage * 100)),
        })}
      </Typography>
      {/* The engine's reason runs to several lines (per-horizon weights, validation scores): one click away. */}
      {forecast.reason && (
        <ReasonDetails label={t('forecastCard.whyModelLabel')} testId={forecastCardTestIds.modelReason}>
          {forecast.reason}
        </ReasonDetails>
      )}
      <Backtest service={service} namespace={namespace} stepSeconds={forecast.stepSeconds} />
    </>
  );
}

function PlanSummary({ plan, unit }: { plan: PlanOutcome; unit: string }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  if (plan instanceof Error || isUnavailable(plan)) {
    return (
      <Typography variant="body2" data-testid={forecastCardTestIds.plan}>
        {t('forecastCard.noPlan', {
          message: plan instanceof Error ? plan.message : unavailableText(plan, t),
        })}
      </Typography>
    );
  }
  const p = plan.plan;
  const from = p.currentReplicas !== undefined ? `${p.currentReplicas} → ` : '';
  // The engine's reason says why the planned capacity may sit under the forecast (the HPA tolerates ~10% above its
  // target utilisation), which the chart shows without explaining. Shown as is when it fits on a line, else collapsed
  // under the headline.
  return (
    <>
      <Typography variant="body2" data-testid={forecastCardTestIds.plan}>
        {t('forecastCard.plan', {
          workload: `${plan.workload.kind}/${plan.workload.name}`,
          from,
          replicas: String(p.recommendedReplicas),
          capacity: fmt(p.capacityPerReplica),
          // "2.52 req/s per replica"; the signal's name where the catalog names no unit.
          signal: unit || FORECAST_SIGNAL,
          source: plan.capacitySource === 'learned' ? t('forecastCard.learned') : t('forecastCard.given'),
        })}
      </Typography>
      {p.reason.length <= ONE_LINE_CHARS ? (
        <Typography
          variant="caption"
          color="textSecondary"
          display="block"
          data-testid={forecastCardTestIds.planReason}
        >
          {t('forecastCard.whyPlan', { reason: p.reason })}
        </Typography>
      ) : (
        <ReasonDetails label={t('forecastCard.whyPlanLabel')} testId={forecastCardTestIds.planReason}>
          {p.reason}
        </ReasonDetails>
      )}
    </>
  );
}

/**
 * An engine's long reason, collapsed under a small toggle until clicked; `testId` marks the reason's text. A link-styled
 * button rather than an Accordion: a caption-sized line that does not outweigh the numbers above it.
 */
function ReasonDetails({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <Link
        component="button"
        type="button"
        variant="caption"
        color="textSecondary"
        underline="hover"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        sx={{ display: 'block', textAlign: 'left', my: 0.25 }}
      >
        <span aria-hidden="true">{open ? '▾ ' : '▸ '}</span>
        {label}
      </Link>
      <Collapse in={open} id={id}>
        <Typography
          variant="caption"
          color="textSecondary"
          display="block"
          data-testid={testId}
          sx={{ pl: 1.5 }}
        >
          {children}
        </Typography>
      </Collapse>
    </>
  );
}

/** The backtest on demand (a job on the engine): every model against the baselines on the last day. */
function Backtest({
  service,
  namespace,
  stepSeconds,
}: {
  service: string;
  namespace?: string;
  stepSeconds: number;
}) {
  const api = useApi(cloudOpsApiRef);
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const [started, setStarted] = useState<JobRecordDto | Unavailable>();
  const [startError, setStartError] = useState<Error>();
  const [starting, setStarting] = useState(false);
  const jobId = started && !isUnavailable(started) && !isFinalJob(started) ? started.id : undefined;
  const stream = useJobStream(jobId);
  const job = stream.job ?? (started && !isUnavailable(started) ? started : undefined);
  const running = starting || (job !== undefined && !isFinalJob(job));
  const failed = job && isFinalJob(job) && job.status !== 'succeeded';
  const error =
    startError ??
    stream.error ??
    (failed
      ? new Error(
          t('forecastCard.backtestFailed', {
            status: job.status,
            message: job.error?.message ?? job.message,
          }),
        )
      : undefined);
  // The job schema keeps results unknown (one store serves every kind); a backtest job's result is a BacktestResultDto.
  const result = job?.status === 'succeeded' ? (job.result as BacktestResultDto) : undefined;

  const run = async () => {
    setStarting(true);
    setStartError(undefined);
    setStarted(undefined);
    try {
      setStarted(
        await api.startBacktest({
          service,
          signal: FORECAST_SIGNAL,
          historyDays: BACKTEST_HISTORY_DAYS,
          testDays: BACKTEST_TEST_DAYS,
          ...(namespace ? { namespace } : {}),
        }),
      );
    } catch (e) {
      setStartError(e as Error);
    } finally {
      setStarting(false);
    }
  };
  return (
    <div style={{ marginTop: 12 }}>
      <PermittedButton
        permission={aiCloudOpsRunAnalysisPermission}
        variant="outlined"
        onClick={run}
        disabled={running}
        data-testid={forecastCardTestIds.backtestRun}
      >
        {t('forecastCard.backtestRun')}
      </PermittedButton>
      {!result && !running && !error && !started ? (
        <Typography variant="caption" display="block" color="textSecondary">
          {t('forecastCard.backtestHelp', {
            testDays: String(BACKTEST_TEST_DAYS),
            historyDays: String(BACKTEST_HISTORY_DAYS),
          })}
        </Typography>
      ) : null}
      {running ? (
        <>
          <Progress />
          {job ? <Typography variant="body2">{job.message}</Typography> : null}
        </>
      ) : null}
      {error ? <EngineErrorPanel error={error} /> : null}
      {started && isUnavailable(started) ? <UnavailableNote note={started} /> : null}
      {result ? <ForecastBacktestChart result={result} stepSeconds={stepSeconds} /> : null}
      {result?.reason ? (
        <ReasonDetails label={t('forecastCard.backtestWhy')} testId={forecastCardTestIds.backtestReason}>
          {result.reason}
        </ReasonDetails>
      ) : null}
    </div>
  );
}

/** What the card shows, what it needs, and a sample, when there is no forecast to show. */
function ForecastEmptyState({ service, namespace }: { service: string; namespace?: string }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  return (
    <div data-testid={forecastCardTestIds.emptyState}>
      <Typography variant="body2" paragraph>
        {t('forecastCard.empty.what', {
          signal: <strong>{FORECAST_SIGNAL}</strong>,
          service,
          where: namespace ? t('forecastCard.empty.inNamespace', { namespace }) : '',
          minutes: String(FORECAST_HORIZON_MINUTES),
        })}
      </Typography>
      <Typography variant="body2" paragraph>
        {t('forecastCard.empty.needs', {
          serviceAnnotation: <code>{SERVICE_ANNOTATION}</code>,
          idAnnotation: <code>{KUBERNETES_ID_ANNOTATION}</code>,
          signal: FORECAST_SIGNAL,
          settings: <code>signals</code>,
          sampleService: <code>cart</code>,
          sampleNamespace: <code>shop</code>,
        })}
      </Typography>
    </div>
  );
}
