import { describe, expect, it } from 'vitest';
import { NOW, rollout, rsPod } from '../../../test/fixtures/repair/kubeObjects.js';
import { imagePullDetector } from './imagePullDetector.js';

describe('imagePullDetector', () => {
  it.each(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName'])('finds %s on the workload', (reason) => {
    const snapshot = rollout('notify', 'push', (rs, s) =>
      rsPod(rs, s, { state: { waiting: reason, message: 'tag 3.8.0 not found' }, createdAgo: 900 }),
    );
    const [finding] = imagePullDetector.detect(snapshot, NOW);
    expect(finding!.type).toBe('ImagePullBackOff');
    expect(finding!.object).toMatchObject({ kind: 'Deployment', name: 'push' });
    expect(finding!.details.reason).toBe(reason);
    expect(finding!.heldSeconds).toBe(900);
  });

  it('gives a fresh pull failure a minute of grace', () => {
    const snapshot = rollout('notify', 'push', (rs, s) =>
      rsPod(rs, s, { state: { waiting: 'ErrImagePull' }, createdAgo: 20 }),
    );
    expect(imagePullDetector.detect(snapshot, NOW)).toHaveLength(0);
  });
});
