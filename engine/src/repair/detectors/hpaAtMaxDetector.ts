import type { V2HorizontalPodAutoscaler, V2MetricStatus, V2MetricSpec } from '@kubernetes/client-node';
import type { Detector, Finding } from '../types.js';
import { indexSnapshot, refOf, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { parseQuantity } from '../snapshot/quantity.js';
import { toMillis } from '../snapshot/time.js';
import { createFinding } from './createFinding.js';

/**
 * An HPA pinned at maxReplicas while its metrics still ask for more: `ScalingLimited=True` with `TooManyReplicas`
 * for ten minutes (the HPA's own five-minute scale-down window, twice) and current utilisation above target.
 * An HPA at max only briefly, or at max with low load, or at its *minimum* (`TooFewReplicas`) is not a finding;
 * nor is one with min = max, which an operator pinned on purpose.
 */
const MIN_SECONDS = 600;

type Target = { averageUtilization?: number; averageValue?: string; value?: string };
type Current = { averageUtilization?: number; averageValue?: string; value?: string };

function pick(m: V2MetricSpec | V2MetricStatus): { name: string; target?: Target; current?: Current } {
  const part = (m.resource ?? m.containerResource ?? m.pods ?? m.object ?? m.external) as
    { name?: string; metric?: { name?: string }; target?: Target; current?: Current } | undefined;
  return {
    name: `${m.type}:${part?.name ?? part?.metric?.name ?? ''}`,
    target: part?.target,
    current: part?.current,
  };
}

function ratio(target: Target | undefined, current: Current | undefined): number | undefined {
  if (!target || !current) return undefined;
  if (target.averageUtilization && current.averageUtilization !== undefined)
    return current.averageUtilization / target.averageUtilization;
  const t = parseQuantity(target.averageValue ?? target.value);
  const c = parseQuantity(current.averageValue ?? current.value);
  return t && c !== undefined ? c / t : undefined;
}

/** The highest current/target ratio over the HPA's metrics (1 = exactly at target). */
export function utilisationRatio(hpa: V2HorizontalPodAutoscaler): number | undefined {
  const targets = new Map((hpa.spec?.metrics ?? []).map((m) => [pick(m).name, pick(m).target]));
  const ratios = (hpa.status?.currentMetrics ?? [])
    .map((m) => ratio(targets.get(pick(m).name), pick(m).current))
    .filter((r): r is number => r !== undefined);
  return ratios.length > 0 ? Math.max(...ratios) : undefined;
}

function findingFor(index: SnapshotIndex, hpa: V2HorizontalPodAutoscaler, now: Date): Finding | undefined {
  const max = hpa.spec?.maxReplicas ?? 0;
  const min = hpa.spec?.minReplicas ?? 1;
  const current = hpa.status?.currentReplicas ?? 0;
  if (max <= min || current < max) return undefined;
  const limited = hpa.status?.conditions?.find((c) => c.type === 'ScalingLimited');
  if (limited?.status !== 'True' || limited.reason !== 'TooManyReplicas') return undefined;
  const sinceMs = toMillis(limited.lastTransitionTime) ?? now.getTime();
  const utilisation = utilisationRatio(hpa);
  if (now.getTime() - sinceMs < MIN_SECONDS * 1000 || utilisation === undefined || utilisation <= 1)
    return undefined;
  const object = refOf('HorizontalPodAutoscaler', hpa);
  const target = hpa.spec!.scaleTargetRef;
  return createFinding({
    type: 'HpaAtMax',
    object,
    owners: [{ kind: target.kind, namespace: object.namespace, name: target.name }],
    statuses: [
      `${object.name}: ${current}/${max} replicas, utilisation ${Math.round(utilisation * 100)}% of target; ${limited.message ?? ''}`.trim(),
    ],
    events: index.eventsFor(object).filter((e) => e.reason === 'SuccessfulRescale' || e.type === 'Warning'),
    sinceMs,
    now,
    severity: 'warning',
    message: `HPA ${object.namespace}/${object.name} pinned at maxReplicas ${max} at ${Math.round(utilisation * 100)}% of target`,
    details: {
      hpa: { minReplicas: min, maxReplicas: max, currentReplicas: current, utilisationRatio: utilisation },
    },
  });
}

export const hpaAtMaxDetector: Detector = {
  name: 'hpa-at-max',
  types: ['HpaAtMax'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    return (snapshot.horizontalPodAutoscalers ?? []).flatMap((hpa) => findingFor(index, hpa, now) ?? []);
  },
};
