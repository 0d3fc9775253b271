import { describe, expect, it } from 'vitest';
import { NOW, event, pod, rollout, rsPod, workers } from '../../../test/fixtures/repair/kubeObjects.js';
import { crashLoopDetector } from './crashLoopDetector.js';

const crashing = (restarts = 9) => ({
  state: { waiting: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } as const,
  restarts,
  lastTerminated: { reason: 'Error', exitCode: 1, finishedAgo: 40 },
});

describe('crashLoopDetector', () => {
  it('finds a crash-looping rollout once per workload, with its owner chain, evidence, since and restart rate', () => {
    const snapshot = rollout('shop', 'checkout', (rs, s) => rsPod(rs, s, crashing()));
    snapshot.events = [
      event(
        { kind: 'Pod', namespace: 'shop', name: 'checkout-newhash-b1' },
        'BackOff',
        'Back-off restarting failed container',
        { count: 40, firstAgo: 1800 },
      ),
    ];
    const [finding, ...rest] = crashLoopDetector.detect(snapshot, NOW);
    expect(rest).toHaveLength(0);
    expect(finding!.type).toBe('CrashLoopBackOff');
    expect(finding!.object).toMatchObject({ kind: 'Deployment', namespace: 'shop', name: 'checkout' });
    expect(finding!.owners.map((o) => `${o.kind}/${o.name}`)).toEqual([
      'ReplicaSet/checkout-newhash',
      'Deployment/checkout',
    ]);
    expect(finding!.details.pods).toEqual(['checkout-newhash-b1']);
    expect(finding!.heldSeconds).toBe(1800);
    expect(finding!.rate).toEqual({ value: 18, unit: 'restarts/hour' });
    expect(finding!.evidence.events[0]!.reason).toBe('BackOff');
    expect(finding!.evidence.statuses[0]).toContain('last exit 1');
  });

  it('keeps the fingerprint when the failing pod is replaced', () => {
    const a = crashLoopDetector.detect(
      rollout('shop', 'checkout', (rs) => rsPod(rs, 'b1', crashing())),
      NOW,
    );
    const b = crashLoopDetector.detect(
      rollout('shop', 'checkout', (rs) => rsPod(rs, 'zz', crashing(3))),
      NOW,
    );
    expect(a[0]!.fingerprint).toBe(b[0]!.fingerprint);
  });

  it('counts a container running again right after a recent crash, but not restarts from days ago or OOM kills', () => {
    const justRestarted = rollout('shop', 'api', (rs, s) =>
      rsPod(rs, s, {
        state: { running: true, ready: false, startedAgo: 10 },
        restarts: 6,
        lastTerminated: { reason: 'Error', exitCode: 1, finishedAgo: 12 },
      }),
    );
    expect(crashLoopDetector.detect(justRestarted, NOW)).toHaveLength(1);
    const oldRestarts = rollout('shop', 'api', (rs, s) =>
      rsPod(rs, s, {
        restarts: 2,
        lastTerminated: { reason: 'Error', exitCode: 1, finishedAgo: 3 * 86_400 },
      }),
    );
    expect(crashLoopDetector.detect(oldRestarts, NOW)).toHaveLength(0);
    const oom = rollout('shop', 'api', (rs, s) =>
      rsPod(rs, s, {
        ...crashing(),
        lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedAgo: 40 },
      }),
    );
    expect(crashLoopDetector.detect(oom, NOW)).toHaveLength(0);
  });

  it('makes a bare pod its own object with no owners', () => {
    const snapshot = {
      nodes: workers(),
      pods: [pod('tools', 'debug-shell', { ...crashing(), node: 'worker-1' })],
    };
    const [finding] = crashLoopDetector.detect(snapshot, NOW);
    expect(finding!.object.kind).toBe('Pod');
    expect(finding!.owners).toEqual([]);
  });
});

describe('crashLoopDetector on static pods', () => {
  it('reports the mirror pod itself, not the Node that owns it', () => {
    const mirror = pod('kube-system', 'kube-apiserver-cp-1', {
      node: 'cp-1',
      owner: { kind: 'Node', name: 'cp-1' },
      state: { waiting: 'CrashLoopBackOff' },
      restarts: 12,
      lastTerminated: { reason: 'Error', exitCode: 1, finishedAgo: 30 },
    });
    const [finding] = crashLoopDetector.detect({ nodes: workers(), pods: [mirror] }, NOW);
    expect(finding!.object).toMatchObject({
      kind: 'Pod',
      namespace: 'kube-system',
      name: 'kube-apiserver-cp-1',
    });
    expect(finding!.owners).toEqual([{ kind: 'Node', namespace: '', name: 'cp-1', uid: 'uid-cp-1' }]);
    expect(finding!.workload).toMatchObject({ kind: 'Pod', name: 'kube-apiserver-cp-1' });
  });
});
