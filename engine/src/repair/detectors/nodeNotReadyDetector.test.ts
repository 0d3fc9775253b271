import { describe, expect, it } from 'vitest';
import { NOW, event, node } from '../../../test/fixtures/repair/kubeObjects.js';
import { nodeNotReadyDetector } from './nodeNotReadyDetector.js';

describe('nodeNotReadyDetector', () => {
  it('finds a node that stopped posting status (Ready=Unknown), with the node-controller event', () => {
    const snapshot = {
      nodes: [node('worker-1'), node('worker-2', { ready: 'Unknown', readySince: 840 })],
      events: [
        event(
          { kind: 'Node', name: 'worker-2' },
          'NodeNotReady',
          'Node worker-2 status is now: NodeNotReady',
          { type: 'Normal' },
        ),
      ],
    };
    const [finding, ...rest] = nodeNotReadyDetector.detect(snapshot, NOW);
    expect(rest).toHaveLength(0);
    expect(finding!.object).toEqual({
      kind: 'Node',
      namespace: '',
      name: 'worker-2',
      uid: 'uid-node-worker-2',
    });
    expect(finding!.heldSeconds).toBe(840);
    expect(finding!.severity).toBe('critical');
    expect(finding!.evidence.events[0]!.reason).toBe('NodeNotReady');
  });

  it('reports Ready=False too, marks control-plane nodes, and ignores a blip under a minute', () => {
    const cp = nodeNotReadyDetector.detect(
      { nodes: [node('cp-1', { ready: 'False', readySince: 600, controlPlane: true })] },
      NOW,
    );
    expect(cp[0]!.details['controlPlane']).toBe(true);
    expect(
      nodeNotReadyDetector.detect({ nodes: [node('worker-3', { ready: 'False', readySince: 20 })] }, NOW),
    ).toHaveLength(0);
  });
});
