import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import { DEPLOYMENTS, HPAS, saveStatusIfChanged, type ControllerContext } from './ControllerContext.js';

/** CPU a cpu-hog fault asks of an autoscaled service: this many times the replicas its HPA allowed when it began. */
const HOG_DEMAND = 1.3;

/**
 * Keeps HorizontalPodAutoscaler status in step with its target. Without load it does not scale (the simulation has no
 * metrics pipeline; scaling decisions are the forecaster's). Under a cpu-hog fault on the target it behaves as the
 * real controller at its limit: it scales up to maxReplicas, reports utilisation above target, and ScalingLimited
 * (TooManyReplicas) while the demand exceeds what maxReplicas gives; a raised maximum lets it catch up.
 */
export class HpaController {
  /** Demand in replicas at the target utilisation, per `namespace/hpa`, fixed when the load began. */
  private readonly demand = new Map<string, number>();

  reconcile(ctx: ControllerContext): void {
    for (const hpa of ctx.store.view(HPAS)) {
      const spec = hpa['spec'] as {
        scaleTargetRef: { kind: string; name: string };
        minReplicas?: number;
        maxReplicas: number;
      };
      const target =
        spec.scaleTargetRef.kind === 'Deployment'
          ? ctx.store.get(DEPLOYMENTS, hpa.metadata.namespace, spec.scaleTargetRef.name)
          : undefined;
      const current = Number((target?.['status'] as { replicas?: number } | undefined)?.replicas ?? 0);
      const key = `${hpa.metadata.namespace}/${hpa.metadata.name}`;
      const loaded =
        Boolean(target) && ctx.faults.has('cpu-hog', hpa.metadata.namespace!, spec.scaleTargetRef.name);
      if (!loaded) this.demand.delete(key);
      else if (!this.demand.has(key)) this.demand.set(key, Math.ceil(spec.maxReplicas * HOG_DEMAND));
      const need = this.demand.get(key);
      const wanted = need ?? Number((target?.['spec'] as { replicas?: number } | undefined)?.replicas ?? 0);
      const desired = Math.min(spec.maxReplicas, Math.max(spec.minReplicas ?? 1, wanted));
      if (need !== undefined && target) this.scale(ctx, hpa, target, desired);
      const time = ctx.now().toISOString();
      const previous =
        (hpa['status'] as { conditions?: Array<Record<string, string>> } | undefined)?.conditions ?? [];
      const cond = (type: string, status: string, reason: string, message: string) => {
        const old = previous.find((c) => c['type'] === type);
        return {
          type,
          status,
          reason,
          message,
          lastTransitionTime: old && old['status'] === status ? old['lastTransitionTime'] : time,
        };
      };
      const targetUtilisation = metricTarget(hpa);
      const limited = need !== undefined && need > spec.maxReplicas;
      const status = {
        observedGeneration: hpa.metadata.generation ?? 1,
        currentReplicas: current,
        desiredReplicas: desired,
        ...(need !== undefined && targetUtilisation && current > 0
          ? {
              currentMetrics: [
                {
                  type: 'Resource',
                  resource: {
                    name: 'cpu',
                    current: { averageUtilization: Math.round((targetUtilisation * need) / current) },
                  },
                },
              ],
            }
          : {}),
        conditions: target
          ? [
              cond('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size'),
              cond(
                'ScalingActive',
                'True',
                'ValidMetricFound',
                'the HPA was able to successfully calculate a replica count',
              ),
              limited
                ? cond(
                    'ScalingLimited',
                    'True',
                    'TooManyReplicas',
                    'the desired replica count is more than the maximum replica count',
                  )
                : cond(
                    'ScalingLimited',
                    'False',
                    'DesiredWithinRange',
                    'the desired count is within the acceptable range',
                  ),
            ]
          : [
              cond(
                'AbleToScale',
                'False',
                'FailedGetScale',
                `the HPA controller was unable to get the target's current scale: deployments.apps "${spec.scaleTargetRef.name}" not found`,
              ),
            ],
      };
      saveStatusIfChanged(ctx.store, HPAS, hpa, status);
    }
  }

  /** Sets the target's replicas as the real HPA does through the scale subresource, with a SuccessfulRescale event. */
  private scale(ctx: ControllerContext, hpa: KubeObject, target: KubeObject, replicas: number): void {
    const spec = target['spec'] as { replicas?: number };
    if (spec.replicas === replicas) return;
    const next = clone(target);
    (next['spec'] as { replicas?: number }).replicas = replicas;
    next.metadata.generation = (target.metadata.generation ?? 1) + 1;
    ctx.store.update(DEPLOYMENTS, next);
    ctx.events.record(
      hpa,
      'Normal',
      'SuccessfulRescale',
      `New size: ${replicas}; reason: cpu resource utilization (percentage of request) above target`,
      {
        component: 'horizontal-pod-autoscaler',
      },
    );
  }
}

function metricTarget(hpa: KubeObject): number | undefined {
  const metrics =
    (
      hpa['spec'] as {
        metrics?: Array<{ resource?: { name?: string; target?: { averageUtilization?: number } } }>;
      }
    ).metrics ?? [];
  return metrics.find((m) => m.resource?.name === 'cpu')?.resource?.target?.averageUtilization;
}
