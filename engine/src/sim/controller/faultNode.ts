import type { ObjectStore } from '../apiserver/ObjectStore.js';

/**
 * The node a node-not-ready fault that names none takes down: the one the service's first pod (by name) is placed
 * on; undefined while none of its pods is placed. The controller applies it to a fault recorded without a node, the
 * demo's fault route at injection (so its answer names the node).
 */
export function nodeOfFirstPod(store: ObjectStore, namespace: string, service: string): string | undefined {
  const placed = store
    .view('/pods', namespace)
    .filter((p) => p.metadata.labels?.['app'] === service && (p['spec'] as { nodeName?: string }).nodeName)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return (placed[0]?.['spec'] as { nodeName?: string } | undefined)?.nodeName;
}
