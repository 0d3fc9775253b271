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
import { oomKilledDetector } from './oomKilledDetector.js';

function renderer(restarts: number, finishedAgo: number): ClusterSnapshot {
  const dep = deployment('analytics', 'renderer', { container: { memoryLimit: '512Mi' } });
  const rs = replicaSet(dep, 'h1', { revision: 1, replicas: 3, available: 2 });
  const oom = { reason: 'OOMKilled', exitCode: 137, finishedAgo };
  const pods = ['p1', 'p2'].map((s) =>
    rsPod(rs, s, {
      restarts,
      lastTerminated: oom,
      container: { memoryLimit: '512Mi' },
      createdAgo: 9 * 86_400,
    }),
  );
  return { nodes: workers(), deployments: [dep], replicaSets: [rs], pods };
}

describe('oomKilledDetector', () => {
  it('finds repeated recent OOM kills with the memory limit and a kill rate from the back-off start', () => {
    const snapshot = renderer(6, 120);
    snapshot.events = [
      event(
        { kind: 'Pod', namespace: 'analytics', name: 'renderer-h1-p1' },
        'BackOff',
        'Back-off restarting failed container',
        { firstAgo: 7200 },
      ),
    ];
    const [finding] = oomKilledDetector.detect(snapshot, NOW);
    expect(finding!.type).toBe('OOMKilled');
    expect(finding!.object).toMatchObject({ kind: 'Deployment', name: 'renderer' });
    expect(finding!.details.memoryLimitBytes).toEqual({ app: 512 * 2 ** 20 });
    expect(finding!.details.occurrences).toBe(12);
    expect(finding!.heldSeconds).toBe(7200);
    expect(finding!.rate).toEqual({ value: 6, unit: 'kills/hour' });
  });

  it('ignores a single kill and kills from days ago', () => {
    expect(oomKilledDetector.detect(renderer(2, 3 * 86_400), NOW)).toHaveLength(0);
    const once = renderer(1, 300);
    once.pods = once.pods!.slice(0, 1);
    expect(oomKilledDetector.detect(once, NOW)).toHaveLength(0);
  });
});
