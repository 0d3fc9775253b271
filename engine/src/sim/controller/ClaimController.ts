import { clone } from '../apiserver/KubeObject.js';
import type { ControllerContext } from './ControllerContext.js';

const CLAIMS = '/persistentvolumeclaims';
const CLASSES = 'storage.k8s.io/storageclasses';

/**
 * The volume provisioner, reduced: a claim whose StorageClass exists is Bound at once (a dynamic volume); one that
 * names a missing class stays Pending with the ProvisioningFailed event the real controller records.
 */
export class ClaimController {
  reconcile(ctx: ControllerContext): void {
    const classes = new Set(ctx.store.view(CLASSES).map((c) => c.metadata.name));
    for (const claim of ctx.store.view(CLAIMS)) {
      const phase = (claim['status'] as { phase?: string } | undefined)?.phase;
      if (phase === 'Bound') continue;
      const className = (claim['spec'] as { storageClassName?: string } | undefined)?.storageClassName;
      if (className && classes.has(className)) {
        const next = clone(claim);
        next['status'] = {
          phase: 'Bound',
          accessModes: (claim['spec'] as { accessModes?: string[] }).accessModes ?? ['ReadWriteOnce'],
        };
        (next['spec'] as Record<string, unknown>)['volumeName'] = `pvc-${claim.metadata.uid}`;
        ctx.store.update(CLAIMS, next);
        continue;
      }
      if (phase !== 'Pending') {
        const next = clone(claim);
        next['status'] = { phase: 'Pending' };
        ctx.store.update(CLAIMS, next);
      }
      const message = className
        ? `storageclass.storage.k8s.io "${className}" not found`
        : 'no persistent volumes available for this claim and no storage class is set';
      ctx.events.record(
        ctx.store.get(CLAIMS, claim.metadata.namespace, claim.metadata.name)!,
        'Warning',
        className ? 'ProvisioningFailed' : 'FailedBinding',
        message,
        {
          component: 'persistentvolume-controller',
        },
      );
    }
  }
}
