import { useState } from 'react';
import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { isUnavailable, type EntityScope, type IncidentAlert, type IncidentDto } from '../api/types';

/** Open incidents touching the entity's services, each alert with why it was grouped; acknowledge or resolve. */
export function IncidentsCard({ scope }: { scope: EntityScope }) {
  const api = useApi(cloudOpsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(() => api.getIncidents(scope), [api, scope]);

  return (
    <InfoCard title="Open incidents" subheader="grouped alerts on this entity's services">
      {loading && !value ? <Progress /> : null}
      {error ? <ResponseErrorPanel error={error} /> : null}
      {value && isUnavailable(value) ? <Typography>{value.message}</Typography> : null}
      {value && !isUnavailable(value) && value.length === 0 ? (
        <Typography>
          No open incident on {scope.names.join(', ')}. Alerts reach the engine from Alertmanager (webhook
          receiver) or Prometheus; the engine groups those a cascade explains into one incident.
        </Typography>
      ) : null}
      {value && !isUnavailable(value)
        ? value.map((incident) => <IncidentItem key={incident.id} incident={incident} onChanged={retry} />)
        : null}
    </InfoCard>
  );
}

function IncidentItem({ incident, onChanged }: { incident: IncidentDto; onChanged: () => void }) {
  const api = useApi(cloudOpsApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const names = new Map(incident.alerts.map((a) => [a.fingerprint, a.labels.alertname ?? a.fingerprint]));
  const act = async (action: 'ack' | 'resolve') => {
    setBusy(true);
    setError(undefined);
    try {
      await api.updateIncident(incident.id, action);
      onChanged();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2, mt: 2 }} data-testid="incident">
      <Typography variant="subtitle1">
        [{incident.severity}] {incident.title}
      </Typography>
      <Typography variant="caption" display="block">
        opened {new Date(incident.openedAt).toLocaleString()} · services {incident.services.join(', ')}
        {incident.acknowledgedAt ? ` · acknowledged by ${incident.acknowledgedBy ?? '?'}` : ''}
        {incident.rcaId ? ` · root-cause analysis ${incident.rcaId}` : ''}
      </Typography>
      <ul>
        {incident.alerts.map((a) => (
          <li key={a.fingerprint}>
            <Typography variant="body2">
              {a.labels.alertname ?? a.fingerprint} ({a.status}): {mergeText(a, names)}
            </Typography>
          </li>
        ))}
      </ul>
      <Box sx={{ display: 'flex', gap: 1 }}>
        {!incident.acknowledgedAt ? (
          <Button variant="contained" size="small" disabled={busy} onClick={() => act('ack')}>
            Acknowledge
          </Button>
        ) : null}
        <Button variant="outlined" size="small" disabled={busy} onClick={() => act('resolve')}>
          Resolve
        </Button>
      </Box>
      {error ? <ResponseErrorPanel error={error} /> : null}
    </Box>
  );
}

function mergeText(a: IncidentAlert, names: Map<string, string>): string {
  const via = a.reason.joinedTo ? ` (with ${names.get(a.reason.joinedTo) ?? a.reason.joinedTo})` : '';
  return `${a.reason.kind}: ${a.reason.detail}${via}`;
}
