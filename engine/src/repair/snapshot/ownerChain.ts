import type { ObjectRef } from '../types.js';
import { controllerRef, refOf, type AnyObject, type SnapshotIndex } from './SnapshotIndex.js';

const CLUSTER_SCOPED = new Set(['Node', 'Namespace', 'StorageClass', 'PersistentVolume']);

/** Deep enough for Pod → Job → CronJob and Pod → ReplicaSet → Deployment, with room for an operator's CR on top. */
const MAX_DEPTH = 5;

/**
 * The controllers above an object, nearest first (Pod → ReplicaSet → Deployment, Pod → StatefulSet,
 * Pod → DaemonSet, Pod → Job → CronJob). An owner missing from the snapshot ends the chain with its reference.
 */
export function ownerChain(index: SnapshotIndex, obj: AnyObject): ObjectRef[] {
  const chain: ObjectRef[] = [];
  let current: AnyObject | undefined = obj;
  const namespace = obj.metadata?.namespace ?? '';
  while (current && chain.length < MAX_DEPTH) {
    const owner = controllerRef(current);
    if (!owner) break;
    // Static (mirror) pods are owned by their Node, which is cluster-scoped.
    const ownerNamespace = CLUSTER_SCOPED.has(owner.kind) ? '' : namespace;
    const next: AnyObject | undefined = index.get(owner.kind, ownerNamespace, owner.name);
    chain.push(
      next
        ? refOf(owner.kind, next)
        : { kind: owner.kind, namespace: ownerNamespace, name: owner.name, uid: owner.uid },
    );
    current = next;
  }
  return chain;
}

/** The object a person deals with: the top of the owner chain, or the object itself when nothing owns it. */
export function topOf(chain: ObjectRef[], self: ObjectRef): ObjectRef {
  return chain.length > 0 ? chain[chain.length - 1]! : self;
}
