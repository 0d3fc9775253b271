import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { z } from 'zod';
import type { ClusterSnapshot } from '../types.js';
import { defineAction, denied } from './RepairAction.js';
import { findObject, kubeRef, resourceVersionOf } from './snapshotLookup.js';

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * `kubectl rollout undo`: replace the Deployment's pod template with the one of a recorded revision (its
 * ReplicaSet's, without `pod-template-hash`). The reverse puts the current template back.
 */
export const rollback = defineAction({
  type: 'rollback',
  targetKinds: ['Deployment'],
  params: z.object({ toRevision: z.number().int().positive().optional() }),
  plan(target, params, snapshot) {
    const deployment = findObject<V1Deployment>(snapshot, target);
    const current = Number(deployment.metadata?.annotations?.[REVISION] ?? 0);
    const revisions = revisionsOf(snapshot, deployment);
    const chosen =
      params.toRevision !== undefined
        ? revisions.find((r) => r.revision === params.toRevision)
        : revisions.filter((r) => r.revision < current).pop();
    if (!chosen) {
      throw denied(
        params.toRevision !== undefined
          ? `revision ${params.toRevision} of ${target.namespace}/${target.name} is not recorded`
          : `${target.namespace}/${target.name} has no revision before ${current} to roll back to`,
      );
    }
    if (chosen.revision === current)
      throw denied(`${target.namespace}/${target.name} already runs revision ${current}`);
    const ref = kubeRef(target);
    const replace = (value: V1PodTemplateSpec) => [{ op: 'replace', path: '/spec/template', value }];
    const currentTemplate = deployment.spec?.template ?? {};
    return {
      requests: [
        {
          verb: 'patch',
          ref,
          patchType: 'json',
          body: replace(chosen.template),
          resourceVersion: resourceVersionOf(deployment),
          description: `roll ${target.namespace}/${target.name} back from revision ${current} to ${chosen.revision}`,
        },
      ],
      reverse: [
        {
          verb: 'patch',
          ref,
          patchType: 'json',
          body: replace(currentTemplate),
          description: `restore revision ${current}'s template on ${target.namespace}/${target.name}`,
        },
      ],
      reversible: true,
      summary: `roll back ${target.namespace}/${target.name} to revision ${chosen.revision} (${imagesOf(chosen.template).join(', ')})`,
      details: {
        fromRevision: current,
        toRevision: chosen.revision,
        fromImages: imagesOf(currentTemplate),
        toImages: imagesOf(chosen.template),
      },
    };
  },
});

interface Revision {
  revision: number;
  template: V1PodTemplateSpec;
}

/** The Deployment's ReplicaSets (by owner uid) as revisions, oldest first. */
function revisionsOf(snapshot: ClusterSnapshot, deployment: V1Deployment): Revision[] {
  const uid = deployment.metadata?.uid;
  return (snapshot.replicaSets ?? [])
    .filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o) => o.uid === uid))
    .map((rs: V1ReplicaSet) => ({
      revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0),
      template: withoutHash(rs.spec?.template ?? {}),
    }))
    .filter((r) => r.revision > 0)
    .sort((a, b) => a.revision - b.revision);
}

function withoutHash(template: V1PodTemplateSpec): V1PodTemplateSpec {
  const copy = structuredClone(template);
  if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
  return copy;
}

const imagesOf = (template: V1PodTemplateSpec): string[] =>
  (template.spec?.containers ?? []).map((c) => c.image ?? '');
