import type { KubeObject } from '../apiserver/KubeObject.js';
import type { ObjectStore } from '../apiserver/ObjectStore.js';

interface KeyRef {
  name?: string;
  key?: string;
  optional?: boolean;
}

interface ContainerRefs {
  env?: Array<{ valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef } }>;
  envFrom?: Array<{ configMapRef?: KeyRef; secretRef?: KeyRef }>;
}

/**
 * What the kubelet says when a container refers to a ConfigMap, Secret or key that does not exist (and is not
 * `optional`): the message of CreateContainerConfigError, or undefined when every reference resolves. Volumes are
 * left out: a missing volume source keeps the pod in ContainerCreating (FailedMount), another finding.
 */
export function missingReference(
  store: ObjectStore,
  namespace: string,
  container: ContainerRefs,
): string | undefined {
  const lookup = (kind: 'ConfigMap' | 'Secret', ref: KeyRef): string | undefined => {
    if (!ref.name || ref.optional) return undefined;
    const obj = store.get(kind === 'ConfigMap' ? '/configmaps' : '/secrets', namespace, ref.name);
    if (!obj) return `${kind.toLowerCase()} "${ref.name}" not found`;
    if (ref.key !== undefined && !hasKey(obj, ref.key))
      return `couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}`;
    return undefined;
  };
  for (const from of container.envFrom ?? []) {
    const problem =
      (from.configMapRef && lookup('ConfigMap', from.configMapRef)) ||
      (from.secretRef && lookup('Secret', from.secretRef));
    if (problem) return problem;
  }
  for (const env of container.env ?? []) {
    const v = env.valueFrom;
    const problem =
      (v?.configMapKeyRef && lookup('ConfigMap', v.configMapKeyRef)) ||
      (v?.secretKeyRef && lookup('Secret', v.secretKeyRef));
    if (problem) return problem;
  }
  return undefined;
}

function hasKey(obj: KubeObject, key: string): boolean {
  const data = (obj['data'] ?? {}) as Record<string, unknown>;
  const binary = (obj['binaryData'] ?? {}) as Record<string, unknown>;
  const stringData = (obj['stringData'] ?? {}) as Record<string, unknown>;
  return key in data || key in binary || key in stringData;
}
