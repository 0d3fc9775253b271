import type { Detector } from '../types.js';
import { indexSnapshot } from '../snapshot/SnapshotIndex.js';
import { nodeCondition } from '../snapshot/podStatus.js';
import { secondsSince } from '../snapshot/time.js';
import { nodeFinding } from './nodeFindings.js';

/**
 * Nodes whose Ready condition is False (the kubelet says so) or Unknown (the kubelet stopped posting status),
 * for at least a minute: one missed heartbeat during a kubelet restart is not a finding.
 */
const MIN_SECONDS = 60;

export const nodeNotReadyDetector: Detector = {
  name: 'node-not-ready',
  types: ['NodeNotReady'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    return (snapshot.nodes ?? []).flatMap((node) => {
      const ready = nodeCondition(node, 'Ready');
      if (!ready || ready.status === 'True') return [];
      if ((secondsSince(ready.lastTransitionTime, now) ?? Infinity) < MIN_SECONDS) return [];
      return [
        nodeFinding(
          index,
          node,
          'NodeNotReady',
          [ready],
          now,
          `Node ${node.metadata?.name}: Ready=${ready.status} (${ready.reason ?? 'unknown'})`,
        ),
      ];
    });
  },
};
