import { InfoCard, Progress, Table, WarningPanel, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import Typography from '@mui/material/Typography';
import {
  ENGINE_TOKEN_REFUSED,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  type WorkloadTarget,
} from '@ai-cloudops/backstage-plugin-common';
import { EngineErrorPanel } from './EngineErrorPanel';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { useEngineRetry } from '../hooks/useEngineRetry';
import { aiCloudOpsTranslationRef, type CloudOpsT as T } from '../translation';
import type { EntityWorkloadsResponse, WorkloadHealth } from '../api/types';
import { EngineRetryNotice } from './EngineRetryNotice';
import { GuideSample } from './GuideSample';
import { HealthStatus } from './HealthStatus';

/** Test ids for the browser test and screenshots: keep them stable. */
export const workloadsCardTestIds = {
  emptyState: 'aicloudops-workloads-empty',
  sampleEntity: 'aicloudops-workloads-sample-entity',
  sampleWorkload: 'aicloudops-workloads-sample-workload',
} as const;

/** The backend's entry for the engine itself when it could not even list its clusters (listEntityWorkloads). */
export const ENGINE_ENTRY = '(engine)';

/** The backend answered, but for the engine itself: it could not reach it (tried again like a failed call). */
export const engineNotReached = (response: EntityWorkloadsResponse): boolean =>
  response.items.some((c) => c.cluster === ENGINE_ENTRY && c.error);

/** Not "could not reach" when the engine answered but refused the portal's token (the backend's 502 entry). */
function clusterErrorTitle(c: EntityWorkloadsResponse['items'][number], t: T): string {
  if (c.error?.name === ENGINE_TOKEN_REFUSED) return t('engineRetry.tokenRefused');
  return c.cluster === ENGINE_ENTRY ? t('workloadsCard.engineFailed') : t('workloadsCard.clusterFailed', { cluster: c.cluster });
}

type WorkloadRow = WorkloadHealth & { id: string };
type PodRow = WorkloadHealth['pods'][number] & { id: string; workload: string; cluster: string };

/**
 * Names (Deployment/payment, payment-cmskcrc-7dz8k) on one line: the theme's table cells break words anywhere, and
 * equal-width columns split "Deployment/payme nt" mid-word. A long name widens its column; the table scrolls sideways.
 */
export const NAME_CELL_STYLE = {
  whiteSpace: 'nowrap',
  wordBreak: 'keep-all',
  overflowWrap: 'normal',
} as const;

const workloadColumns = (t: T): TableColumn<WorkloadRow>[] => [
  {
    title: t('workloadsCard.column.workload'),
    render: (w) => `${w.kind}/${w.name}`,
    cellStyle: NAME_CELL_STYLE,
  },
  { title: t('workloadsCard.column.cluster'), field: 'cluster' },
  { title: t('workloadsCard.column.namespace'), field: 'namespace' },
  { title: t('workloadsCard.column.ready'), render: (w) => `${w.readyReplicas}/${w.replicas}` },
  { title: t('workloadsCard.column.health'), render: (w) => <HealthStatus health={w.health} /> },
  { title: t('workloadsCard.column.why'), render: (w) => (w.reasons.length ? w.reasons.join('; ') : '—') },
];

const podColumns = (t: T): TableColumn<PodRow>[] => [
  { title: t('workloadsCard.column.pod'), field: 'name', cellStyle: NAME_CELL_STYLE },
  { title: t('workloadsCard.column.workload'), field: 'workload', cellStyle: NAME_CELL_STYLE },
  { title: t('workloadsCard.column.phase'), field: 'phase' },
  {
    title: t('workloadsCard.column.ready'),
    render: (p) => (p.ready ? t('workloadsCard.yes') : t('workloadsCard.no')),
  },
  { title: t('workloadsCard.column.restarts'), field: 'restarts' },
  { title: t('workloadsCard.column.reason'), render: (p) => podReason(p, t) },
];

/** The reason a person would want to read first: the current waiting/terminated state, else the last crash. */
function podReason(pod: WorkloadHealth['pods'][number], t: T): string {
  const reasons = pod.containers
    .map(
      (c) =>
        c.reason ??
        (c.lastTerminationReason
          ? t('workloadsCard.lastReason', { reason: c.lastTerminationReason })
          : undefined),
    )
    .filter((r): r is string => Boolean(r));
  return reasons.length ? Array.from(new Set(reasons)).join(', ') : '—';
}

export function WorkloadsCard({ entityRef }: { entityRef: CompoundEntityRef }) {
  const api = useApi(cloudOpsApiRef);
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const state = useEngineRetry(
    () => api.getEntityWorkloads(entityRef),
    [api, entityRef.kind, entityRef.namespace, entityRef.name],
    { unreachable: engineNotReached },
  );
  const { value, loading, error } = state;

  // A retry keeps the last answer (or error) on screen rather than flashing the spinner.
  if (loading && !value && !error) return <Progress />;
  if (error)
    return (
      <>
        <EngineErrorPanel error={error} />
        <EngineRetryNotice state={state} />
      </>
    );
  if (!value) return null;

  const workloads: WorkloadRow[] = value.items.flatMap((c) =>
    c.workloads.map((w) => ({ ...w, id: `${c.cluster}/${w.namespace}/${w.kind}/${w.name}` })),
  );
  const pods: PodRow[] = workloads.flatMap((w) =>
    w.pods.map((p) => ({ ...p, id: `${w.id}/${p.name}`, workload: w.name, cluster: w.cluster })),
  );

  return (
    <InfoCard
      title={t('workloadsCard.title')}
      subheader={t('workloadsCard.selector', { selector: value.target.labelSelector })}
    >
      {value.items
        .filter((c) => c.error)
        .map((c) => (
          <WarningPanel
            key={c.cluster}
            severity="error"
            title={clusterErrorTitle(c, t)}
            message={c.error!.message}
          />
        ))}
      {/* Beside the panel, not in it: a WarningPanel's children sit in its collapsed details. */}
      {engineNotReached(value) ? <EngineRetryNotice state={state} down /> : null}
      {workloads.length === 0 && !value.items.some((c) => c.error) ? (
        <WorkloadsEmptyState target={value.target} name={entityRef.name} />
      ) : null}
      {workloads.length > 0 ? (
        <>
          {/* No table title: the card's own title already says Workloads (a second heading repeated it). */}
          <Table<WorkloadRow>
            options={{ paging: false, search: false, padding: 'dense', draggable: false, toolbar: false }}
            columns={workloadColumns(t)}
            data={workloads}
          />
          <Table<PodRow>
            title={t('workloadsCard.pods')}
            options={{
              paging: pods.length > 20,
              pageSize: 20,
              search: false,
              padding: 'dense',
              draggable: false,
            }}
            columns={podColumns(t)}
            data={pods}
          />
        </>
      ) : null}
    </InfoCard>
  );
}

/** When nothing matches: what the card shows, how it selects workloads, and the labels and annotations to set. */
function WorkloadsEmptyState({ target, name }: { target: WorkloadTarget; name: string }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const sample = workloadsSample(target, name);
  return (
    <div data-testid={workloadsCardTestIds.emptyState}>
      <Typography variant="body2" paragraph>
        {t('workloadsCard.empty.what', {
          deployment: <code>Deployment</code>,
          statefulSet: <code>StatefulSet</code>,
          daemonSet: <code>DaemonSet</code>,
        })}
      </Typography>
      <Typography variant="body2" paragraph>
        {t('workloadsCard.none', { selector: target.labelSelector })}
      </Typography>
      <Typography variant="body2" paragraph>
        {t('workloadsCard.empty.needs', {
          idAnnotation: <code>{KUBERNETES_ID_ANNOTATION}</code>,
          idSelector: <code>{`${KUBERNETES_ID_ANNOTATION}=<id>`}</code>,
          selectorAnnotation: <code>{KUBERNETES_LABEL_SELECTOR_ANNOTATION}</code>,
          namespaceAnnotation: <code>{KUBERNETES_NAMESPACE_ANNOTATION}</code>,
        })}
      </Typography>
      <GuideSample
        caption={t('workloadsCard.empty.sampleEntity', { file: <code>catalog-info.yaml</code> })}
        text={sample.entity}
        testId={workloadsCardTestIds.sampleEntity}
      />
      <GuideSample
        caption={t('workloadsCard.empty.sampleWorkload', { labels: <code>metadata.labels</code> })}
        text={sample.workload}
        testId={workloadsCardTestIds.sampleWorkload}
      />
    </div>
  );
}

/**
 * The entity's annotations and a Deployment's labels that would match, built from the target the backend resolved:
 * the selector's `key=value` terms become the labels (set-based terms cannot be turned into one label set, so
 * the kubernetes-id label stands in for them).
 */
export function workloadsSample(target: WorkloadTarget, name: string): { entity: string; workload: string } {
  const idPrefix = `${KUBERNETES_ID_ANNOTATION}=`;
  const byId = target.labelSelector.startsWith(idPrefix) && !target.labelSelector.includes(',');
  const labels = target.labelSelector
    .split(',')
    .map((term) => term.trim().match(/^([^!=\s]+)\s*==?\s*([^\s]*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => [m[1], m[2]] as const);
  const workloadLabels = labels.length ? labels : [[KUBERNETES_ID_ANNOTATION, name] as const];
  const namespace = target.namespace ?? '<namespace>';
  const entity = [
    'metadata:',
    '  annotations:',
    byId
      ? `    ${KUBERNETES_ID_ANNOTATION}: ${target.labelSelector.slice(idPrefix.length)}`
      : `    ${KUBERNETES_LABEL_SELECTOR_ANNOTATION}: '${target.labelSelector}'`,
    `    ${KUBERNETES_NAMESPACE_ANNOTATION}: ${namespace}`,
  ];
  const workload = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    '  labels:',
    ...workloadLabels.map(([k, v]) => `    ${k}: '${v}'`),
  ];
  return { entity: entity.join('\n'), workload: workload.join('\n') };
}
