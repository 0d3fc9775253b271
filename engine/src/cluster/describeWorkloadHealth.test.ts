import { describe, expect, it } from 'vitest';
import type { PodInfo, Workload } from '../sources/cluster/ClusterSource.js';
import { assessHealth } from './describeWorkloadHealth.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');

const workload: Workload = {
  kind: 'Deployment',
  namespace: 'shop',
  name: 'cart',
  labels: {},
  annotations: {},
  selector: 'app=cart',
  replicas: 2,
  readyReplicas: 2,
  updatedReplicas: 2,
  availableReplicas: 2,
  images: ['shop/cart:1'],
  generation: 1,
  observedGeneration: 1,
  conditions: [],
};

function pod(name: string, container: Partial<PodInfo['containers'][number]>): PodInfo {
  return {
    namespace: 'shop',
    name,
    labels: {},
    phase: 'Running',
    ready: container.ready ?? true,
    restarts: container.restartCount ?? 0,
    containers: [
      { name: 'cart', image: 'shop/cart:1', ready: true, restartCount: 0, state: 'running', ...container },
    ],
    conditions: [],
    ownerKind: 'ReplicaSet',
    ownerName: 'cart-abc12',
  };
}

describe('assessHealth', () => {
  it('calls a workload healthy only when its pods are running, ready and have not restarted lately', () => {
    expect(assessHealth(workload, [pod('cart-1', {}), pod('cart-2', {})], NOW)).toEqual({
      health: 'healthy',
      reasons: [],
    });
  });

  it('is degraded when every replica is ready but the pods keep getting OOMKilled (2/2 is not healthy)', () => {
    const oom = {
      restartCount: 10,
      lastTerminationReason: 'OOMKilled',
      lastTerminatedAt: '2026-12-06T11:57:00Z',
    };
    const result = assessHealth(workload, [pod('cart-1', oom), pod('cart-2', oom)], NOW);
    expect(result.health).toBe('degraded');
    expect(result.reasons).toEqual([
      'pod cart-1: restarted 10 times, last OOMKilled 3 min ago',
      'pod cart-2: restarted 10 times, last OOMKilled 3 min ago',
    ]);
  });

  it('treats an old restart as history and repeated restarts without a time as a pattern', () => {
    const old = {
      restartCount: 1,
      lastTerminationReason: 'OOMKilled',
      lastTerminatedAt: '2026-12-06T10:00:00Z',
    };
    expect(assessHealth(workload, [pod('cart-1', old)], NOW).health).toBe('healthy');
    const untimed = { restartCount: 4, lastTerminationReason: 'Error' };
    expect(assessHealth(workload, [pod('cart-1', untimed)], NOW).health).toBe('degraded');
  });

  it('names a running container that is not ready as a failing readiness probe', () => {
    const result = assessHealth(workload, [pod('cart-1', { ready: false })], NOW);
    expect(result).toEqual({
      health: 'degraded',
      reasons: ['pod cart-1: container cart running but not ready (readiness probe failing)'],
    });
  });

  it('is unavailable with no ready replica, and reports a crash loop with its restarts', () => {
    const crashing = { state: 'waiting' as const, reason: 'CrashLoopBackOff', ready: false, restartCount: 7 };
    const result = assessHealth({ ...workload, readyReplicas: 0 }, [pod('cart-1', crashing)], NOW);
    expect(result.health).toBe('unavailable');
    expect(result.reasons).toContain('pod cart-1: CrashLoopBackOff (restarts 7)');
  });
});
