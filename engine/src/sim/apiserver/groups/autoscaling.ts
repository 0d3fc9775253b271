import type { StatusCause } from '../ApiError.js';
import { clone, type KubeObject } from '../KubeObject.js';
import type { ResourceType } from '../ResourceType.js';
import { cause, get, validateName } from '../validation.js';

type Fields = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What autoscaling/v1 cannot express is kept in annotations of the v1 object, under the names kube-apiserver uses,
 * so a v1 client that reads, edits and writes back an HPA does not drop the v2 fields. The values are JSON in the
 * autoscaling/v2 shape (kube-apiserver writes v1's own MetricSpec types there; nothing outside the round trip reads
 * them).
 */
export const HPA_V1_ANNOTATIONS = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
} as const;

const isCpuUtilization = (m: Fields) =>
  m?.['type'] === 'Resource' &&
  m['resource']?.name === 'cpu' &&
  typeof m['resource']?.target?.averageUtilization === 'number';

function validateHpa(o: KubeObject): StatusCause[] {
  const causes = validateName(o);
  const max = get(o, 'spec.maxReplicas');
  const min = get(o, 'spec.minReplicas');
  if (typeof max !== 'number' || max < 1)
    causes.push(cause('spec.maxReplicas', 'Invalid value: must be greater than or equal to 1'));
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    causes.push(cause('spec.minReplicas', 'Invalid value: must be less than or equal to maxReplicas'));
  }
  if (!get(o, 'spec.scaleTargetRef.name'))
    causes.push(cause('spec.scaleTargetRef.name', 'Required value', 'FieldValueRequired'));
  return causes;
}

/** The spec fields autoscaling/v1 and v2 share, copied as they are in either direction. */
const sharedSpec = (spec: Fields): Fields => ({
  scaleTargetRef: spec['scaleTargetRef'],
  ...(spec['minReplicas'] !== undefined ? { minReplicas: spec['minReplicas'] } : {}),
  maxReplicas: spec['maxReplicas'],
});

/** The status fields autoscaling/v1 and v2 share (the replica counts are required in both). */
const sharedStatus = (status: Fields): Fields => ({
  ...(status['observedGeneration'] !== undefined ? { observedGeneration: status['observedGeneration'] } : {}),
  ...(status['lastScaleTime'] ? { lastScaleTime: status['lastScaleTime'] } : {}),
  currentReplicas: status['currentReplicas'] ?? 0,
  desiredReplicas: status['desiredReplicas'] ?? 0,
});

/** autoscaling/v2 (stored) → autoscaling/v1: the CPU utilisation metric becomes the v1 fields, the rest annotations. */
function v2ToV1(stored: KubeObject): KubeObject {
  const o = clone(stored) as Fields;
  const spec: Fields = o['spec'] ?? {};
  const status: Fields | undefined = o['status'];
  const metrics: Fields[] = spec['metrics'] ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  const currentMetrics: Fields[] = status?.['currentMetrics'] ?? [];
  const currentCpu = currentMetrics.find((m) => m['type'] === 'Resource' && m['resource']?.name === 'cpu')?.[
    'resource'
  ]?.current?.averageUtilization;
  const annotations: Record<string, string> = { ...o['metadata'].annotations };
  const keep = (key: string, value: unknown, when: boolean) => {
    if (when) annotations[key] = JSON.stringify(value);
  };
  keep(HPA_V1_ANNOTATIONS.metrics, others, others.length > 0);
  keep(HPA_V1_ANNOTATIONS.behavior, spec['behavior'], spec['behavior'] !== undefined);
  keep(HPA_V1_ANNOTATIONS.currentMetrics, currentMetrics, currentMetrics.length > 0);
  keep(HPA_V1_ANNOTATIONS.conditions, status?.['conditions'], (status?.['conditions'] ?? []).length > 0);
  const metadata = { ...o['metadata'] };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      ...sharedSpec(spec),
      ...(cpu ? { targetCPUUtilizationPercentage: cpu['resource'].target.averageUtilization } : {}),
    },
    ...(status
      ? {
          status: {
            ...sharedStatus(status),
            ...(typeof currentCpu === 'number' ? { currentCPUUtilizationPercentage: currentCpu } : {}),
          },
        }
      : {}),
  };
}

