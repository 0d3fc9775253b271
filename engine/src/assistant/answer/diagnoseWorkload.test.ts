import { describe, expect, it } from 'vitest';
import type { ContainerState, EventInfo, PodInfo } from '../../sources/cluster/ClusterSource.js';
import { diagnoseWorkload } from './diagnoseWorkload.js';

const container = (c: Partial<ContainerState>): ContainerState => ({
  name: 'app',
  image: 'shop/cart:1.2',
  ready: false,
  restartCount: 0,
  state: 'running',
  ...c,
});
const pod = (name: string, p: Partial<PodInfo>): PodInfo => ({
  namespace: 'shop',
  name,
  labels: {},
  phase: 'Running',
  ready: false,
  restarts: 0,
  containers: [container({})],
  conditions: [],
  ...p,
});
const event = (reason: string, message = '', type = 'Warning'): EventInfo => ({
  namespace: 'shop',
  type,
  reason,
  message,
  involvedKind: 'Pod',
  involvedName: 'cart-1',
  count: 1,
});

describe('diagnoseWorkload', () => {
  it('names CrashLoopBackOff with the last termination reason', () => {
    const pods = [
      pod('cart-1', {
        restarts: 4,
        containers: [
          container({ state: 'waiting', reason: 'CrashLoopBackOff', lastTerminationReason: 'Error' }),
        ],
      }),
      pod('cart-2', { ready: true, containers: [container({ ready: true })] }),
    ];
    const d = diagnoseWorkload(pods, [event('BackOff', 'Back-off restarting failed container')]);
    expect(d).toMatchObject({ failure: 'CrashLoopBackOff' });
    expect(d!.evidence).toBe('1/2 pods in CrashLoopBackOff, last termination reason Error, 4 restarts');
  });

  it('names OOMKilled over the back-off it causes', () => {
    const pods = [
      pod('cart-1', {
        restarts: 2,
        containers: [
          container({ state: 'waiting', reason: 'CrashLoopBackOff', lastTerminationReason: 'OOMKilled' }),
        ],
      }),
    ];
    expect(diagnoseWorkload(pods, [])?.failure).toBe('OOMKilled');
  });

  it('names image pulls, unschedulable pods and failing probes; nothing for a healthy workload', () => {
    expect(
      diagnoseWorkload(
        [
          pod('a', {
            phase: 'Pending',
            containers: [container({ state: 'waiting', reason: 'ImagePullBackOff' })],
          }),
        ],
        [],
      )?.failure,
    ).toBe('ImagePullBackOff');
    const pending = pod('a', {
      phase: 'Pending',
      containers: [],
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }],
    });
    expect(
      diagnoseWorkload(
        [pending],
        [event('FailedScheduling', '0/3 nodes are available: 3 Insufficient cpu.')],
      ),
    ).toMatchObject({
      failure: 'Unschedulable',
      evidence: '1/1 pods Pending and unschedulable: 0/3 nodes are available: 3 Insufficient cpu.',
    });
    expect(
      diagnoseWorkload(
        [pod('a', {})],
        [event('Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503')],
      )?.failure,
    ).toBe('ProbeFailing');
    expect(
      diagnoseWorkload(
        [pod('a', { ready: true, containers: [container({ ready: true })] })],
        [event('Scheduled', '', 'Normal')],
      ),
    ).toBeUndefined();
  });
});
