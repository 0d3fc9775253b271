import type { RepairPolicy, RuleFile } from '../types.js';
import { parseRepairPolicy, parseRuleFile } from './loadRules.js';

/**
 * The shipped rules: what a careful operator does, in order (the first rule that applies to a finding wins unless
 * it says `continue`). Kept as YAML text (the same format and schema as a user's rule file) inside a module so the
 * build ships it; `aicloudops repair rules --defaults` style tooling can print it as a starting point.
 * Every acting rule is backed by the safety guards (safetyGuards.ts): a rule file cannot talk the planner into
 * acting on a protected namespace, a control-plane node or the last Ready worker.
 */
export const DEFAULT_RULES_YAML = `apiVersion: repair.aicloudops.io/v1
kind: RepairRules
rules:
  # Protected namespaces and objects no controller owns: tell a person, touch nothing.
  - id: protected-namespaces-notify
    description: protected namespace, notify only
    match: { namespaces: [kube-system, kube-public, kube-node-lease] }
    action: { type: notify }
    mode: auto
  - id: unowned-notify
    description: no controller owns the object, notify only
    match: { types: [CrashLoopBackOff, OOMKilled, ImagePullBackOff, CreateContainerConfigError, Unschedulable, ProbeFailing, Evicted] }
    conditions: { ownedByController: false }
    action: { type: notify }
    mode: auto

  # Restarting never fixes configuration: roll back a revision that broke it, else tell a person.
  - id: config-error-rollback
    description: configuration broke with the new revision, roll back to the healthy previous one
    match: { types: [CreateContainerConfigError] }
    conditions: { beganWithRollout: true, previousRevisionHealthy: true }
    action: { type: rollback }
    mode: approve
    cooldown: 1h
    verify: { kubernetes: [deploymentAvailable, podsReady], for: 5m, deadline: 15m }
    continue: true
  - id: config-error-notify
    description: a ConfigMap, Secret or key the pods need is missing
    match: { types: [CreateContainerConfigError] }
    action: { type: notify }
    mode: auto

  # A rollout that broke what the previous revision ran fine: roll back. Otherwise a person decides.
  - id: bad-rollout-rollback
    description: failure began with a rollout whose previous revision was healthy, roll back
    match: { types: [CrashLoopBackOff, ImagePullBackOff, ProbeFailing] }
    conditions: { ownedByController: true, beganWithRollout: true, previousRevisionHealthy: true }
    action: { type: rollback }
    mode: approve
    cooldown: 1h
    budgetPerNamespacePerHour: 3
    verify: { kubernetes: [deploymentAvailable, podsReady, noRecentRestarts], for: 5m, deadline: 15m }
    continue: true
  - id: stuck-rollout-rollback
    description: a rollout past its deadline whose new pods run but never become Ready, roll back to the healthy previous revision
    match: { types: [RolloutStuck] }
    conditions: { beganWithRollout: true, previousRevisionHealthy: true, newRevisionUnhealthy: true }
    action: { type: rollback }
    mode: approve
    cooldown: 1h
    budgetPerNamespacePerHour: 3
    verify: { kubernetes: [deploymentAvailable, podsReady], for: 5m, deadline: 15m }
    continue: true
  - id: failing-pods-notify
    description: pods fail without a healthy previous revision to return to
    match: { types: [CrashLoopBackOff, ImagePullBackOff, ProbeFailing, RolloutStuck] }
    action: { type: notify }
    mode: auto

  # Repeated OOM kills: double the limit if the pod still fits the largest Ready node, else tell a person.
  - id: oom-raise-memory
    description: repeated OOM kills, raise the memory limit (at most 2x, within the largest Ready node)
    match: { types: [OOMKilled] }
    conditions: { minOccurrences: 2, raisedLimitFits: true }
    action: { type: raise-memory-limit, params: { factor: 2 } }
    mode: approve
    cooldown: 6h
    verify: { kubernetes: [podsReady, noRecentRestarts], for: 15m, deadline: 30m }
  - id: oom-notify
    description: OOM kills a limit raise cannot fix
    match: { types: [OOMKilled] }
    action: { type: notify }
    mode: auto

  # Pods no node can take and claims that do not bind: more replicas would not schedule either.
  - id: unschedulable-notify
    description: pods no node can take (resources, taints, affinity, claims)
    match: { types: [Unschedulable, PvcPending] }
    action: { type: notify }
    mode: auto

  # An HPA pinned at max under sustained load with every pod Ready: raise its max within a cap.
  - id: hpa-raise-max
    description: HPA at max with sustained high utilisation and all pods Ready, raise maxReplicas within the cap
    match: { types: [HpaAtMax] }
    conditions: { heldFor: 10m, allPodsReady: true, utilisationAtLeastTarget: 1 }
    action: { type: raise-hpa-max, params: { factor: 1.5, cap: 100 } }
    mode: approve
    cooldown: 2h
    verify: { kubernetes: [podsReady, hpaBelowMax], for: 10m, deadline: 30m }
  - id: hpa-notify
    description: HPA at max but raising it is not safe or not possible
    match: { types: [HpaAtMax] }
    action: { type: notify }
    mode: auto

  # Evicted pods: delete the records, and tell a person about the pressure behind them.
  - id: evicted-delete
    description: evicted pods left behind, delete them
    match: { types: [Evicted] }
    action: { type: delete-evicted-pods }
    mode: auto
    cooldown: 15m
    verify: { kubernetes: [noEvictedPods], for: 1m, deadline: 5m }
    continue: true
  - id: evicted-notify
    description: node pressure evicted pods
    match: { types: [Evicted] }
    action: { type: notify }
    mode: auto

  # A sick node: cordon it so nothing new lands there (never a control-plane node, never the last Ready worker).
  - id: node-cordon
    description: node NotReady or under pressure, cordon it
    match: { types: [NodeNotReady, NodePressure] }
    conditions: { controlPlane: false, otherReadyWorker: true }
    action: { type: cordon-node }
    mode: approve
    cooldown: 1h
    budgetPerNamespacePerHour: 2
    verify: { kubernetes: [nodeCordoned], for: 1m, deadline: 5m }
    continue: true
  - id: node-notify
    description: node NotReady or under pressure
    match: { types: [NodeNotReady, NodePressure] }
    action: { type: notify }
    mode: auto

  # Jobs past their backoff limit: raise memory when OOM killed them, else tell a person.
  - id: job-oom-raise-memory
    description: Job failed because its pods were OOMKilled, raise the memory limit for the next run
    match: { types: [JobFailed] }
    conditions: { oomKilled: true, raisedLimitFits: true }
    action: { type: raise-memory-limit, params: { factor: 2 } }
    mode: approve
    cooldown: 6h
  - id: job-notify
    description: Job failed past its backoff limit
    match: { types: [JobFailed] }
    action: { type: notify }
    mode: auto

  - id: service-no-endpoints-notify
    description: Service selector matches no pod
    match: { types: [ServiceNoEndpoints] }
    action: { type: notify }
    mode: auto
`;

export function defaultRuleFile(): RuleFile {
  return parseRuleFile(DEFAULT_RULES_YAML, 'default rules');
}

/** Acting needs approval by default; `auto` only where a rule says so and the policy allows it. */
export function defaultRepairPolicy(overrides: Partial<RepairPolicy> = {}): RepairPolicy {
  return parseRepairPolicy(overrides);
}
