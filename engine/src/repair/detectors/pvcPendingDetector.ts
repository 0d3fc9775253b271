import type { V1PersistentVolumeClaim, V1StorageClass } from '@kubernetes/client-node';
import type { Detector, Finding } from '../types.js';
import { indexSnapshot, refOf, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { isTerminal } from '../snapshot/podStatus.js';
import { toMillis } from '../snapshot/time.js';
import { createFinding } from './createFinding.js';

/**
 * Claims Pending for five minutes. A claim of a `WaitForFirstConsumer` class that no pod uses yet is Pending by
 * design and not a finding; a claim naming a class that does not exist is one at once.
 */
const MIN_SECONDS = 300;
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

function storageClassOf(snapshot: { storageClasses?: V1StorageClass[] }, pvc: V1PersistentVolumeClaim) {
  const name = pvc.spec?.storageClassName;
  if (name === '') return { name: '', cls: undefined };
  const classes = snapshot.storageClasses ?? [];
  const cls = name
    ? classes.find((c) => c.metadata?.name === name)
    : classes.find((c) => c.metadata?.annotations?.[DEFAULT_CLASS] === 'true');
  return { name: name ?? cls?.metadata?.name, cls };
}

function usedByPod(index: SnapshotIndex, pvc: V1PersistentVolumeClaim): boolean {
  const pods = index.podsByNamespace.get(pvc.metadata?.namespace ?? '') ?? [];
  return pods.some(
    (p) =>
      !isTerminal(p) &&
      (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata?.name),
  );
}

function findingFor(index: SnapshotIndex, pvc: V1PersistentVolumeClaim, now: Date): Finding | undefined {
  if (pvc.status?.phase !== 'Pending' || pvc.metadata?.deletionTimestamp) return undefined;
  const { name, cls } = storageClassOf(index.snapshot, pvc);
  const missingClass = Boolean(name) && !cls && (index.snapshot.storageClasses?.length ?? 0) > 0;
  const used = usedByPod(index, pvc);
  if (!missingClass && cls?.volumeBindingMode === 'WaitForFirstConsumer' && !used) return undefined;
  const sinceMs = toMillis(pvc.metadata?.creationTimestamp) ?? now.getTime();
  if (!missingClass && now.getTime() - sinceMs < MIN_SECONDS * 1000) return undefined;
  const object = refOf('PersistentVolumeClaim', pvc);
  const events = index.eventsFor(object);
  const reason = missingClass
    ? `storageclass "${name}" not found`
    : (events.find((e) => e.type === 'Warning')?.message ?? 'Pending');
  return createFinding({
    type: 'PvcPending',
    object,
    owners: [],
    statuses: [
      `${object.name}: Pending (class ${name ?? 'none'}${used ? ', used by a pod' : ''}): ${reason}`,
    ],
    events,
    sinceMs,
    now,
    severity: used ? 'critical' : 'warning',
    message: `PersistentVolumeClaim ${object.namespace}/${object.name} Pending: ${reason}`,
    details: { reason, storageClass: name },
  });
}

export const pvcPendingDetector: Detector = {
  name: 'pvc-pending',
  types: ['PvcPending'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    return (snapshot.persistentVolumeClaims ?? []).flatMap((pvc) => findingFor(index, pvc, now) ?? []);
  },
};
