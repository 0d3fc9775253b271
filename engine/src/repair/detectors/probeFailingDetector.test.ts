import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../types.js';
import {
  NOW,
  deployment,
  event,
  node,
  replicaSet,
  rsPod,
  workers,
} from '../../../test/fixtures/repair/kubeObjects.js';
import { probeFailingDetector } from './probeFailingDetector.js';

function notReady(startedAgo: number, eventLastAgo = 20): ClusterSnapshot {
  const dep = deployment('docs', 'portal', { available: 2 });
  const rs = replicaSet(dep, 'h1', { revision: 1, replicas: 3, available: 2 });
  const sick = rsPod(rs, 'p3', { state: { running: true, ready: false, startedAgo } });
  return {
    nodes: workers(),
    deployments: [dep],
    replicaSets: [rs],
    pods: [rsPod(rs, 'p1'), rsPod(rs, 'p2'), sick],
    events: [
      event(
        { kind: 'Pod', namespace: 'docs', name: 'portal-h1-p3' },
        'Unhealthy',
        'Readiness probe failed: HTTP probe failed with statuscode: 503',
        { count: 120, firstAgo: startedAgo, lastAgo: eventLastAgo },
      ),
    ],
  };
}

describe('probeFailingDetector', () => {
  it('finds a container not Ready for minutes with readiness failures still coming', () => {
    const [finding] = probeFailingDetector.detect(notReady(1800), NOW);
    expect(finding!.type).toBe('ProbeFailing');
    expect(finding!.object.name).toBe('portal');
    expect(finding!.rate!.unit).toBe('probe failures/hour');
    expect(finding!.evidence.statuses[0]).toContain('Readiness probe failed');
  });

  it('ignores the few failures of a pod warming up in a rollout, and failures that stopped', () => {
    expect(probeFailingDetector.detect(notReady(40), NOW)).toHaveLength(0);
    expect(probeFailingDetector.detect(notReady(1800, 3600), NOW)).toHaveLength(0);
  });

  it('leaves pods on a NotReady node to the node finding', () => {
    const snapshot = notReady(1800);
    snapshot.nodes = [node('worker-1', { ready: 'Unknown', readySince: 900 }), node('worker-2')];
    expect(probeFailingDetector.detect(snapshot, NOW)).toHaveLength(0);
  });

  it('finds repeated liveness failures even while the container is Ready between restarts', () => {
    const snapshot = notReady(1800);
    snapshot.pods![2] = rsPod(snapshot.replicaSets![0]!, 'p3', {
      restarts: 4,
      lastTerminated: { reason: 'Error', exitCode: 137, finishedAgo: 120 },
    });
    snapshot.events = [
      event(
        { kind: 'Pod', namespace: 'docs', name: 'portal-h1-p3' },
        'Unhealthy',
        'Liveness probe failed: timeout',
        { count: 12, lastAgo: 60 },
      ),
    ];
    expect(probeFailingDetector.detect(snapshot, NOW)).toHaveLength(1);
  });
});
