import type {
  V1ControllerRevision,
  V1Deployment,
  V1Pod,
  V1PodTemplateSpec,
  V1ReplicaSet,
} from '@kubernetes/client-node';
import { z } from 'zod';
import type { ClusterSnapshot } from '../types.js';
import { defineAction, denied } from './RepairAction.js';
import { findObject, kubeRef, resourceVersionOf } from './snapshotLookup.js';

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * `kubectl rollout undo`: replace the workload's pod template with the one of a recorded revision (a Deployment's
 * ReplicaSet without `pod-template-hash`, a StatefulSet's or DaemonSet's ControllerRevision). The reverse puts the
 * current template back. For a StatefulSet the pods of the failing revision that are not Ready are also deleted: with
 * the default OrderedReady policy the controller waits for such a pod forever, so reverting the template alone does
 * not recover (the "forced rollback" step of the StatefulSet documentation).
 */
export const rollback = defineAction({
  type: 'rollback',
  targetKinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  params: z.object({ toRevision: z.number().int().positive().optional() }),
  plan(target, params, snapshot) {
    const workload = findObject<V1Deployment>(snapshot, target);
    const history =
      target.kind === 'Deployment'
        ? deploymentHistory(snapshot, workload)
        : controllerHistory(snapshot, workload);
    const { current, revisions } = history;
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
    const currentTemplate = workload.spec?.template ?? {};
    const stuck = target.kind === 'StatefulSet' ? stuckPods(snapshot, workload, history.currentName) : [];
    return {
      requests: [
        {
          verb: 'patch',
          ref,
          patchType: 'json',
          body: replace(chosen.template),
          resourceVersion: resourceVersionOf(workload),
          description: `roll ${target.namespace}/${target.name} back from revision ${current} to ${chosen.revision}`,
        },
        ...stuck.map((p) => ({
          verb: 'delete' as const,
          ref: kubeRef({ kind: 'Pod', namespace: target.namespace, name: p.metadata?.name ?? '' }),
          uid: p.metadata?.uid,
          gracePeriodSeconds: 0,
          description: `delete pod ${target.namespace}/${p.metadata?.name} of the failing revision so the StatefulSet recreates it`,
        })),
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
        ...(stuck.length ? { deletedPods: stuck.map((p) => p.metadata?.name) } : {}),
      },
    };
  },
});

interface Revision {
  revision: number;
  template: V1PodTemplateSpec;
}

interface History {
  current: number;
  /** The current revision's ReplicaSet or ControllerRevision name. */
  currentName?: string;
  revisions: Revision[];
}

/** The Deployment's ReplicaSets (by owner uid) as revisions, oldest first; current from its revision annotation. */
function deploymentHistory(snapshot: ClusterSnapshot, deployment: V1Deployment): History {
  const uid = deployment.metadata?.uid;
  const revisions = (snapshot.replicaSets ?? [])
    .filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o) => o.uid === uid))
    .map((rs: V1ReplicaSet) => ({
      revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0),
      template: withoutHash(rs.spec?.template ?? {}),
    }))
    .filter((r) => r.revision > 0)
    .sort((a, b) => a.revision - b.revision);
  return { current: Number(deployment.metadata?.annotations?.[REVISION] ?? 0), revisions };
}

/**
 * A StatefulSet's or DaemonSet's ControllerRevisions, oldest first. Each holds the template as the strategic-merge
 * patch `{spec: {template: {..., $patch: replace}}}` kubectl applies; current is the newest revision.
 */
function controllerHistory(snapshot: ClusterSnapshot, workload: V1Deployment): History {
  const uid = workload.metadata?.uid;
  const owned = (snapshot.controllerRevisions ?? [])
    .filter((cr) => (cr.metadata?.ownerReferences ?? []).some((o) => o.uid === uid))
    .sort((a, b) => a.revision - b.revision);
  const revisions = owned.map((cr: V1ControllerRevision) => {
    const template = structuredClone(
      ((cr.data ?? {}) as { spec?: { template?: V1PodTemplateSpec & { $patch?: string } } }).spec?.template ??
        {},
    );
    delete template.$patch;
    return { revision: cr.revision, template };
  });
  const newest = owned[owned.length - 1];
  return { current: newest?.revision ?? 0, currentName: newest?.metadata?.name, revisions };
}

/** A StatefulSet's pods of the given revision that are not Ready. */
function stuckPods(snapshot: ClusterSnapshot, sts: V1Deployment, revisionName: string | undefined): V1Pod[] {
  if (!revisionName) return [];
  return (snapshot.pods ?? []).filter(
    (p) =>
      (p.metadata?.ownerReferences ?? []).some((o) => o.uid === sts.metadata?.uid && o.controller) &&
      p.metadata?.labels?.['controller-revision-hash'] === revisionName &&
      !p.metadata?.deletionTimestamp &&
      !(p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}

function withoutHash(template: V1PodTemplateSpec): V1PodTemplateSpec {
  const copy = structuredClone(template);
  if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
  return copy;
}

const imagesOf = (template: V1PodTemplateSpec): string[] =>
  (template.spec?.containers ?? []).map((c) => c.image ?? '');
