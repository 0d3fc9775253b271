import type { ClusterSnapshot, Detector, Finding } from '../types.js';
import { configErrorDetector } from './configErrorDetector.js';
import { crashLoopDetector } from './crashLoopDetector.js';
import { evictedDetector } from './evictedDetector.js';
import { hpaAtMaxDetector } from './hpaAtMaxDetector.js';
import { imagePullDetector } from './imagePullDetector.js';
import { jobFailedDetector } from './jobFailedDetector.js';
import { nodeNotReadyDetector } from './nodeNotReadyDetector.js';
import { nodePressureDetector } from './nodePressureDetector.js';
import { oomKilledDetector } from './oomKilledDetector.js';
import { probeFailingDetector } from './probeFailingDetector.js';
import { pvcPendingDetector } from './pvcPendingDetector.js';
import { rolloutStuckDetector } from './rolloutStuckDetector.js';
import { serviceNoEndpointsDetector } from './serviceNoEndpointsDetector.js';
import { unschedulableDetector } from './unschedulableDetector.js';

/** The one place detectors are registered (like k8sgpt's analyzer map); embedders may pass their own list. */
export function getDefaultDetectors(): Detector[] {
  return [
    crashLoopDetector,
    oomKilledDetector,
    imagePullDetector,
    configErrorDetector,
    unschedulableDetector,
    probeFailingDetector,
    rolloutStuckDetector,
    evictedDetector,
    nodeNotReadyDetector,
    nodePressureDetector,
    hpaAtMaxDetector,
    pvcPendingDetector,
    jobFailedDetector,
    serviceNoEndpointsDetector,
  ];
}

/**
 * Runs every detector over one snapshot. The snapshot is indexed once (SnapshotIndex, shared through a WeakMap)
 * and findings come back sorted by severity, then type and object, so two scans of one state compare equal.
 */
export function scanSnapshot(
  snapshot: ClusterSnapshot,
  now: Date,
  detectors: Detector[] = getDefaultDetectors(),
): Finding[] {
  const order = { critical: 0, warning: 1, info: 2 } as const;
  return detectors
    .flatMap((d) => d.detect(snapshot, now))
    .sort(
      (a, b) =>
        order[a.severity] - order[b.severity] ||
        a.type.localeCompare(b.type) ||
        `${a.object.kind}/${a.object.namespace}/${a.object.name}`.localeCompare(
          `${b.object.kind}/${b.object.namespace}/${b.object.name}`,
        ),
    );
}
