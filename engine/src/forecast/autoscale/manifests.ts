import { stringify } from 'yaml';
import type { WorkloadRef } from '../../sources/cluster/ClusterSource.js';
import type { AutoscaleConfig } from '../config.js';
import type { ReplicaPlan } from './planReplicas.js';

export interface Manifest {
  kind: string;
  object: Record<string, unknown>;
  yaml: string;
}

const API_VERSION_OF: Record<string, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
};

/**
 * An autoscaling/v2 HPA that keeps the reactive loop as a safety net while the plan pre-scales: its floor is the
 * plan's recommendation (so it never scales below what the forecast needs), its target the per-replica capacity.
 */
export function hpaManifest(
  ref: WorkloadRef,
  plan: ReplicaPlan,
  config: AutoscaleConfig,
  metric: { name: string; selector?: Record<string, string> },
): Manifest {
  const object = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      annotations: { 'aicloudops.io/plan-reason': plan.reason },
    },
    spec: {
      scaleTargetRef: { apiVersion: API_VERSION_OF[ref.kind], kind: ref.kind, name: ref.name },
      minReplicas: Math.max(config.minReplicas, Math.min(plan.recommendedReplicas, config.maxReplicas), 1),
      maxReplicas: config.maxReplicas,
      metrics: [
        {
          type: 'Pods',
          pods: {
            metric: {
              name: metric.name,
              ...(metric.selector ? { selector: { matchLabels: metric.selector } } : {}),
            },
            target: { type: 'AverageValue', averageValue: formatQuantity(plan.capacityPerReplica) },
          },
        },
      ],
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: config.scaleDownStabilizationSeconds,
          policies: [{ type: 'Percent', value: 100, periodSeconds: config.syncPeriodSeconds }],
        },
        scaleUp: {
          stabilizationWindowSeconds: 0,
          policies: [
            { type: 'Percent', value: 100, periodSeconds: config.syncPeriodSeconds },
            { type: 'Pods', value: 4, periodSeconds: config.syncPeriodSeconds },
          ],
          selectPolicy: 'Max',
        },
      },
    },
  };
  return { kind: 'HorizontalPodAutoscaler', object, yaml: stringify(object) };
}

/**
 * A KEDA ScaledObject on the same PromQL the forecast reads (scoped to the workload and summed to one series by
 * kedaTriggerQuery before it comes here), with the plan's recommendation as the floor
 * (`minReplicaCount`), so KEDA pre-scales to the forecast and still reacts to what it measures.
 */
export function kedaScaledObject(
  ref: WorkloadRef,
  plan: ReplicaPlan,
  config: AutoscaleConfig,
  trigger: { query: string; serverAddress: string },
): Manifest {
  const server = kedaServer(trigger.serverAddress, ref.name);
  const object = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      annotations: { 'aicloudops.io/plan-reason': plan.reason },
    },
    spec: {
      scaleTargetRef: { apiVersion: API_VERSION_OF[ref.kind], kind: ref.kind, name: ref.name },
      pollingInterval: config.syncPeriodSeconds,
      cooldownPeriod: config.scaleDownStabilizationSeconds,
      minReplicaCount: Math.max(config.minReplicas, Math.min(plan.recommendedReplicas, config.maxReplicas)),
      maxReplicaCount: config.maxReplicas,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: { scaleDown: { stabilizationWindowSeconds: config.scaleDownStabilizationSeconds } },
        },
      },
      triggers: [
        {
          type: 'prometheus',
          metadata: {
            serverAddress: server.address,
            query: trigger.query,
            // KEDA parses the threshold as a plain float ('12.5'); a Kubernetes quantity such as '12500m' is refused.
            threshold: plainNumber(plan.capacityPerReplica),
            ...(server.authenticationRef ? { authModes: 'basic' } : {}),
          },
          ...(server.authenticationRef ? { authenticationRef: server.authenticationRef } : {}),
        },
      ],
    },
  };
  return { kind: 'ScaledObject', object, yaml: stringify(object) };
}

/**
 * The Prometheus address for KEDA without the credentials a `metrics.url` may carry (`http://user:pass@prom:9090`, the
 * documented way to give basic auth): the manifest is an API response and a file users commit, so the password was
 * served to every caller of scale-plan. KEDA takes basic auth from a TriggerAuthentication (`authModes: basic`,
 * `authenticationRef`), which the user creates from their own Secret.
 */
function kedaServer(
  url: string,
  workload: string,
): { address: string; authenticationRef?: { name: string } } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { address: url };
  }
  if (!parsed.username && !parsed.password) return { address: url };
  parsed.username = '';
  parsed.password = '';
  return {
    address: parsed.toString().replace(/\/$/, ''),
    authenticationRef: { name: `${workload}-prometheus-auth` },
  };
}

/** Kubernetes quantities: whole numbers as is, fractions in milli-units. */
function formatQuantity(x: number): string {
  return Number.isInteger(x) ? String(x) : `${Math.round(x * 1000)}m`;
}

/** A decimal string KEDA's Prometheus scaler accepts (strconv.ParseFloat): at most 3 decimals, no exponent. */
export function plainNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`threshold must be finite, got ${x}`);
  return String(Math.round(x * 1000) / 1000);
}
