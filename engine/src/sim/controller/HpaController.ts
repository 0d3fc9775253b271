import { DEPLOYMENTS, HPAS, saveStatusIfChanged, type ControllerContext } from './ControllerContext.js';

/**
 * Keeps HorizontalPodAutoscaler status in step with its target. It does not scale on its own: the simulation has no
 * metrics pipeline, and scaling decisions are what the engine's forecaster is for.
 */
export class HpaController {
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
      const wanted = Number((target?.['spec'] as { replicas?: number } | undefined)?.replicas ?? 0);
      const desired = Math.min(spec.maxReplicas, Math.max(spec.minReplicas ?? 1, wanted));
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
      const status = {
        observedGeneration: hpa.metadata.generation ?? 1,
        currentReplicas: current,
        desiredReplicas: desired,
        conditions: target
          ? [
              cond('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size'),
              cond(
                'ScalingActive',
                'True',
                'ValidMetricFound',
                'the HPA was able to successfully calculate a replica count',
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
}
