import React from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { Badge, LinkButton, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { t, Trans } from '@grafana/i18n';
import { useEngineQuery } from '../../api/useEngineQuery';
import type { IncidentDto, RcaCandidate, RcaResult } from '../../api/types';
import { EngineErrorAlert } from '../../components/EngineError/EngineErrorAlert';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { UNESCAPED } from '../../locales/unescaped';
import { alertCount, loadIncidentCard, topCauses, type IncidentCard } from './loadIncidentCard';
import { incidentCardTestIds as ids } from './testIds';
import { DEFAULT_OPTIONS, type IncidentCardOptions } from './types';
import { formatScore } from '../../components/rca/formatScore';
import { utcDateTime } from '../../utils/utcTime';
import { timeAgo } from '../../utils/timeAgo';

const SEVERITY_COLOR: Record<string, 'red' | 'orange' | 'blue'> = { critical: 'red', warning: 'orange' };

/**
 * A dashboard panel showing what the engine concluded about an incident: the chosen or latest open incident, how many
 * alerts it grouped, the top causes of its linked root-cause analysis, and links into the app for the detail.
 */
export function IncidentCardPanel({ options, width, height, replaceVariables }: PanelProps<IncidentCardOptions>) {
  const s = useStyles2(getStyles);
  const chosen = { ...DEFAULT_OPTIONS, ...options };
  const { maxCauses, refreshSeconds } = chosen;
  // Dashboard variables in the options (`$service`) follow the dashboard's selection.
  const interpolate = (value: string) => (replaceVariables ? replaceVariables(value) : value);
  const incidentId = interpolate(chosen.incidentId);
  const service = interpolate(chosen.service);
  const card = useEngineQuery(
    (api) => loadIncidentCard(api, { incidentId, service }),
    [incidentId, service],
    Math.max(5, refreshSeconds) * 1000
  );
  return (
    <div className={s.panel} style={{ width, height }} data-testid={ids.card}>
      {card.loading && <LoadingPlaceholder text={t('card.loading', 'Reading incidents...')} />}
      {card.error !== undefined && (
        <EngineErrorAlert
          error={card.error}
          title={
            incidentId
              ? t('card.read-one-failed', 'Cannot read incident {{id}}', { id: incidentId, ...UNESCAPED })
              : t('card.read-failed', 'Cannot read incidents')
          }
          testId={ids.error}
          retry={card}
        />
      )}
      {card.value && !card.value.incident && <NoIncident service={service} />}
      {card.value?.incident && <IncidentSummary card={card.value} incident={card.value.incident} max={maxCauses} />}
    </div>
  );
}

function IncidentSummary({ card, incident, max }: { card: IncidentCard; incident: IncidentDto; max: number }) {
  const s = useStyles2(getStyles);
  const causes = card.rca ? topCauses(card.rca, max) : [];
  const alerts = alertCount(incident);
  const summary = {
    count: alerts,
    services: incident.services.join(', ') || t('card.no-service', 'no named service'),
    when: timeAgo(incident.openedAt),
    ...UNESCAPED,
  };
  return (
    <>
      <div className={s.header}>
        <strong data-testid={ids.title}>{incident.title}</strong>
        <Badge color={SEVERITY_COLOR[incident.severity] ?? 'blue'} text={severityLabel(incident.severity)} />
        <Badge color={incident.status === 'open' ? 'red' : 'green'} text={statusLabel(incident.status)} />
        {incident.acknowledgedAt && <Badge color="purple" text={t('card.acknowledged', 'acknowledged')} />}
      </div>
      {/* One message: zh-Hans read '2 条告警 涉及 payment, checkout，…', a space between two glued halves. */}
      <div className={s.muted} data-testid={ids.alertCount} title={utcDateTime(incident.openedAt)}>
        {alerts === 1
          ? t('card.summary-one', '{{count}} alert on {{services}}, opened {{when}}', summary)
          : t('card.summary-many', '{{count}} alerts on {{services}}, opened {{when}}', summary)}
      </div>
      <RcaCauses card={card} incident={incident} causes={causes} />
      <div className={s.links}>
        <LinkButton size="sm" fill="text" icon="search" href={rootCauseHref(incident, causes[0], card.rca)}>
          <span data-testid={ids.rootCauseLink}>{t('card.root-cause', 'Root cause')}</span>
        </LinkButton>
        <LinkButton size="sm" fill="text" icon="bell" href={prefixRoute(ROUTES.Alerts)}>
          <span data-testid={ids.alertsLink}>{t('card.alerts', 'Alerts')}</span>
        </LinkButton>
      </div>
    </>
  );
}

function RcaCauses(props: { card: IncidentCard; incident: IncidentDto; causes: RcaCandidate[] }) {
  const s = useStyles2(getStyles);
  const { card, incident, causes } = props;
  if (!incident.rcaId && incident.rcaSkipped) {
    // The engine starts none when no alert of the incident names a service, and says why (its text, as sent).
    return (
      <div className={s.muted} data-testid={ids.rcaSkipped}>
        {t('card.rca-skipped', 'Root cause: {{reason}}', { reason: incident.rcaSkipped, ...UNESCAPED })}
      </div>
    );
  }
  if (!incident.rcaId) {
    return (
      <div className={s.muted} data-testid={ids.noRca}>
        {t('card.no-rca', 'No root-cause analysis is linked yet: the engine starts one when the incident pages.')}
      </div>
    );
  }
  if (!card.rca) {
    return (
      <div className={s.muted} data-testid={ids.rcaPending}>
        {t('card.rca-pending', 'Analysis {{id}} is running or not stored yet.', { id: incident.rcaId, ...UNESCAPED })}
      </div>
    );
  }
  if (causes.length === 0) {
    return (
      <div className={s.muted}>{t('card.no-cause', 'The analysis found no anomalous service in its window.')}</div>
    );
  }
  return (
    <ol className={s.causes} aria-label={t('card.top-causes', 'Top causes')}>
      {causes.map((c) => (
        <CauseRow key={`${c.service}:${c.signal}`} cause={c} topScore={causes[0]!.score} />
      ))}
    </ol>
  );
}

/**
 * Scores have no fixed upper bound (the top cause of a 20-minute latency fault scored 113 against a real engine), so
 * each bar is drawn relative to the top cause: the ranking and the gaps between causes are what the reader needs.
 */
function CauseRow({ cause, topScore }: { cause: RcaCandidate; topScore: number }) {
  const s = useStyles2(getStyles);
  const fraction = topScore > 0 ? Math.min(1, Math.max(0, cause.score / topScore)) : 0;
  return (
    <li className={s.cause} data-testid={ids.cause}>
      <span className={s.service} data-testid={ids.causeService}>
        {cause.service}
      </span>
      <span className={s.fault}>{cause.faultType}</span>
      <span
        className={s.track}
        role="meter"
        aria-label={t('card.score-of', '{{service}} score', { service: cause.service, ...UNESCAPED })}
        aria-valuemin={0}
        aria-valuemax={Number(topScore.toFixed(2))}
        aria-valuenow={Number(cause.score.toFixed(2))}
        data-testid={ids.scoreBar}
      >
        <span className={s.fill} style={{ width: `${(fraction * 100).toFixed(0)}%` }} />
      </span>
      <span className={s.score}>{formatScore(cause.score)}</span>
    </li>
  );
}

function NoIncident({ service }: { service: string }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.empty} data-testid={ids.empty}>
      <strong>
        {service
          ? t('card.empty.title-on', 'No open incident on {{service}}', { service, ...UNESCAPED })
          : t('card.empty.title', 'No open incident')}
      </strong>
      <p>
        <Trans
          i18nKey="card.empty.what"
          defaults="This card shows the latest open incident the AI-CloudOps engine grouped from your alerts, with the top causes of its root-cause analysis. It needs the AI-CloudOps app enabled with its engine URL, and alerts reaching the engine (Alertmanager's webhook receiver at <code>/api/v1/alerts/webhook/alertmanager</code>)."
          components={{ code: <code /> }}
        />
      </p>
      <p>{t('card.empty.options', 'In the panel options, pick an incident id or a service to follow one.')}</p>
      <LinkButton size="sm" variant="secondary" icon="bell" href={prefixRoute(ROUTES.Alerts)}>
        {t('card.empty.open-alerts', 'Open the Alerts page')}
      </LinkButton>
    </div>
  );
}

