import { describe, expect, it } from 'vitest';
import {
  NOW,
  deployment,
  event,
  pod,
  replicaSet,
  rsPod,
  workers,
} from '../../../test/fixtures/repair/kubeObjects.js';
import { evictedDetector } from './evictedDetector.js';

describe('evictedDetector', () => {
  it('groups Evicted pods by workload and names the node that evicted them', () => {
    const dep = deployment('media', 'resizer');
    const rs = replicaSet(dep, 'h1', { revision: 1, replicas: 3, available: 3 });
    const evicted = ['e1', 'e2'].map((s) =>
      rsPod(rs, s, { node: 'worker-2', phase: 'Failed', reason: 'Evicted', createdAgo: 7200 }),
    );
    const snapshot = {
      nodes: workers(),
      deployments: [dep],
      replicaSets: [rs],
      pods: [rsPod(rs, 'r1'), ...evicted],
      events: [
        event(
          { kind: 'Pod', namespace: 'media', name: 'resizer-h1-e1' },
          'Evicted',
          'The node was low on resource: memory.',
          { firstAgo: 2400 },
        ),
      ],
    };
    const [finding, ...rest] = evictedDetector.detect(snapshot, NOW);
    expect(rest).toHaveLength(0);
    expect(finding!.type).toBe('Evicted');
    expect(finding!.object.name).toBe('resizer');
    expect(finding!.details.pods).toEqual(['resizer-h1-e1', 'resizer-h1-e2']);
    expect(finding!.details.node).toBe('worker-2');
  });

  it('ignores pods that failed for other reasons and Succeeded pods', () => {
    const snapshot = {
      pods: [
        pod('batch', 'done', { phase: 'Succeeded' }),
        pod('batch', 'failed', { phase: 'Failed', reason: 'Error' }),
      ],
    };
    expect(evictedDetector.detect(snapshot, NOW)).toHaveLength(0);
  });
});
