import { describe, expect, it } from 'vitest';
import { NOW, rollout, rsPod } from '../../../test/fixtures/repair/kubeObjects.js';
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

  it('does not report a running pod', () => {
    expect(
      configErrorDetector.detect(
        rollout('pricing', 'tariff', (rs, s) => rsPod(rs, s)),
        NOW,
      ),
    ).toHaveLength(0);
  });
});
