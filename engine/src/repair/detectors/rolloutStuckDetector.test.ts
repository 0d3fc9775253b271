import { describe, expect, it } from 'vitest';
import type { V1ControllerRevision, V1StatefulSet } from '@kubernetes/client-node';
import type { ClusterSnapshot } from '../types.js';
import { NOW, ago, pod, rollout, rsPod, workers } from '../../../test/fixtures/repair/kubeObjects.js';
import { rolloutStuckDetector } from './rolloutStuckDetector.js';

function statefulSet(updatedPodAgo: number, updatedReady: boolean): ClusterSnapshot {
  const sts = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'cache', namespace: 'db', uid: 'u-sts' },
    spec: { replicas: 3, template: {} },
    status: { currentRevision: 'cache-old', updateRevision: 'cache-new' },
  } as unknown as V1StatefulSet;
  const cr = (name: string, revision: number): V1ControllerRevision =>
    ({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: 'db',
        creationTimestamp: ago(3000),
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'cache', uid: 'u-sts', controller: true },
        ],
      },
      revision,
    }) as unknown as V1ControllerRevision;
  const member = (i: number, rev: string, o: Parameters<typeof pod>[2] = {}) =>
    pod('db', `cache-${i}`, {
      node: 'worker-1',
      owner: { kind: 'StatefulSet', name: 'cache' },
      labels: { 'controller-revision-hash': rev },
      ...o,
    });
  return {
    nodes: workers(),
    statefulSets: [sts],
    controllerRevisions: [cr('cache-old', 1), cr('cache-new', 2)],
    pods: [
      member(0, 'cache-old'),
      member(1, 'cache-old'),
      member(2, 'cache-new', {
        createdAgo: updatedPodAgo,
        state: { running: true, ready: updatedReady, startedAgo: updatedPodAgo },
      }),
    ],
  };
}

describe('rolloutStuckDetector', () => {
  it('reports a Deployment past its progress deadline', () => {
    const [finding] = rolloutStuckDetector.detect(
      rollout('shop', 'api', (rs, s) => rsPod(rs, s, { state: { waiting: 'CrashLoopBackOff' } })),
      NOW,
    );
    expect(finding!.type).toBe('RolloutStuck');
    expect(finding!.object).toMatchObject({ kind: 'Deployment', name: 'api' });
    expect(finding!.heldSeconds).toBe(1200);
  });

  it('ignores a rollout still within its deadline', () => {
    expect(
      rolloutStuckDetector.detect(
        rollout('shop', 'api', (rs, s) => rsPod(rs, s), { deadlineExceeded: false }),
        NOW,
      ),
    ).toHaveLength(0);
  });

  it('applies the default deadline to a StatefulSet whose updated pod never becomes Ready', () => {
    const [finding] = rolloutStuckDetector.detect(statefulSet(1200, false), NOW);
    expect(finding!.object).toMatchObject({ kind: 'StatefulSet', name: 'cache' });
    expect(finding!.details.pods).toEqual(['cache-2']);
    expect(rolloutStuckDetector.detect(statefulSet(120, false), NOW)).toHaveLength(0);
    expect(rolloutStuckDetector.detect(statefulSet(1200, true), NOW)).toHaveLength(0);
  });
});
