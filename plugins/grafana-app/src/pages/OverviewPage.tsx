import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { t } from '@grafana/i18n';
import {
  Badge,
  Button,
  Combobox,
  InlineField,
  InlineFieldRow,
  Input,
  LinkButton,
  LoadingPlaceholder,
  useStyles2,
} from '@grafana/ui';
import { isRetryableEngineError, useEngineQuery } from '../api/useEngineQuery';
import { engineOutage } from '../api/engineOutage';
import type { WorkloadHealth, WorkloadHealthState } from '../api/types';
import { EngineErrorAlert } from '../components/EngineError/EngineErrorAlert';
import { testIds } from '../components/testIds';
import { DEFAULT_NAMESPACE, ROUTES } from '../constants';
import { prefixRoute } from '../utils/utils.routing';
import { DataTable } from '../components/DataTable';
import { UNESCAPED } from '../locales/unescaped';

const HEALTH_COLOR: Record<WorkloadHealthState, 'green' | 'orange' | 'red'> = {
  healthy: 'green',
  degraded: 'orange',
  unavailable: 'red',
};

const HEALTH_ORDER: Record<WorkloadHealthState, number> = { unavailable: 0, degraded: 1, healthy: 2 };

export function OverviewPage() {
  const s = useStyles2(getStyles);
  // What the field holds, and what the lists were read for: edits apply on Refresh or Enter, so a reload (the
  // automatic retry while the engine is unreachable) never reads a half-typed namespace nor replaces what was typed.
  const [draft, setDraft] = useState(DEFAULT_NAMESPACE);
  const [namespace, setNamespace] = useState(DEFAULT_NAMESPACE);
  const [cluster, setCluster] = useState<string>();
  // Readiness and workloads fail independently: a down metrics source must not hide the cluster view.
  const readinessQuery = useEngineQuery((api) => api.readiness(), []);
  const workloadsQuery = useEngineQuery(
    (api) => api.workloads({ namespace: namespace || undefined, cluster }),
    [namespace, cluster]
  );
  const clustersQuery = useEngineQuery((api) => api.clusters(), []);
  const readiness = readinessQuery.value;
  const workloads = workloadsQuery.value;
  const clusters = clustersQuery.value ?? [];
  const loading = workloadsQuery.loading;
  // The engine down fails both reads: one alert with one Retry under Engine, not a second under Workloads.
  const outage = engineOutage([readinessQuery, workloadsQuery]);
  const workloadsError = outage && isRetryableEngineError(workloadsQuery.error) ? undefined : workloadsQuery.error;

  const refresh = () => {
    setNamespace(draft);
    [readinessQuery, workloadsQuery, clustersQuery].forEach((q) => q.retry());
  };

  const byNamespace = groupByNamespace(workloads ?? []);

  return (
    <PluginPage>
      <div data-testid={testIds.overview.container}>
        <InlineFieldRow>
          <InlineField
            htmlFor="overview-namespace"
            label={t('overview.namespace.label', 'Namespace')}
            labelWidth={14}
            tooltip={t('overview.namespace.tooltip', 'Empty shows every namespace the engine may read')}
          >
            <Input
              id="overview-namespace"
              data-testid={testIds.overview.namespace}
              width={24}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value.trim())}
              onKeyDown={(e) => e.key === 'Enter' && refresh()}
            />
          </InlineField>
          {clusters.length > 1 && (
            <InlineField label={t('overview.cluster.label', 'Cluster')} labelWidth={10}>
              <Combobox
                id="overview-cluster"
                width={24}
                options={clusters.map((c) => ({
                  label: c.default
                    ? t('overview.cluster.default', '{{name}} (default)', { name: c.name, ...UNESCAPED })
                    : c.name,
                  value: c.name,
                }))}
                value={cluster ?? clusters.find((c) => c.default)?.name}
                onChange={(v) => setCluster(v.value)}
              />
            </InlineField>
          )}
          <Button
            data-testid={testIds.overview.refresh}
            icon="sync"
            variant="secondary"
            onClick={refresh}
            disabled={loading}
          >
            {t('overview.refresh', 'Refresh')}
          </Button>
        </InlineFieldRow>

        <section className={s.section} data-testid={testIds.overview.readiness}>
          <h3>
            {t('overview.engine.title', 'Engine')}{' '}
            {readiness && (
              <>
                <Badge
                  color={readiness.ready ? 'green' : 'red'}
                  text={
                    readiness.ready ? t('overview.engine.ready', 'ready') : t('overview.engine.not-ready', 'not ready')
                  }
                  icon={readiness.ready ? 'check' : 'exclamation-triangle'}
                />
                <span className={s.muted}>
                  {' '}
                  {t('overview.engine.profile', '{{profile}} profile', { profile: readiness.profile, ...UNESCAPED })}
                </span>
              </>
            )}
          </h3>
          {readinessQuery.error !== undefined && (
            <EngineErrorAlert
              error={readinessQuery.error}
              title={t('overview.engine.unreachable', 'Cannot reach the engine')}
              testId={testIds.overview.error}
              retry={outage ?? readinessQuery}
            />
          )}
          {readiness && (
            <DataTable label={t('overview.engine.title', 'Engine')}>
              <tbody>
                {readiness.checks.map((check) => (
                  <tr key={check.name} data-testid={testIds.overview.check}>
                    <td>
                      <Badge
                        color={check.ok ? 'green' : 'red'}
                        text={check.ok ? t('overview.check.ok', 'ok') : t('overview.check.failing', 'failing')}
                      />
                    </td>
                    <td>
                      <strong>{check.name}</strong>
                    </td>
                    <td className={s.detail}>{check.detail}</td>
                    <td className={s.muted}>
                      {check.latencyMs !== undefined ? `${Math.round(check.latencyMs)} ms` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
        </section>

        <section className={s.section} data-testid={testIds.overview.workloads}>
          <h3>{t('overview.workloads.title', 'Workloads')}</h3>
          {loading && !workloads && (
            <LoadingPlaceholder text={t('overview.workloads.loading', 'Loading workloads...')} />
          )}
          {workloadsError !== undefined && (
            <EngineErrorAlert
              error={workloadsError}
              title={t('overview.workloads.failed', 'Cannot list workloads')}
              testId={testIds.overview.error}
              retry={workloadsQuery}
            />
          )}
          {workloads && workloads.length === 0 && (
            <p className={s.muted}>
              {namespace
                ? t('overview.workloads.none-in', 'No workloads in {{namespace}}.', { namespace, ...UNESCAPED })
                : t('overview.workloads.none', 'No workloads in any namespace.')}
            </p>
          )}
          {byNamespace.map(([ns, items]) => (
            <div key={ns} className={s.namespace}>
              <h4>
                {ns} <span className={s.muted}>{summary(items)}</span>
              </h4>
              <DataTable label={ns}>
                <thead>
                  <tr>
                    <th>{t('overview.column.workload', 'Workload')}</th>
                    <th>{t('overview.column.health', 'Health')}</th>
                    <th>{t('overview.column.ready', 'Ready')}</th>
                    <th>{t('overview.column.restarts', 'Restarts')}</th>
                    <th>{t('overview.column.why', 'Why')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {items.map((w) => (
                    <tr key={`${w.cluster}/${w.kind}/${w.name}`} data-testid={testIds.overview.workloadRow}>
                      <td>
                        <strong>{w.name}</strong> <span className={s.muted}>{w.kind}</span>
                      </td>
                      <td>
                        <Badge color={HEALTH_COLOR[w.health]} text={healthLabel(w.health)} />
                      </td>
                      <td>
                        {w.readyReplicas}/{w.replicas}
                      </td>
                      <td>{w.pods.reduce((sum, p) => sum + p.restarts, 0)}</td>
                      <td className={s.detail}>{w.reasons.join('; ')}</td>
                      <td>
                        <div className={s.actions}>
                          {w.health !== 'healthy' && (
                            <LinkButton size="sm" fill="text" icon="search" href={linkTo(ROUTES.RootCause, w)}>
                              {t('overview.link.root-cause', 'Root cause')}
                            </LinkButton>
                          )}
                          <LinkButton size="sm" fill="text" icon="chart-line" href={linkTo(ROUTES.Forecast, w)}>
                            {t('overview.link.forecast', 'Forecast')}
                          </LinkButton>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </DataTable>
            </div>
          ))}
        </section>
      </div>
    </PluginPage>
  );
}

/** Worst first within a namespace, so what needs attention is at the top. */
function groupByNamespace(workloads: WorkloadHealth[]): Array<[string, WorkloadHealth[]]> {
  const groups = new Map<string, WorkloadHealth[]>();
  for (const w of workloads) {
    groups.set(w.namespace, [...(groups.get(w.namespace) ?? []), w]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ns, items]) => [
      ns,
      [...items].sort((a, b) => HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] || a.name.localeCompare(b.name)),
    ]);
}

/** The workload's namespace and name carried to another page, which reads them from the URL. */
function linkTo(route: ROUTES, w: WorkloadHealth): string {
  return `${prefixRoute(route)}?${new URLSearchParams({ namespace: w.namespace, service: w.name }).toString()}`;
}

function summary(items: WorkloadHealth[]): string {
  const count = (h: WorkloadHealthState) => items.filter((w) => w.health === h).length;
  return t('overview.summary', '{{healthy}} healthy, {{degraded}} degraded, {{unavailable}} unavailable', {
    healthy: count('healthy'),
    degraded: count('degraded'),
    unavailable: count('unavailable'),
  });
}

/** Called on render, like every t(): the user's language is known only once the plugin loaded. */
function healthLabel(health: WorkloadHealthState): string {
  return {
    healthy: t('overview.health.healthy', 'healthy'),
    degraded: t('overview.health.degraded', 'degraded'),
    unavailable: t('overview.health.unavailable', 'unavailable'),
  }[health];
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css`
    margin-top: ${theme.spacing(3)};
  `,
  namespace: css`
    margin-top: ${theme.spacing(2)};
  `,
  // Flex rather than text-align on the cell: the shared table style's \`td { text-align: left }\` outranked it, so
  // Forecast sat under Root cause on healthy rows and beside it on unhealthy ones (overview.png). The links wrap
  // rather than the row: kept on one line they pushed the table 66 px past a 600 px wide page.
  actions: css`
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    white-space: nowrap;
  `,
  detail: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
    font-weight: ${theme.typography.fontWeightRegular};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
