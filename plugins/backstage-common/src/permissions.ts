import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The permissions of the AI-CloudOps plugins, declared once so a permission policy, the backend that enforces them
 * and a frontend that hides buttons all name the same things. Each engine call the backend forwards needs exactly one
 * of them (see the backend's `engineCallPermission`).
 */

/** Read workloads, health, analyses, forecasts, the knowledge base and job progress. */
export const aiCloudOpsReadPermission = createPermission({
  name: 'aicloudops.read',
  attributes: { action: 'read' },
});

/** Start read-only work on the engine: root-cause analyses, forecasts and backtests, assistant questions. */
export const aiCloudOpsRunAnalysisPermission = createPermission({
  name: 'aicloudops.analysis.run',
  attributes: { action: 'create' },
});

/** Approve or reject a pending repair action. Changes a cluster once approved. */
export const aiCloudOpsApproveRepairPermission = createPermission({
  name: 'aicloudops.repair.approve',
  attributes: { action: 'update' },
});

/** Apply a replica plan to a workload (scale-plan `mode: apply`). Changes a cluster. */
export const aiCloudOpsApplyPermission = createPermission({
  name: 'aicloudops.apply',
  attributes: { action: 'update' },
});

/**
 * Cancel an engine job someone else started (an admin's permission). Whoever may run analyses can cancel the jobs
 * they started themselves through the portal; without this permission, not anyone else's.
 */
export const aiCloudOpsCancelAnyJobPermission = createPermission({
  name: 'aicloudops.jobs.cancel.any',
  attributes: { action: 'update' },
});

export const aiCloudOpsPermissions = [
  aiCloudOpsReadPermission,
  aiCloudOpsRunAnalysisPermission,
  aiCloudOpsApproveRepairPermission,
  aiCloudOpsApplyPermission,
  aiCloudOpsCancelAnyJobPermission,
];
