import type { BasicPermission } from '@backstage/plugin-permission-common';
import {
  aiCloudOpsApplyPermission,
  aiCloudOpsApproveRepairPermission,
  aiCloudOpsReadPermission,
  aiCloudOpsRunAnalysisPermission,
} from '@ai-cloudops/backstage-plugin-common';

/** What forwarding one engine call takes: the permission to check, and whether the call can change a cluster. */
export interface EngineCallPermission {
  permission: BasicPermission;
  changesCluster: boolean;
  /**
   * Set when the call acts on one job (cancel): allowed for the user who started it through the portal, anyone else
   * needs `aicloudops.jobs.cancel.any` as well.
   */
  jobId?: string;
}

interface Rule {
  method: string;
  path: RegExp;
  permission: BasicPermission;
  changesCluster?: boolean | ((body: unknown) => boolean);
  /** The job the call acts on, for calls only its owner (or a holder of the cancel-any permission) may make. */
  ownedJob?: (path: string) => string;
}

const ID = '[A-Za-z0-9_.:-]+';

// One table decides what may pass: a call that matches no rule is not forwarded at all (admin routes such as ingest,
// config and demo faults stay unreachable from the portal). Order matters only where patterns overlap.
const RULES: Rule[] = [
  { method: 'GET', path: /^\/api\/v1(\/.*)?$/, permission: aiCloudOpsReadPermission },
  { method: 'POST', path: /^\/api\/v1\/rca$/, permission: aiCloudOpsRunAnalysisPermission },
  { method: 'POST', path: new RegExp(`^/api/v1/rca/${ID}/rerun$`), permission: aiCloudOpsRunAnalysisPermission },
  { method: 'POST', path: /^\/api\/v1\/forecast(\/backtest)?$/, permission: aiCloudOpsRunAnalysisPermission },
  { method: 'POST', path: /^\/api\/v1\/assistant\/(ask|feedback)$/, permission: aiCloudOpsRunAnalysisPermission },
  {
    method: 'POST',
    path: /^\/api\/v1\/scale-plan$/,
    // A plan, an HPA or a KEDA manifest is analysis; `mode: apply` scales the workload.
    permission: aiCloudOpsRunAnalysisPermission,
    changesCluster: (body) => isApply(body),
  },
  {
    method: 'POST',
    path: new RegExp(`^/api/v1/repair/(${ID}/)+approve$`),
    permission: aiCloudOpsApproveRepairPermission,
    changesCluster: true,
  },
  // Rejecting drops the pending action and touches no cluster: the same permission, not the cluster-change opt-in
  // (with it off, the repairs card's Reject was refused as "changes a cluster") nor the action token.
  {
    method: 'POST',
    path: new RegExp(`^/api/v1/repair/(${ID}/)+reject$`),
    permission: aiCloudOpsApproveRepairPermission,
  },
  {
    method: 'DELETE',
    path: new RegExp(`^/api/v1/jobs/${ID}$`),
    permission: aiCloudOpsRunAnalysisPermission,
    ownedJob: (path) => path.slice('/api/v1/jobs/'.length),
  },
  // Acknowledging or resolving an incident changes the engine's incident record, not a cluster.
  {
    method: 'POST',
    path: new RegExp(`^/api/v1/incidents/${ID}/(ack|resolve)$`),
    permission: aiCloudOpsRunAnalysisPermission,
  },
];

function isApply(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { mode?: unknown }).mode === 'apply';
}

/** The permission an engine call needs, or undefined when the portal does not forward that call at all. */
export function engineCallPermission(method: string, path: string, body: unknown): EngineCallPermission | undefined {
  const rule = RULES.find((r) => r.method === method && r.path.test(path));
  if (!rule) return undefined;
  const changesCluster =
    typeof rule.changesCluster === 'function' ? rule.changesCluster(body) : Boolean(rule.changesCluster);
  // Applying a plan is its own permission, whatever the rule for planning says.
  const permission = changesCluster && rule.permission === aiCloudOpsRunAnalysisPermission
    ? aiCloudOpsApplyPermission
    : rule.permission;
  return { permission, changesCluster, ...(rule.ownedJob ? { jobId: rule.ownedJob(path) } : {}) };
}
