import { useState } from 'react';
import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { KUBERNETES_ID_ANNOTATION, SERVICE_ANNOTATION } from '@ai-cloudops/backstage-plugin-common';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import {
  isUnavailable,
  type BacktestResultDto,
  type ForecastPoint,
  type ForecastResponse,
  type JobRecordDto,
  type ScalePlanResponse,
  type Unavailable,
} from '../api/types';
import { isFinalJob, useJobStream } from '../hooks/useJobStream';
import { ForecastBacktestChart } from './ForecastBacktestChart';
import { ForecastChart } from './ForecastChart';

/** The default signal: the one autoscaling plans follow. */
export const FORECAST_SIGNAL = 'request_rate';
export const FORECAST_HORIZON_MINUTES = 60;
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
  backtestRun: 'aicloudops-forecast-backtest-run',
} as const;

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3))));
const at = (t: number) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

type PlanOutcome = ScalePlanResponse | Unavailable | Error;

export function ForecastCard({ service, namespace }: { service: string; namespace?: string }) {
  const api = useApi(cloudOpsApiRef);
  const scope = {
    service,
    signal: FORECAST_SIGNAL,
    horizonMinutes: FORECAST_HORIZON_MINUTES,
    ...(namespace ? { namespace } : {}),
  };
  const { value, loading, error } = useAsync(async () => {
    // The plan is extra: an engine that cannot plan (no workload named like the service, no operator token) still
    // shows its forecast, with the reason the plan is missing.
    const [forecast, plan] = await Promise.all([
      api.forecast(scope),
      api
        .scalePlan(scope)
        .catch((e: unknown): PlanOutcome => (e instanceof Error ? e : new Error(String(e)))),
    ]);
    return { forecast, plan };
  }, [api, service, namespace]);

  const title = `Forecast: ${FORECAST_SIGNAL}, next ${FORECAST_HORIZON_MINUTES} min`;
  const card = (body: JSX.Element, subheader?: string) => (
    <InfoCard title={title} {...(subheader ? { subheader } : {})}>
      <div data-testid={forecastCardTestIds.card}>{body}</div>
    </InfoCard>
  );
  if (loading) return card(<Progress />);
  if (error)
    return card(
      <>
        <ForecastEmptyState service={service} namespace={namespace} />
        <ResponseErrorPanel error={error} />
      </>,
    );
  if (!value) return null;
  const forecast = value.forecast;
  if (isUnavailable(forecast))
    return card(
      <>
        <Typography paragraph>{forecast.message}</Typography>
        <ForecastEmptyState service={service} namespace={namespace} />
      </>,
    );
  if (forecast.points.length === 0)
    return card(
      <>
        <Typography paragraph>The model returned no points.</Typography>
        <ForecastEmptyState service={service} namespace={namespace} />
      </>,
    );
  return card(
    <ForecastBody forecast={forecast} plan={value.plan} service={service} namespace={namespace} />,
    `model ${forecast.model}`,
  );
}

function ForecastBody({
  forecast,
  plan,
  service,
  namespace,
}: {
  forecast: ForecastResponse;
  plan: PlanOutcome;
  service: string;
  namespace?: string;
}) {
  const points = forecast.points;
  const peak = points.reduce((a: ForecastPoint, b: ForecastPoint) => (b.value > a.value ? b : a));
  const last = points[points.length - 1]!;
  const current = forecast.history.at(-1)?.value;
  const planned = plan instanceof Error || isUnavailable(plan) ? undefined : plan;
  return (
    <>
      <ForecastChart
        forecast={forecast}
        {...(planned
          ? { plan: planned.plan.steps, capacityPerReplica: planned.plan.capacityPerReplica }
          : {})}
        label={`${service} ${FORECAST_SIGNAL}`}
      />
      <Typography variant="body2">
        {current !== undefined && (
          <>
            now <span>{fmt(current)}</span> ·{' '}
          </>
        )}
        peak <span>{`${fmt(peak.value)} at ${at(peak.t)} (${fmt(peak.lower)}–${fmt(peak.upper)})`}</span> ·
        end of horizon{' '}
        <span>{`${fmt(last.value)} at ${at(last.t)} (${fmt(last.lower)}–${fmt(last.upper)})`}</span>
      </Typography>
      <PlanSummary plan={plan} />
      {forecast.reason && (
        <Typography variant="caption" color="textSecondary" display="block">
          why this model: {forecast.reason}
        </Typography>
      )}
      <Backtest service={service} namespace={namespace} stepSeconds={forecast.stepSeconds} />
    </>
  );
}

function PlanSummary({ plan }: { plan: PlanOutcome }) {
  if (plan instanceof Error || isUnavailable(plan)) {
    return (
      <Typography variant="body2" data-testid={forecastCardTestIds.plan}>
        No replica plan: {plan.message}
      </Typography>
    );
  }
  const p = plan.plan;
  const from = p.currentReplicas !== undefined ? `${p.currentReplicas} → ` : '';
  return (
    <Typography variant="body2" data-testid={forecastCardTestIds.plan}>
      Replica plan for {plan.workload.kind}/{plan.workload.name}: {from}
      {p.recommendedReplicas} replicas at {fmt(p.capacityPerReplica)} {FORECAST_SIGNAL} per replica (
      {plan.capacitySource === 'learned' ? 'learned from CPU' : 'given'}).
    </Typography>
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
    (failed ? new Error(`backtest ${job.status}: ${job.error?.message ?? job.message}`) : undefined);
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
      <Button
        variant="outlined"
        onClick={run}
        disabled={running}
        data-testid={forecastCardTestIds.backtestRun}
      >
        Backtest against the baselines
      </Button>
      {!result && !running && !error && !started ? (
        <Typography variant="caption" display="block" color="textSecondary">
          Scores every model and the baselines (naive, seasonal naive) on the last {BACKTEST_TEST_DAYS} day of{' '}
          {BACKTEST_HISTORY_DAYS} by rolling origin, as the engine does before it promotes a model.
        </Typography>
      ) : null}
      {running ? (
        <>
          <Progress />
          {job ? <Typography variant="body2">{job.message}</Typography> : null}
        </>
      ) : null}
      {error ? <ResponseErrorPanel error={error} /> : null}
      {started && isUnavailable(started) ? <Typography>{started.message}</Typography> : null}
      {result ? <ForecastBacktestChart result={result} stepSeconds={stepSeconds} /> : null}
    </div>
  );
}

/** What the card shows, what it needs, and a sample, when there is no forecast to show. */
function ForecastEmptyState({ service, namespace }: { service: string; namespace?: string }) {
  return (
    <div data-testid={forecastCardTestIds.emptyState}>
      <Typography variant="body2" paragraph>
        Forecasts <strong>{FORECAST_SIGNAL}</strong> of {service}
        {namespace ? ` (namespace ${namespace})` : ''} for the next {FORECAST_HORIZON_MINUTES} minutes with a
        prediction interval, plans the replicas of the workload named {service} from it, and backtests the
        models against the baselines.
      </Typography>
      <Typography variant="body2" paragraph>
        It needs a service (the entity&apos;s <code>{SERVICE_ANNOTATION}</code> annotation, else{' '}
        <code>{KUBERNETES_ID_ANNOTATION}</code>, else its name) and, in the engine&apos;s Prometheus, the
        service&apos;s {FORECAST_SIGNAL} series (the engine&apos;s <code>signals</code> settings map the
        signal to a query); a day or more of history lets the models learn the daily pattern. Sample: the demo
        engine&apos;s <code>cart</code> service in namespace <code>shop</code>.
      </Typography>
    </div>
  );
}
