import type { V1Deployment } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineAction } from './RepairAction.js';
import { WORKLOAD_KINDS, findObject, kubeRef, resourceVersionOf } from './snapshotLookup.js';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** `kubectl rollout restart`: a new pod-template annotation makes the controller replace every pod, one step at a time. */
export const rolloutRestart = defineAction({
  type: 'rollout-restart',
  targetKinds: WORKLOAD_KINDS,
  params: z.object({}),
  plan(target, _params, snapshot) {
    const workload = findObject<V1Deployment>(snapshot, target);
    const previous = workload.spec?.template?.metadata?.annotations?.[RESTARTED_AT] ?? null;
    const patchOf = (value: string | null) => ({
      spec: { template: { metadata: { annotations: { [RESTARTED_AT]: value } } } },
    });
    const now = new Date().toISOString();
    const ref = kubeRef(target);
    return {
      requests: [
        {
          verb: 'patch',
          ref,
          patchType: 'strategic',
          body: patchOf(now),
          resourceVersion: resourceVersionOf(workload),
          description: `restart every pod of ${target.kind} ${target.namespace}/${target.name}`,
        },
      ],
      reverse: [
        {
          verb: 'patch',
          ref,
          patchType: 'strategic',
          body: patchOf(previous),
          description: `put the pod template of ${target.namespace}/${target.name} back as it was`,
        },
      ],
      reversible: true,
      summary: `rollout restart ${target.kind} ${target.namespace}/${target.name}`,
      details: { restartedAt: now, previousRestartedAt: previous },
    };
  },
});
