import React, { useRef, useState, type MutableRefObject } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { t, Trans } from '@grafana/i18n';
import { Badge, Button, LinkButton, LoadingPlaceholder, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import type { EngineApi } from '../api/EngineApi';
import { useEngineApi } from '../api/useEngineApi';
import { isRetryableEngineError, useEngineQuery, type EngineQueryState } from '../api/useEngineQuery';
import { engineOutage } from '../api/engineOutage';
import type { AlertStats, IncidentAlert, IncidentDto, RcaResult, RepairActionDto } from '../api/types';
import { refreshIncidentRepairs, repairsOfIncident, type RepairCache } from './incidentRepairs';
import { EngineErrorAlert } from '../components/EngineError/EngineErrorAlert';
import { testIds } from '../components/testIds';
import { ROUTES } from '../constants';
import { hasOrgRole } from '../utils/orgRole';
import { prefixRoute } from '../utils/utils.routing';
import { DataTable } from '../components/DataTable';
import { repairStateLabel } from '../components/repairLabels';
import { UNESCAPED } from '../locales/unescaped';
import { formatScore } from '../components/rca/formatScore';
import { utcDateTime } from '../utils/utcTime';
import { timeAgo } from '../utils/timeAgo';

type StatusFilter = 'open' | 'all';

/** How often the compression figures and the incident list are re-read while the page is open. */
const REFRESH_MS = 10_000;

const SEVERITY_COLOR: Record<string, 'red' | 'orange' | 'blue'> = { critical: 'red', warning: 'orange' };

export function AlertsPage() {
  const s = useStyles2(getStyles);
  const [status, setStatus] = useState<StatusFilter>('open');
  const stats = useEngineQuery((api) => api.alertStats(), [], REFRESH_MS);
  const repairCache = useRef<RepairCache>();
  const incidents = useEngineQuery((api) => loadIncidents(api, status, repairCache), [status], REFRESH_MS);
  const items = incidents.value?.incidents;
  // The engine down fails both reads: one alert with one Retry, as on the Repairs page and the Overview.
  const outage = engineOutage([stats, incidents]);
  const ownError = (q: EngineQueryState<unknown>) => (outage && isRetryableEngineError(q.error) ? undefined : q.error);

  return (
    <PluginPage>
      <div data-testid={testIds.alerts.container}>
        <p className={s.muted}>
          {t(
            'alerts.intro',
            "Alerts from Alertmanager, Prometheus and the engine's own anomaly detection, deduplicated and grouped into incidents along the service graph, each with why its alerts were grouped, its root-cause analysis and any repair under way."
          )}
        </p>
        {outage && (
          <EngineErrorAlert
            error={outage.error}
            title={t('alerts.engine-down', 'Cannot read alerts from the engine')}
            testId={testIds.alerts.error}
            retry={outage}
          />
        )}
        {ownError(stats) !== undefined && (
          <EngineErrorAlert
            error={stats.error}
            title={t('alerts.stats.failed', 'Cannot read the alert figures')}
            retry={stats}
          />
        )}
        {stats.value && <StatsBar stats={stats.value} />}
        <div className={s.row}>
          <div data-testid={testIds.alerts.status}>
            <RadioButtonGroup<StatusFilter>
              options={[
                { label: t('alerts.filter.open', 'Open'), value: 'open' },
                { label: t('alerts.filter.all', 'All'), value: 'all' },
              ]}
              value={status}
              onChange={setStatus}
            />
          </div>
          <Button
            icon="sync"
            variant="secondary"
            size="sm"
            onClick={() => [stats, incidents].forEach((q) => q.retry())}
          >
            {t('alerts.refresh', 'Refresh')}
          </Button>
        </div>
        {incidents.loading && !items && (
          <LoadingPlaceholder text={t('alerts.incidents.loading', 'Loading incidents...')} />
        )}
        {ownError(incidents) !== undefined && (
          <EngineErrorAlert
            error={incidents.error}
            title={t('alerts.incidents.failed', 'Cannot list incidents')}
            testId={testIds.alerts.error}
            retry={incidents}
          />
        )}
        {items?.length === 0 && <NoIncidents status={status} />}
        {items?.map((incident) => (
          <IncidentCard
            key={incident.id}
            incident={incident}
            repairs={repairsOfIncident(incident, incidents.value?.repairs ?? [])}
            onChanged={incidents.retry}
          />
        ))}
      </div>
    </PluginPage>
  );
}

/**
 * Incidents with the repair actions that could be theirs; repair being unavailable must not hide the incidents. The
 * repairs read are kept in `cache` between refreshes, so a refresh reads only what may have changed (see
 * refreshIncidentRepairs); a failed read shows none and keeps the cache for the next one.
 */
async function loadIncidents(api: EngineApi, status: StatusFilter, cache: MutableRefObject<RepairCache | undefined>) {
  const incidents = await api.incidents({ status });
  const repairs = await refreshIncidentRepairs(api, incidents, cache.current).then(
    (read) => {
      cache.current = read.cache;
      return read.actions;
    },
    (): RepairActionDto[] => []
  );
  return { incidents, repairs };
}

function StatsBar({ stats }: { stats: AlertStats }) {
  const s = useStyles2(getStyles);
  const figures: Array<[string, string]> = [
    [t('alerts.stats.deliveries', 'Deliveries'), String(stats.deliveries)],
    [t('alerts.stats.alerts', 'Alerts'), String(stats.alerts)],
    [t('alerts.stats.duplicates', 'Duplicates'), `${stats.duplicates} (${percent(stats.dedupRatio)})`],
    [t('alerts.stats.incidents', 'Incidents'), String(stats.incidents)],
    [t('alerts.stats.notifications', 'Notifications'), String(stats.notifications)],
    [t('alerts.stats.compression', 'Compression'), percent(stats.compression)],
    [t('alerts.stats.added-delay', 'Added delay'), `${stats.meanNotificationDelaySeconds.toFixed(1)} s`],
  ];
  return (
    <dl className={s.stats} data-testid={testIds.alerts.stats}>
      {figures.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function NoIncidents({ status }: { status: StatusFilter }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.empty} data-testid={testIds.alerts.empty}>
      <p>
        {status === 'open' ? t('alerts.empty.open', 'No open incidents.') : t('alerts.empty.all', 'No incidents yet.')}
      </p>
      <p className={s.muted}>
        <Trans
          i18nKey="alerts.empty.help"
          defaults="The engine receives alerts on <code>POST /api/v1/alerts/webhook/alertmanager</code> (an Alertmanager webhook receiver with an engine token scoped to <code>alerts:ingest</code> as bearer) or <code>POST /api/v1/alerts</code>, and can poll Prometheus's <code>/api/v1/alerts</code>. Re-sends are counted as duplicates, and alerts that a cascade along the service graph explains join one incident, so one page goes out per problem."
          components={{ code: <code /> }}
        />
      </p>
    </div>
  );
}

function IncidentCard(props: { incident: IncidentDto; repairs: RepairActionDto[]; onChanged: () => void }) {
  const s = useStyles2(getStyles);
  const { incident } = props;
  const names = new Map(incident.alerts.map((a) => [a.fingerprint, alertName(a)]));
  return (
    <div className={s.card} data-testid={testIds.alerts.incident}>
      <div className={s.row}>
        <Badge color={SEVERITY_COLOR[incident.severity] ?? 'blue'} text={severityLabel(incident.severity)} />
        <strong>{incident.title}</strong>
        <Badge color={incident.status === 'open' ? 'orange' : 'green'} text={statusLabel(incident.status)} />
        {incident.acknowledgedAt && (
          <Badge
            color="blue"
            text={t('alerts.incident.acknowledged-by', 'acknowledged by {{who}}', {
              who: incident.acknowledgedBy ?? '?',
              ...UNESCAPED,
            })}
          />
        )}
        <span className={s.muted} title={utcDateTime(incident.openedAt)}>
          {incident.services.length > 0
            ? t('alerts.incident.opened', 'opened {{when}}, services {{services}}', {
                when: timeAgo(incident.openedAt),
                services: incident.services.join(', '),
                ...UNESCAPED,
              })
            : // An incident of alerts that name no service, e.g. a node's repair finding (labelled node=).
              t('alerts.incident.opened-no-service', 'opened {{when}}, no service named', {
                when: timeAgo(incident.openedAt),
                ...UNESCAPED,
              })}
        </span>
      </div>
      {incident.heldBecause && (
        <div className={s.muted}>
          {t('alerts.incident.not-paged', 'Not paged: {{reason}}', { reason: incident.heldBecause, ...UNESCAPED })}
        </div>
      )}
      <DataTable label={incident.title}>
        <thead>
          <tr>
            <th>{t('alerts.column.alert', 'Alert')}</th>
            <th>{t('alerts.column.status', 'Status')}</th>
            <th>{t('alerts.column.since', 'Since')}</th>
            <th>{t('alerts.column.grouped-because', 'Grouped because')}</th>
          </tr>
        </thead>
        <tbody>
          {/* Chinese breaks between any two characters: beside a pod's long labels and reason, '25分钟前' and the
              status badge '触发中' broke in two at 1280 px; the labels and the reason wrap instead. */}
          {incident.alerts.map((a) => (
            <tr key={a.fingerprint} data-testid={testIds.alerts.alertRow}>
              <td>
                <strong>{alertName(a)}</strong> <span className={s.muted}>{labelSummary(a)}</span>
              </td>
              <td className={s.nowrap}>
                <Badge color={a.status === 'firing' ? 'red' : 'green'} text={statusLabel(a.status)} />
                {a.flapping && <Badge color="purple" text={t('alerts.alert.flapping', 'flapping')} />}
              </td>
              <td className={s.nowrap} title={utcDateTime(a.startsAt)}>
                {timeAgo(a.startsAt)}
              </td>
              <td className={s.detail}>{mergeText(a, names)}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      {incident.truncatedAlerts > 0 && (
        <div className={s.muted}>
          {t('alerts.incident.more', 'and {{count}} more alerts', { count: incident.truncatedAlerts })}
        </div>
      )}
      <LinkedRca incident={incident} />
      {props.repairs.map((r) => (
        <div key={r.id} className={s.row} data-testid={testIds.alerts.repair}>
          <strong>{t('alerts.repair.title', 'Repair')}</strong>{' '}
          {t('alerts.repair.on', '{{type}} on {{target}}', {
            type: r.planned.type,
            target: r.planned.target.name,
            ...UNESCAPED,
          })}{' '}
          <Badge color="blue" text={repairStateLabel(r.state)} />
          <LinkButton size="sm" fill="text" icon="wrench" href={prefixRoute(ROUTES.Repairs)}>
            {t('alerts.repair.link', 'Repairs')}
          </LinkButton>
        </div>
      ))}
      <IncidentActions incident={incident} onChanged={props.onChanged} />
    </div>
  );
}

function LinkedRca({ incident }: { incident: IncidentDto }) {
  const s = useStyles2(getStyles);
  const rcaId = incident.rcaId;
  const rca = useEngineQuery(
    (api): Promise<RcaResult | undefined> => (rcaId ? api.rca(rcaId) : Promise.resolve(undefined)),
    [rcaId]
  );
  const top = rca.value ? [...rca.value.candidates].sort((a, b) => b.score - a.score)[0] : undefined;
  const service = top?.service ?? incident.services[0] ?? '';
  const namespace = incident.alerts.find((a) => a.labels.namespace)?.labels.namespace ?? '';
  // Only what is known: an empty parameter would replace the Root cause page's default (a node's alert has no namespace).
  const known = new URLSearchParams(Object.entries({ namespace, service }).filter(([, value]) => value)).toString();
  const href = known ? `${prefixRoute(ROUTES.RootCause)}?${known}` : prefixRoute(ROUTES.RootCause);
  if (!rcaId) {
    // The engine starts no automatic RCA when no alert of the incident names a service, and says why (its text).
    return incident.rcaSkipped ? (
      <div className={s.row} data-testid={testIds.alerts.rcaSkipped}>
        <strong>{t('alerts.rca.title', 'Root cause')}</strong>
        <span className={s.muted}>{incident.rcaSkipped}</span>
        <LinkButton size="sm" fill="text" icon="search" href={href}>
          {t('alerts.rca.start', 'Analyse')}
        </LinkButton>
      </div>
    ) : null;
  }
  return (
    <div className={s.row} data-testid={testIds.alerts.rca}>
      <strong>{t('alerts.rca.title', 'Root cause')}</strong>
      {rca.loading && (
        <span className={s.muted}>{t('alerts.rca.loading', 'analysis {{id}}...', { id: rcaId, ...UNESCAPED })}</span>
      )}
      {top && (
        <span>
          {top.service}{' '}
          <span className={s.muted}>{t('alerts.rca.score', 'score {{score}}', { score: formatScore(top.score) })}</span>
        </span>
      )}
      {rca.value && !top && <span className={s.muted}>{t('alerts.rca.none', 'no candidate found')}</span>}
      {rca.error !== undefined && (
        <span className={s.muted}>
          {t('alerts.rca.not-yet', 'analysis {{id}} is not available yet', { id: rcaId, ...UNESCAPED })}
        </span>
      )}
      <LinkButton size="sm" fill="text" icon="search" href={href}>
        {t('alerts.rca.again', 'Analyse again')}
      </LinkButton>
    </div>
  );
}

function IncidentActions({ incident, onChanged }: { incident: IncidentDto; onChanged: () => void }) {
  const api = useEngineApi();
  const s = useStyles2(getStyles);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  if (incident.status !== 'open' || !hasOrgRole('Editor')) {
    return null;
  }
  const act = async (call: (id: string) => Promise<IncidentDto>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await call(incident.id);
      onChanged();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <div className={s.row}>
        {!incident.acknowledgedAt && (
          <Button
            size="sm"
            data-testid={testIds.alerts.ack}
            disabled={busy}
            onClick={() => act(api.acknowledgeIncident)}
          >
            {t('alerts.incident.acknowledge', 'Acknowledge')}
          </Button>
        )}
        <Button
          size="sm"
          variant="secondary"
          data-testid={testIds.alerts.resolve}
          disabled={busy}
          onClick={() => act(api.resolveIncident)}
        >
          {t('alerts.incident.resolve', 'Resolve')}
        </Button>
      </div>
      {failure !== undefined && (
        <EngineErrorAlert error={failure} title={t('alerts.incident.not-changed', 'The incident was not changed')} />
      )}
    </>
  );
}

function alertName(a: IncidentAlert): string {
  return a.labels.alertname ?? a.fingerprint;
}

function labelSummary(a: IncidentAlert): string {
  return ['service', 'namespace', 'pod', 'instance']
    .filter((k) => a.labels[k])
    .map((k) => `${k}=${a.labels[k]}`)
    .join(' ');
}

/** The reason an alert joined, naming the alert it joined through rather than its fingerprint. */
function mergeText(a: IncidentAlert, names: Map<string, string>): string {
  // The engine's detail of an opening alert begins with its kind ("opened by X on cart"): not "opened: opened by".
  const text = a.reason.detail.startsWith(a.reason.kind) ? a.reason.detail : `${a.reason.kind}: ${a.reason.detail}`;
  if (!a.reason.joinedTo) {
    return text;
  }
  // One message, so Chinese closes up to its full-width bracket ('payment （与' read with a space before it).
  return t('alerts.alert.joined-with', '{{reason}} (with {{alert}})', {
    reason: text,
    alert: names.get(a.reason.joinedTo) ?? a.reason.joinedTo,
    ...UNESCAPED,
  });
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/** Known values in the user's language; anything newer the engine sends shows as sent. */
function statusLabel(status: string): string {
  const known: Record<string, string> = {
    open: t('alerts.status.open', 'open'),
    resolved: t('alerts.status.resolved', 'resolved'),
    firing: t('alerts.status.firing', 'firing'),
  };
  return known[status] ?? status;
}

function severityLabel(severity: string): string {
  const known: Record<string, string> = {
    critical: t('alerts.severity.critical', 'critical'),
    warning: t('alerts.severity.warning', 'warning'),
    info: t('alerts.severity.info', 'info'),
  };
  return known[severity] ?? severity;
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css`
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: ${theme.spacing(1)};
    margin: ${theme.spacing(1, 0)};
  `,
  stats: css`
    display: flex;
    flex-wrap: wrap;
    gap: ${theme.spacing(3)};
    margin: ${theme.spacing(2, 0)};
    dt {
      color: ${theme.colors.text.secondary};
      font-size: ${theme.typography.bodySmall.fontSize};
    }
    dd {
      margin: 0;
      font-size: ${theme.typography.h4.fontSize};
    }
  `,
  card: css`
    border: 1px solid ${theme.colors.border.weak};
    border-radius: ${theme.shape.radius.default};
    padding: ${theme.spacing(2)};
    margin-bottom: ${theme.spacing(2)};
    background: ${theme.colors.background.secondary};
  `,
  empty: css`
    padding: ${theme.spacing(3)};
    border: 1px dashed ${theme.colors.border.medium};
    border-radius: ${theme.shape.radius.default};
  `,
  nowrap: css`
    white-space: nowrap;
  `,
  detail: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
