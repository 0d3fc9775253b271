import type { ClusterSource, WorkloadRef } from '../../sources/cluster/ClusterSource.js';
import { EngineError } from '../../errors.js';
import type { AutoscaleConfig } from '../config.js';

export interface ApplyOutcome {
  dryRun: boolean;
  from: number;
  to: number;
  /** What the API server answered to the dry run. */
  dryRunReplicas: number;
  /** Set when the change was made for real. */
  replicas?: number;
}

/** Why the policy refuses this change, or undefined when it allows it. */
export function policyDenial(
  ref: WorkloadRef,
  from: number,
  to: number,
  policy: AutoscaleConfig['policy'],
): string | undefined {
  if (!policy.allowApply) return 'applying scale plans is disabled (forecast.autoscale.policy.allowApply)';
  if (!policy.namespaces.includes(ref.namespace))
    return `namespace ${ref.namespace} is not in forecast.autoscale.policy.namespaces`;
  if (policy.workloads.length && !policy.workloads.includes(`${ref.namespace}/${ref.name}`)) {
    return `workload ${ref.namespace}/${ref.name} is not in forecast.autoscale.policy.workloads`;
  }
  if (Math.abs(to - from) > policy.maxStep) {
    return `a change of ${Math.abs(to - from)} replicas exceeds forecast.autoscale.policy.maxStep (${policy.maxStep})`;
  }
  return undefined;
}

/**
 * Scales through the scale subresource: policy first (POLICY_DENIED otherwise), then a server-side dry run, and only
 * if that succeeds (and a dry run alone was not asked for) the real change.
 */
export async function applyScalePlan(
  cluster: ClusterSource,
  ref: WorkloadRef,
  replicas: number,
  config: AutoscaleConfig,
  options: { dryRunOnly?: boolean } = {},
): Promise<ApplyOutcome> {
  const current = await cluster.getWorkload(ref);
  const denial = policyDenial(ref, current.replicas, replicas, config.policy);
  if (denial) throw new EngineError('POLICY_DENIED', denial);
  const dry = await cluster.scaleWorkload(ref, replicas, {
    dryRun: true,
    fieldManager: 'aicloudops-forecast',
  });
  if (options.dryRunOnly)
    return { dryRun: true, from: current.replicas, to: replicas, dryRunReplicas: dry.replicas };
  const real = await cluster.scaleWorkload(ref, replicas, {
    dryRun: false,
    fieldManager: 'aicloudops-forecast',
  });
  return {
    dryRun: false,
    from: current.replicas,
    to: replicas,
    dryRunReplicas: dry.replicas,
    replicas: real.replicas,
  };
}
