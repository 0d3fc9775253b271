import type { Detector } from '../types.js';
import { indexSnapshot } from '../snapshot/SnapshotIndex.js';
import { isNodeReady } from '../snapshot/podStatus.js';
import { nodeFinding } from './nodeFindings.js';

const PRESSURES = ['MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * Ready nodes that report memory, disk or PID pressure now (the kubelet is evicting or about to). Pressure that has
 * cleared is history; a NotReady node's pressure conditions are Unknown and belong to the NodeNotReady finding.
 */
export const nodePressureDetector: Detector = {
  name: 'node-pressure',
  types: ['NodePressure'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    return (snapshot.nodes ?? []).flatMap((node) => {
      if (!isNodeReady(node)) return [];
      const pressing = (node.status?.conditions ?? []).filter(
        (c) => PRESSURES.includes(c.type) && c.status === 'True',
      );
      if (pressing.length === 0) return [];
      const names = pressing.map((c) => c.type).join(', ');
      return [
        nodeFinding(index, node, 'NodePressure', pressing, now, `Node ${node.metadata?.name}: ${names}`),
      ];
    });
  },
};
