import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { EngineErrorPanel } from './EngineErrorPanel';
import { UnavailableNote } from './UnavailableNote';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { useEngineRetry } from '../hooks/useEngineRetry';
import { useIncidentStream } from '../hooks/useEventStream';
import { EngineRetryNotice } from './EngineRetryNotice';
import { useTimeFormat } from '../hooks/useTimeFormat';
import { aiCloudOpsTranslationRef, type CloudOpsT as T } from '../translation';
import { isUnavailable, type EntityScope, type IncidentAlert, type IncidentDto } from '../api/types';
import { GuideSample } from './GuideSample';
import { PermittedButton } from './PermittedButton';
import { aiCloudOpsRunAnalysisPermission } from '@ai-cloudops/backstage-plugin-common';

/** Test ids for the browser test and screenshots: keep them stable. */
export const incidentsCardTestIds = {
  emptyState: 'aicloudops-incidents-empty',
  sample: 'aicloudops-incidents-sample',
  live: 'aicloudops-incidents-live',
} as const;

/**
 * An Alertmanager receiver that sends every alert to the engine: the shipped provisioning/alertmanager/alertmanager.yml
 * reduced to what a first setup needs (group_by scoped to the service so the engine may join a group's alerts).
 */
export const ALERTMANAGER_RECEIVER_SAMPLE = `route:
  receiver: aicloudops-engine
  group_by: ['alertname', 'namespace', 'service']
receivers:
  - name: aicloudops-engine
    webhook_configs:
      - url: http://ENGINE:8080/api/v1/alerts/webhook/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials_file: /etc/alertmanager/aicloudops-engine.token`;

/**
 * How often the open card reads the incidents again while the page is visible and the engine's incident stream is not
 * open (refused, dropped, or buffered by a proxy). The read is one store lookup on the engine (no cluster or Prometheus
 * call), so a short wait is cheap; Alertmanager itself holds a new group for its group_wait (30 s in
 * provisioning/alertmanager/alertmanager.yml) before the engine hears of it, and 15 s adds at most half of that again.
 */
export const INCIDENTS_REFRESH_MS = 15_000;

/**
 * Open incidents touching the entity's services, each alert with why it was grouped; acknowledge or resolve. While
 * the engine's incident stream is open through the backend (marked live), a change to one of the entity's incidents
 * reads the list again at once, through the same call and filter as the poll, which stands in whenever it is not.
 */
export function IncidentsCard({
  scope,
  refreshMs = INCIDENTS_REFRESH_MS,
}: {
  scope: EntityScope;
  /** Re-read interval while visible; tests pass a short one. */
  refreshMs?: number;
}) {
  const api = useApi(cloudOpsApiRef);
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const stream = useIncidentStream(scope);
  const state = useEngineRetry(() => api.getIncidents(scope), [api, scope], {
    refreshMs: stream.live ? undefined : refreshMs,
    changes: stream.changes,
  });
  const { value, loading, error, retry } = state;
  const subheader = (
    <>
      {t('incidentsCard.subheader')}
      {stream.live ? (
        <span data-testid={incidentsCardTestIds.live} title={t('incidentsCard.liveTitle')}>
          {' · '}
          {t('incidentsCard.live')}
        </span>
      ) : null}
    </>
  );

  return (
    <InfoCard title={t('incidentsCard.title')} subheader={subheader}>
      {loading && !value && !error ? <Progress /> : null}
      {error ? <EngineErrorPanel error={error} /> : null}
      {error ? <EngineRetryNotice state={state} /> : null}
      {value && isUnavailable(value) ? <UnavailableNote note={value} /> : null}
      {value && !isUnavailable(value) && value.length === 0 ? (
        <div data-testid={incidentsCardTestIds.emptyState}>
          <Typography paragraph>{t('incidentsCard.none', { services: scope.names.join(', ') })}</Typography>
          <GuideSample
            caption={t('incidentsCard.sample', {
              services: scope.names.join(', '),
              file: <code>alertmanager.yml</code>,
              engine: <code>ENGINE</code>,
              role: <code>operator</code>,
              serviceLabel: <code>service</code>,
              appLabel: <code>app</code>,
              nameLabel: <code>app_kubernetes_io_name</code>,
            })}
            text={ALERTMANAGER_RECEIVER_SAMPLE}
            testId={incidentsCardTestIds.sample}
          />
        </div>
      ) : null}
      {value && !isUnavailable(value)
        ? value.map((incident) => <IncidentItem key={incident.id} incident={incident} onChanged={retry} />)
        : null}
    </InfoCard>
  );
}

function IncidentItem({ incident, onChanged }: { incident: IncidentDto; onChanged: () => void }) {
  const api = useApi(cloudOpsApiRef);
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const { dateTime } = useTimeFormat();
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
        [{severityLabel(incident.severity, t)}] {incident.title}
      </Typography>
      <Typography variant="caption" display="block">
        {t('incidentsCard.opened', {
          when: dateTime(incident.openedAt),
          services: incident.services.join(', '),
        })}
        {incident.acknowledgedAt
          ? t('incidentsCard.acknowledgedBy', { who: incident.acknowledgedBy ?? '?' })
          : ''}
        {incident.rcaId ? t('incidentsCard.rca', { id: incident.rcaId }) : ''}
        {/* The engine starts no automatic RCA when no alert named a service as the incident opened; its reason as sent. */}
        {!incident.rcaId && incident.rcaSkipped
          ? t('incidentsCard.rcaSkipped', { reason: incident.rcaSkipped })
          : ''}
      </Typography>
      <ul>
        {incident.alerts.map((a) => (
          <li key={a.fingerprint}>
            <Typography variant="body2">
              {a.labels.alertname ?? a.fingerprint} ({statusLabel(a.status, t)}): {mergeText(a, names, t)}
            </Typography>
          </li>
        ))}
      </ul>
      <Box sx={{ display: 'flex', gap: 1 }}>
        {!incident.acknowledgedAt ? (
          <PermittedButton
            permission={aiCloudOpsRunAnalysisPermission}
            variant="contained"
            size="small"
            disabled={busy}
            onClick={() => act('ack')}
          >
            {t('incidentsCard.acknowledge')}
          </PermittedButton>
        ) : null}
        <PermittedButton
          permission={aiCloudOpsRunAnalysisPermission}
          variant="outlined"
          size="small"
          disabled={busy}
          onClick={() => act('resolve')}
        >
          {t('incidentsCard.resolve')}
        </PermittedButton>
      </Box>
      {error ? <EngineErrorPanel error={error} /> : null}
    </Box>
  );
}

/** Known values in the user's language; anything newer the engine sends shows as sent. */
function severityLabel(severity: string, t: T): string {
  if (severity === 'critical') return t('incidentsCard.severity.critical');
  if (severity === 'warning') return t('incidentsCard.severity.warning');
  if (severity === 'info') return t('incidentsCard.severity.info');
  return severity;
}

function statusLabel(status: string, t: T): string {
  if (status === 'firing') return t('incidentsCard.status.firing');
  if (status === 'resolved') return t('incidentsCard.status.resolved');
  return status;
}

function mergeText(a: IncidentAlert, names: Map<string, string>, t: T): string {
  const via = a.reason.joinedTo
    ? t('incidentsCard.joinedWith', { alert: names.get(a.reason.joinedTo) ?? a.reason.joinedTo })
    : '';
  // The engine's detail of an opening alert begins with its kind ("opened by X on cart"): not "opened: opened by".
  const text = a.reason.detail.startsWith(a.reason.kind)
    ? a.reason.detail
    : `${a.reason.kind}: ${a.reason.detail}`;
  return `${text}${via}`;
}
