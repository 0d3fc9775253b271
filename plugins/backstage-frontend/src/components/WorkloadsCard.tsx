import { InfoCard, Progress, ResponseErrorPanel, Table, WarningPanel, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { aiCloudOpsTranslationRef, type CloudOpsT as T } from '../translation';
import type { WorkloadHealth } from '../api/types';
import { HealthStatus } from './HealthStatus';

type WorkloadRow = WorkloadHealth & { id: string };
type PodRow = WorkloadHealth['pods'][number] & { id: string; workload: string; cluster: string };

const workloadColumns = (t: T): TableColumn<WorkloadRow>[] => [
  { title: t('workloadsCard.column.workload'), render: (w) => `${w.kind}/${w.name}` },
  { title: t('workloadsCard.column.cluster'), field: 'cluster' },
  { title: t('workloadsCard.column.namespace'), field: 'namespace' },
  { title: t('workloadsCard.column.ready'), render: (w) => `${w.readyReplicas}/${w.replicas}` },
  { title: t('workloadsCard.column.health'), render: (w) => <HealthStatus health={w.health} /> },
  { title: t('workloadsCard.column.why'), render: (w) => (w.reasons.length ? w.reasons.join('; ') : '—') },
];

const podColumns = (t: T): TableColumn<PodRow>[] => [
  { title: t('workloadsCard.column.pod'), field: 'name' },
  { title: t('workloadsCard.column.workload'), field: 'workload' },
  { title: t('workloadsCard.column.phase'), field: 'phase' },
  { title: t('workloadsCard.column.ready'), render: (p) => (p.ready ? t('workloadsCard.yes') : t('workloadsCard.no')) },
  { title: t('workloadsCard.column.restarts'), field: 'restarts' },
  { title: t('workloadsCard.column.reason'), render: (p) => podReason(p, t) },
];

/** The reason a person would want to read first: the current waiting/terminated state, else the last crash. */
function podReason(pod: WorkloadHealth['pods'][number], t: T): string {
  const reasons = pod.containers
    .map(
      (c) =>
        c.reason ??
        (c.lastTerminationReason ? t('workloadsCard.lastReason', { reason: c.lastTerminationReason }) : undefined),
    )
    .filter((r): r is string => Boolean(r));
  return reasons.length ? Array.from(new Set(reasons)).join(', ') : '—';
}

export function WorkloadsCard({ entityRef }: { entityRef: CompoundEntityRef }) {
  const api = useApi(cloudOpsApiRef);
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const { value, loading, error } = useAsync(
    () => api.getEntityWorkloads(entityRef),
    [api, entityRef.kind, entityRef.namespace, entityRef.name],
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
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
            title={t('workloadsCard.clusterFailed', { cluster: c.cluster })}
            message={c.error!.message}
          />
        ))}
      {workloads.length === 0 && !value.items.some((c) => c.error) ? (
        <Typography>{t('workloadsCard.none', { selector: value.target.labelSelector })}</Typography>
      ) : null}
      {workloads.length > 0 ? (
        <>
          <Table<WorkloadRow>
            title={t('workloadsCard.title')}
            options={{ paging: false, search: false, padding: 'dense', draggable: false }}
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
