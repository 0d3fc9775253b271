import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import type { WorkloadHealth, WorkloadHealthState } from '../api/types';
import type { CloudOpsDataSourceOptions, CloudOpsQuery } from '../datasource/types';

/** Where Grafana's data proxy serves the test datasource (uid `cloudops`). */
export const DS_URL = '/api/datasources/proxy/uid/cloudops';

/** The instance settings Grafana hands the datasource, as for a provisioned `aicloudops-cloudops-datasource`. */
export function datasourceSettings(
  jsonData: CloudOpsDataSourceOptions = {}
): DataSourceInstanceSettings<CloudOpsDataSourceOptions> {
  return {
    uid: 'cloudops',
    type: 'aicloudops-cloudops-datasource',
    name: 'AI-CloudOps',
    url: DS_URL,
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: {} as DataSourceInstanceSettings['meta'],
  };
}

/** A workload as GET /api/v1/workloads returns it (engine/src/schemas/core.ts workloadHealthSchema). */
export function workload(
  name: string,
  health: WorkloadHealthState,
  options: { namespace?: string; replicas?: number; ready?: number; restarts?: number; reasons?: string[] } = {}
): WorkloadHealth {
  const namespace = options.namespace ?? 'shop';
  const replicas = options.replicas ?? 2;
  const ready = options.ready ?? (health === 'healthy' ? replicas : health === 'degraded' ? replicas - 1 : 0);
  return {
    cluster: 'simulated',
    kind: 'Deployment',
    namespace,
    name,
    labels: { app: name },
    annotations: {},
    selector: `app=${name}`,
    replicas,
    readyReplicas: ready,
    updatedReplicas: replicas,
    availableReplicas: ready,
    revision: '3',
    images: [`ghcr.io/ai-cloudops/shop-${name}:1.4.2`],
    generation: 3,
    observedGeneration: 3,
    conditions: [{ type: 'Available', status: ready > 0 ? 'True' : 'False' }],
    health,
    reasons: options.reasons ?? [],
    pods: Array.from({ length: replicas }, (_, i) => ({
      namespace,
      name: `${name}-7d9f8-${i}`,
      labels: { app: name },
      phase: 'Running',
      ready: i < ready,
      restarts: i === 0 ? (options.restarts ?? 0) : 0,
      containers: [
        { name, image: `ghcr.io/ai-cloudops/shop-${name}:1.4.2`, ready: i < ready, restartCount: 0, state: 'running' },
      ],
      conditions: [],
    })),
  };
}

/** A dashboard's query request for the datasource over [fromMs, toMs]. */
export function queryRequest(
  targets: CloudOpsQuery[],
  fromMs: number,
  toMs: number,
  intervalMs = 60_000
): DataQueryRequest<CloudOpsQuery> {
  const from = dateTime(fromMs);
  const to = dateTime(toMs);
  return {
    requestId: 'r1',
    interval: '1m',
    intervalMs,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  };
}
