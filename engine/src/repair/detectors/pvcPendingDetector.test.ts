import { describe, expect, it } from 'vitest';
import type { V1PersistentVolumeClaim, V1StorageClass } from '@kubernetes/client-node';
import { NOW, ago, pod } from '../../../test/fixtures/repair/kubeObjects.js';
import { pvcPendingDetector } from './pvcPendingDetector.js';

const sc = (name: string, mode: string): V1StorageClass =>
  ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner: 'ebs.csi.aws.com',
    volumeBindingMode: mode,
  }) as unknown as V1StorageClass;
const pvc = (name: string, cls: string, createdAgo = 1800): V1PersistentVolumeClaim =>
  ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'db', creationTimestamp: ago(createdAgo) },
    spec: { storageClassName: cls },
    status: { phase: 'Pending' },
  }) as unknown as V1PersistentVolumeClaim;
const user = (claim: string) =>
  pod('db', 'pg-0', {
    unschedulable: 'pod has unbound immediate PersistentVolumeClaims',
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
  });

describe('pvcPendingDetector', () => {
  it('finds a claim of a class that does not exist', () => {
    const [finding] = pvcPendingDetector.detect(
      { storageClasses: [sc('gp3', 'Immediate')], persistentVolumeClaims: [pvc('data-pg-0', 'fast-ssd')] },
      NOW,
    );
    expect(finding!.type).toBe('PvcPending');
    expect(finding!.object).toMatchObject({
      kind: 'PersistentVolumeClaim',
      namespace: 'db',
      name: 'data-pg-0',
    });
    expect(finding!.details.reason).toContain('storageclass "fast-ssd" not found');
  });

  it('finds an Immediate claim pending for minutes, and a WaitForFirstConsumer claim a pod waits on', () => {
    expect(
      pvcPendingDetector.detect(
        { storageClasses: [sc('gp3', 'Immediate')], persistentVolumeClaims: [pvc('a', 'gp3')] },
        NOW,
      ),
    ).toHaveLength(1);
    const waited = {
      storageClasses: [sc('gp3', 'WaitForFirstConsumer')],
      persistentVolumeClaims: [pvc('a', 'gp3')],
      pods: [user('a')],
    };
    expect(pvcPendingDetector.detect(waited, NOW)).toHaveLength(1);
  });

  it('leaves an unused WaitForFirstConsumer claim and a fresh claim alone', () => {
    expect(
      pvcPendingDetector.detect(
        { storageClasses: [sc('gp3', 'WaitForFirstConsumer')], persistentVolumeClaims: [pvc('a', 'gp3')] },
        NOW,
      ),
    ).toHaveLength(0);
    expect(
      pvcPendingDetector.detect(
        { storageClasses: [sc('gp3', 'Immediate')], persistentVolumeClaims: [pvc('a', 'gp3', 30)] },
        NOW,
      ),
    ).toHaveLength(0);
  });
});
