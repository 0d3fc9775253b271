import type { RepairRule, RuleConditions } from '../types.js';
import type { FindingFacts } from './FindingFacts.js';

type Check<K extends keyof RuleConditions> = (
  facts: FindingFacts,
  expected: NonNullable<RuleConditions[K]>,
  rule: RepairRule,
) => boolean;

/** How a raise-memory-limit rule's factor reaches the `raisedLimitFits` condition (2x when the rule names none). */
const raiseFactor = (rule: RepairRule): number =>
  rule.action.type === 'raise-memory-limit' ? rule.action.params.factor : 2;

/** Every condition a rule may list, evaluated against the planner's facts about the finding. */
const CHECKS: { [K in keyof RuleConditions]-?: Check<K> } = {
  ownedByController: (f, v) => f.ownedByController === v,
  beganWithRollout: (f, v) => f.rollout.began === v,
  previousRevisionHealthy: (f, v) => f.rollout.previousHealthy === v,
  newRevisionUnhealthy: (f, v) => f.newRevisionUnhealthy === v,
  heldFor: (f, seconds) => f.finding.heldSeconds >= seconds,
  minOccurrences: (f, n) => (f.finding.details.occurrences ?? 0) >= n,
  oomKilled: (f, v) => f.oomKilled === v,
  raisedLimitFits: (f, v, rule) => f.memoryRaise(raiseFactor(rule)).fits === v,
  allPodsReady: (f, v) => f.allPodsReady === v,
  utilisationAtLeastTarget: (f, ratio) => (f.finding.details.hpa?.utilisationRatio ?? 0) >= ratio,
  otherReadyWorker: (f, v) => f.otherReadyWorker === v,
  controlPlane: (f, v) => f.controlPlane === v,
};

/** The names of the rule's conditions that do not hold (empty: the rule applies). */
export function failedConditions(rule: RepairRule, facts: FindingFacts): string[] {
  return (Object.keys(rule.conditions) as Array<keyof RuleConditions>).filter((name) => {
    const expected = rule.conditions[name];
    if (expected === undefined) return false;
    return !(CHECKS[name] as Check<typeof name>)(facts, expected as never, rule);
  });
}
