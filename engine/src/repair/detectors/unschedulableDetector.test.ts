import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../types.js';
import {
  NOW,
  deployment,
  event,
  replicaSet,
  rsPod,
  workers,
} from '../../../test/fixtures/repair/kubeObjects.js';
import { unschedulableDetector } from './unschedulableDetector.js';

function scaledUp(pendingAgo: number): ClusterSnapshot {
  const dep = deployment('ml', 'embed', { replicas: 5, available: 3 });
  const rs = replicaSet(dep, 'h1', { revision: 1, replicas: 5, available: 3 });
  const msg = '0/3 nodes are available: 3 Insufficient cpu.';
  const pending = ['p4', 'p5'].map((s) => rsPod(rs, s, { unschedulable: msg, createdAgo: pendingAgo }));
  return {
    nodes: workers(),
    deployments: [dep],
    replicaSets: [rs],
    pods: [...['p1', 'p2', 'p3'].map((s) => rsPod(rs, s)), ...pending],
  };
}

describe('unschedulableDetector', () => {
  it('finds pods no node can take, with the scheduler message', () => {
    const [finding] = unschedulableDetector.detect(scaledUp(1300), NOW);
    expect(finding!.type).toBe('Unschedulable');
    expect(finding!.object.name).toBe('embed');
    expect(finding!.details.pods).toEqual(['embed-h1-p4', 'embed-h1-p5']);
    expect(finding!.details.reason).toContain('Insufficient cpu');
  });

  it('waits two minutes, and leaves pods alone that triggered a cluster-autoscaler scale-up', () => {
    expect(unschedulableDetector.detect(scaledUp(30), NOW)).toHaveLength(0);
    const snapshot = scaledUp(300);
    snapshot.events = ['p4', 'p5'].map((s) =>
      event(
        { kind: 'Pod', namespace: 'ml', name: `embed-h1-${s}` },
        'TriggeredScaleUp',
        'pod triggered scale-up',
        { type: 'Normal', lastAgo: 200 },
      ),
    );
    expect(unschedulableDetector.detect(snapshot, NOW)).toHaveLength(0);
  });
});
