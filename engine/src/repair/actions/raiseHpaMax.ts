import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineAction, denied } from './RepairAction.js';
import { findObject, kubeRef, resourceVersionOf } from './snapshotLookup.js';

/** Raises an HPA's maxReplicas by a factor (at most 2x), never above the cap. Nothing lowers minReplicas or scales down. */
export const raiseHpaMax = defineAction({
  type: 'raise-hpa-max',
  targetKinds: ['HorizontalPodAutoscaler'],
  params: z.object({
    factor: z.number().gt(1).max(2, 'must be at most 2').default(1.5),
    cap: z.number().int().min(1).max(500).default(50),
  }),
  plan(target, params, snapshot) {
    const hpa = findObject<V2HorizontalPodAutoscaler>(snapshot, target);
    const from = hpa.spec?.maxReplicas ?? 1;
    const to = Math.min(params.cap, Math.ceil(from * params.factor));
    if (to <= from)
      throw denied(`HPA ${target.namespace}/${target.name} is at its cap (${from} ≥ ${params.cap})`);
    const ref = kubeRef(target);
    const patchOf = (maxReplicas: number) => ({ spec: { maxReplicas } });
    return {
      requests: [
        {
          verb: 'patch',
          ref,
          patchType: 'merge',
          body: patchOf(to),
          resourceVersion: resourceVersionOf(hpa),
          description: `raise maxReplicas of HPA ${target.namespace}/${target.name} from ${from} to ${to}`,
        },
      ],
      reverse: [
        {
          verb: 'patch',
          ref,
          patchType: 'merge',
          body: patchOf(from),
          description: `restore maxReplicas ${from}`,
        },
      ],
      reversible: true,
      summary: `raise HPA ${target.namespace}/${target.name} max ${from} → ${to}`,
      details: { fromMaxReplicas: from, toMaxReplicas: to },
    };
  },
});
