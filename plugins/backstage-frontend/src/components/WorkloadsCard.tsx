import { InfoCard, Progress, ResponseErrorPanel, Table, WarningPanel, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import type { WorkloadHealth } from '../api/types';
import { HealthStatus } from './HealthStatus';

type WorkloadRow = WorkloadHealth & { id: string };
type PodRow = WorkloadHealth['pods'][number] & { id: string; workload: string; cluster: string };

const workloadColumns: TableColumn<WorkloadRow>[] = [
  { title: 'Workload', render: (w) => `${w.kind}/${w.name}` },
  { title: 'Cluster', field: 'cluster' },
  { title: 'Namespace', field: 'namespace' },
  { title: 'Ready', render: (w) => `${w.readyReplicas}/${w.replicas}` },
  { title: 'Health', render: (w) => <HealthStatus health={w.health} /> },
  { title: 'Why', render: (w) => (w.reasons.length ? w.reasons.join('; ') : '—') },
];

const podColumns: TableColumn<PodRow>[] = [
  { title: 'Pod', field: 'name' },
  { title: 'Workload', field: 'workload' },
  { title: 'Phase', field: 'phase' },
  { title: 'Ready', render: (p) => (p.ready ? 'yes' : 'no') },
  { title: 'Restarts', field: 'restarts' },
  { title: 'Reason', render: (p) => podReason(p) },
];

/** The reason a person would want to read first: the current waiting/terminated state, else the last crash. */
function podReason(pod: WorkloadHealth['pods'][number]): string {
  const reasons = pod.containers
    .map((c) => c.reason ?? (c.lastTerminationReason ? `last: ${c.lastTerminationReason}` : undefined))
    .filter((r): r is string => Boolean(r));
  return reasons.length ? Array.from(new Set(reasons)).join(', ') : '—';
}

export function WorkloadsCard({ entityRef }: { entityRef: CompoundEntityRef }) {
  const api = useApi(cloudOpsApiRef);
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
    <InfoCard title="Workloads" subheader={`selector ${value.target.labelSelector}`}>
      {value.items
        .filter((c) => c.error)
        .map((c) => (
          <WarningPanel
            key={c.cluster}
            severity="error"
            title={`Could not read workloads from ${c.cluster}`}
            message={c.error!.message}
          />
        ))}
      {workloads.length === 0 && !value.items.some((c) => c.error) ? (
        <Typography>No workloads match {value.target.labelSelector}.</Typography>
      ) : null}
      {workloads.length > 0 ? (
        <>
          <Table<WorkloadRow>
            title="Workloads"
            options={{ paging: false, search: false, padding: 'dense', draggable: false }}
            columns={workloadColumns}
            data={workloads}
          />
          <Table<PodRow>
            title="Pods"
            options={{
              paging: pods.length > 20,
              pageSize: 20,
              search: false,
              padding: 'dense',
              draggable: false,
            }}
            columns={podColumns}
            data={pods}
          />
        </>
      ) : null}
    </InfoCard>
  );
}