/** Known values in the user's language; anything newer the engine sends shows as sent. */
function severityLabel(severity: string): string {
  const known: Record<string, string> = {
    critical: t('card.severity.critical', 'critical'),
    warning: t('card.severity.warning', 'warning'),
    info: t('card.severity.info', 'info'),
  };
  return known[severity] ?? severity;
}

function statusLabel(status: string): string {
  const known: Record<string, string> = {
    open: t('card.status.open', 'open'),
    resolved: t('card.status.resolved', 'resolved'),
  };
  return known[status] ?? status;
}

/** The Root cause page for the top cause's service (else the incident's first), in the incident's namespace. */
export function rootCauseHref(
  incident: IncidentDto,
  top: RcaCandidate | undefined,
  rca: RcaResult | undefined
): string {
  const namespace = rca?.namespace ?? incident.alerts.find((a) => a.labels.namespace)?.labels.namespace ?? '';
  const service = top?.service ?? incident.services[0] ?? '';
  // Only what is known: an empty parameter would replace the Root cause page's default (a node's alert has no namespace).
  const known = new URLSearchParams(Object.entries({ namespace, service }).filter(([, value]) => value)).toString();
  return known ? `${prefixRoute(ROUTES.RootCause)}?${known}` : prefixRoute(ROUTES.RootCause);
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css`
    display: flex;
    flex-direction: column;
    gap: ${theme.spacing(1)};
    overflow: auto;
  `,
  header: css`
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: ${theme.spacing(1)};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  causes: css`
    list-style: none;
    margin: 0;
    padding: 0;
  `,
  cause: css`
    display: grid;
    grid-template-columns: minmax(80px, 1fr) minmax(80px, 1fr) 2fr auto;
    align-items: center;
    gap: ${theme.spacing(1)};
    padding: ${theme.spacing(0.5, 0)};
  `,
  service: css`
    font-weight: ${theme.typography.fontWeightMedium};
  `,
  fault: css`
    color: ${theme.colors.text.secondary};
  `,
  track: css`
    display: block;
    height: ${theme.spacing(1)};
    border-radius: ${theme.shape.radius.default};
    background: ${theme.colors.background.secondary};
    overflow: hidden;
  `,
  fill: css`
    display: block;
    height: 100%;
    background: ${theme.colors.error.main};
  `,
  score: css`
    font-variant-numeric: tabular-nums;
  `,
  links: css`
    display: flex;
    gap: ${theme.spacing(1)};
  `,
  empty: css`
    padding: ${theme.spacing(2)};
    border: 1px dashed ${theme.colors.border.medium};
    border-radius: ${theme.shape.radius.default};
  `,
});
