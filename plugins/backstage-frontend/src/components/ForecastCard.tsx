import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { isUnavailable, type ForecastPoint } from '../api/types';
import { ForecastChart } from './ForecastChart';

/** The default signal: the one autoscaling plans follow. */
export const FORECAST_SIGNAL = 'request_rate';
export const FORECAST_HORIZON_MINUTES = 60;

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3))));
const at = (t: number) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function ForecastCard({ service, namespace }: { service: string; namespace?: string }) {
  const api = useApi(cloudOpsApiRef);
  const { value, loading, error } = useAsync(
    () =>
      api.forecast({
        service,
        signal: FORECAST_SIGNAL,
        horizonMinutes: FORECAST_HORIZON_MINUTES,
        ...(namespace ? { namespace } : {}),
      }),
    [api, service, namespace],
  );

  const title = `Forecast: ${FORECAST_SIGNAL}, next ${FORECAST_HORIZON_MINUTES} min`;
  if (loading)
    return (
      <InfoCard title={title}>
        <Progress />
      </InfoCard>
    );
  if (error)
    return (
      <InfoCard title={title}>
        <ResponseErrorPanel error={error} />
      </InfoCard>
    );
  if (!value) return null;
  if (isUnavailable(value))
    return (
      <InfoCard title={title}>
        <Typography>{value.message}</Typography>
      </InfoCard>
    );

  const points = value.points;
  if (points.length === 0) {
    return (
      <InfoCard title={title}>
        <Typography>The model returned no points.</Typography>
      </InfoCard>
    );
  }
  const peak = points.reduce((a: ForecastPoint, b: ForecastPoint) => (b.value > a.value ? b : a));
  const last = points[points.length - 1]!;
  const current = value.history.at(-1)?.value;
  return (
    <InfoCard title={title} subheader={`model ${value.model}`}>
      <ForecastChart forecast={value} label={`${service} ${FORECAST_SIGNAL}`} />
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
      {value.reason && (
        <Typography variant="caption" color="textSecondary">
          why this model: {value.reason}
        </Typography>
      )}
    </InfoCard>
  );
}
