import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../types.js';
import { NOW, event, rollout, rsPod } from '../../../test/fixtures/repair/kubeObjects.js';
import { configErrorDetector, missingReference } from './configErrorDetector.js';

describe('configErrorDetector', () => {
  it('finds CreateContainerConfigError and names the missing ConfigMap', () => {
    const snapshot = rollout('pricing', 'tariff', (rs, s) =>
      rsPod(rs, s, {
        state: { waiting: 'CreateContainerConfigError', message: 'configmap "tariff-rules-v2" not found' },
        createdAgo: 2800,
      }),
    );
    const [finding] = configErrorDetector.detect(snapshot, NOW);
    expect(finding!.type).toBe('CreateContainerConfigError');
    expect(finding!.object.name).toBe('tariff');
    expect(finding!.details.missing).toBe('configmap tariff-rules-v2');
  });

  it('reads the kubelet messages for missing Secrets and keys', () => {
    expect(missingReference(['secret "db-creds" not found'])).toBe('secret db-creds');
    expect(missingReference(["couldn't find key PASSWORD in Secret shop/db-creds"])).toBe(
      'key PASSWORD in Secret shop/db-creds',
    );
    expect(missingReference(['something else'])).toBeUndefined();
  });

  it('finds a Secret volume that does not exist (ContainerCreating with FailedMount), not a slow mount', () => {
    const mounting = rollout('pricing', 'tariff', (rs, s) =>
      rsPod(rs, s, { state: { waiting: 'ContainerCreating' }, createdAgo: 900 }),
    );
    expect(configErrorDetector.detect(mounting, NOW)).toHaveLength(0);
    const failing: ClusterSnapshot = {
      ...mounting,
      events: [
        event(
          { kind: 'Pod', namespace: 'pricing', name: 'tariff-newhash-b1' },
          'FailedMount',
          'MountVolume.SetUp failed for volume "certs" : secret "tariff-tls" not found',
          { count: 12 },
        ),
      ],
    };
    const [finding] = configErrorDetector.detect(failing, NOW);
    expect(finding!.details).toMatchObject({ reason: 'ContainerCreating', missing: 'secret tariff-tls' });
  });

  it('does not report a running pod', () => {
    expect(
      configErrorDetector.detect(
        rollout('pricing', 'tariff', (rs, s) => rsPod(rs, s)),
        NOW,
      ),
    ).toHaveLength(0);
  });
});
