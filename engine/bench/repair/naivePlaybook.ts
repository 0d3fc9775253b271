import type { ActionType, Finding, FindingType } from '../../src/repair/types.js';

/**
 * A second baseline for repair-triage: the playbook a script without judgement runs on the same findings (the
 * classic Robusta-style "restart what crashes, scale what is pending, drain what is sick"), no safety checks.
 */
const PLAYBOOK: Record<FindingType, ActionType> = {
  CrashLoopBackOff: 'restart-pod',
  OOMKilled: 'restart-pod',
  ProbeFailing: 'restart-pod',
  ImagePullBackOff: 'rollout-restart',
  CreateContainerConfigError: 'rollout-restart',
  RolloutStuck: 'rollout-restart',
  Unschedulable: 'scale',
  HpaAtMax: 'scale',
  NodeNotReady: 'drain-node',
  NodePressure: 'drain-node',
  Evicted: 'delete-evicted-pods',
  JobFailed: 'notify',
  PvcPending: 'notify',
  ServiceNoEndpoints: 'notify',
};

export function naivePlaybook(
  findings: Finding[],
): Array<{ type: ActionType; target: string; params: Record<string, unknown> }> {
  return findings.map((f) => ({
    type: PLAYBOOK[f.type],
    target: `${f.workload.kind}/${f.workload.namespace}/${f.workload.name}`,
    params: {},
  }));
}