/** autoscaling/v1 → autoscaling/v2 (stored): the reverse, reading back what the annotations kept. */
function v1ToV2(v1: KubeObject): KubeObject {
  const o = clone(v1) as Fields;
  const spec: Fields = o['spec'] ?? {};
  const status: Fields | undefined = o['status'];
  const annotations: Record<string, string> = { ...o['metadata'].annotations };
  const take = (key: string): Fields | undefined => {
    const raw = annotations[key];
    delete annotations[key];
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as Fields;
    } catch {
      return undefined;
    }
  };
  const others = (take(HPA_V1_ANNOTATIONS.metrics) ?? []) as Fields[];
  const behavior = take(HPA_V1_ANNOTATIONS.behavior);
  const keptCurrent = (take(HPA_V1_ANNOTATIONS.currentMetrics) ?? []) as Fields[];
  const conditions = take(HPA_V1_ANNOTATIONS.conditions);
  const target = spec['targetCPUUtilizationPercentage'];
  const metrics = [
    ...(typeof target === 'number'
      ? [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
          },
        ]
      : []),
    ...others,
  ];
  const currentCpu = status?.['currentCPUUtilizationPercentage'];
  const currentMetrics = keptCurrent.map((m) =>
    m['type'] === 'Resource' && m['resource']?.name === 'cpu' && typeof currentCpu === 'number'
      ? {
          ...m,
          resource: {
            ...m['resource'],
            current: { ...m['resource'].current, averageUtilization: currentCpu },
          },
        }
      : m,
  );
  if (typeof currentCpu === 'number' && !currentMetrics.some((m) => m['resource']?.name === 'cpu'))
    currentMetrics.unshift({
      type: 'Resource',
      resource: { name: 'cpu', current: { averageUtilization: currentCpu } },
    });
  const metadata = { ...o['metadata'] };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      ...sharedSpec(spec),
      ...(metrics.length ? { metrics } : {}),
      ...(behavior !== undefined ? { behavior } : {}),
    },
    ...(status
      ? {
          status: {
            ...sharedStatus(status),
            ...(currentMetrics.length ? { currentMetrics } : {}),
            ...(conditions !== undefined ? { conditions } : {}),
          },
        }
      : {}),
  };
}

/**
 * HorizontalPodAutoscalers, stored as autoscaling/v2 (status is kept by the controller; scaling decisions are the
 * engine's) and also served as autoscaling/v1 over the same objects. v2 is listed first, so discovery prefers it,
 * as kube-apiserver does.
 */
export const AUTOSCALING_RESOURCES: ResourceType[] = [
  {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    tracksGeneration: true,
    subresources: ['status'],
    defaults: (o) => {
      ((o['spec'] ??= {}) as Record<string, unknown>)['minReplicas'] ??= 1;
    },
    validate: (o) => validateHpa(o),
  },
  {
    group: 'autoscaling',
    version: 'v1',
    plural: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    tracksGeneration: true,
    subresources: ['status'],
    conversion: {
      storageKey: 'autoscaling/horizontalpodautoscalers',
      fromStorage: v2ToV1,
      toStorage: v1ToV2,
    },
    defaults: (o) => {
      ((o['spec'] ??= {}) as Record<string, unknown>)['minReplicas'] ??= 1;
    },
    validate: (o) => {
      const causes = validateHpa(o);
      const target = get(o, 'spec.targetCPUUtilizationPercentage');
      if (target !== undefined && (typeof target !== 'number' || !Number.isInteger(target) || target < 1))
        causes.push(
          cause(
            'spec.targetCPUUtilizationPercentage',
            `Invalid value: ${JSON.stringify(target)}: must be greater than or equal to 1`,
          ),
        );
      return causes;
    },
  },
];
