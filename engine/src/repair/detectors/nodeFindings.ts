import type { V1Node, V1NodeCondition } from '@kubernetes/client-node';
import type { Finding, FindingType } from '../types.js';
import { refOf, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { isControlPlane } from '../snapshot/podStatus.js';
import { toMillis } from '../snapshot/time.js';
import { createFinding } from './createFinding.js';

/** A finding about a node from the conditions that make it one (shared by NodeNotReady and NodePressure). */
export function nodeFinding(
  index: SnapshotIndex,
  node: V1Node,
  type: FindingType,
  conditions: V1NodeCondition[],
  now: Date,
  message: string,
): Finding {
  const object = refOf('Node', node);
  const pods = (index.podsByNode.get(object.name) ?? []).map(
    (p) => `${p.metadata?.namespace}/${p.metadata?.name}`,
  );
  return createFinding({
    type,
    object,
    owners: [],
    statuses: conditions.map((c) =>
      `${object.name}: ${c.type}=${c.status} (${c.reason ?? ''}) ${c.message ?? ''}`.trim(),
    ),
    events: index.eventsFor(object),
    sinceMs: Math.min(...conditions.map((c) => toMillis(c.lastTransitionTime) ?? now.getTime())),
    now,
    severity: type === 'NodeNotReady' ? 'critical' : 'warning',
    message,
    details: {
      node: object.name,
      pressures: conditions
        .filter((c) => c.type.endsWith('Pressure') && c.status === 'True')
        .map((c) => c.type),
      controlPlane: isControlPlane(node),
      podsOnNode: pods.length,
    },
  });
}
