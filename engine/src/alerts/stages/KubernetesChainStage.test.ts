import { describe, expect, it } from 'vitest';
import { feed, firing, incidentOf, mergeOf, pod, S, T0 } from '../../../test/support/alertPipelineFixture.js';

const EDGES = [{ from: 'checkout', to: 'cart' }];

describe('KubernetesChainStage', () => {
  it('joins pods to their failed node, but a node-explained pod bridges no sibling on another node', () => {
    const node = { alertname: 'KubeNodeNotReady', severity: 'critical', node: 'node-a' };
    const onNode = pod('cart-6c8d7f9b4-aaaaa', 'node-a');
    const sibling = pod('cart-6c8d7f9b4-bbbbb', 'node-b', 'KubePodCrashLooping');
    const p = feed(EDGES, [firing(node, T0), firing(onNode, T0 + 40 * S), firing(sibling, T0 + 4 * 60 * S)]);
    expect(mergeOf(p, onNode)).toMatchObject({
      kind: 'kubernetes-node',
      detail: 'pod cart-6c8d7f9b4-aaaaa → node node-a',
    });
    expect(incidentOf(p, sibling)).not.toBe(incidentOf(p, node));

    // Without the node failure the two pods of one workload are one incident.
    const q = feed(EDGES, [
      firing(pod('cart-6c8d7f9b4-aaaaa', 'node-a', 'KubePodCrashLooping'), T0),
      firing(sibling, T0 + 60 * S),
    ]);
    expect(mergeOf(q, sibling)).toMatchObject({
      kind: 'kubernetes-owner',
      detail: 'pod cart-6c8d7f9b4-bbbbb → workload cart',
    });
  });
});
