import type { Advice, ModelExchange, RepairAdvisor } from '../advisor/ModelRepairAdvisor.js';
import { canonicalJson } from '../audit/hashChain.js';
import type {
  ClusterSnapshot,
  Finding,
  ModelAdviceRecord,
  PlannedAction,
  RecentAction,
  RepairMode,
  RepairPolicy,
  RepairRule,
  RuleCandidate,
  RuleFile,
} from '../types.js';
import { FindingFacts, type PlanContext } from './FindingFacts.js';
import { alreadyPlanned, applyRule, planContext, planFinding, type RepairPlan } from './planRepairs.js';
import { ruleSchema } from './ruleSchema.js';

export interface ModelPlanOptions {
  advisor: RepairAdvisor;
  /** The mode a model's action asks for before the policy caps it: `approve` unless config says otherwise. */
  mode: RepairMode;
  /** Most model calls in one plan; findings past it are planned by the rules alone. */
  maxCalls: number;
}

const MODEL_RULE_ID = 'model';

const record = (decision: ModelAdviceRecord['decision'], exchange: ModelExchange): ModelAdviceRecord => ({
  decision,
  ...exchange,
});

/**
 * DECIDE with a model: the rules plan first, exactly as without one. Then the model may (a) propose one catalog
 * action for a finding no rule applies to, or (b) pick one of several acting candidates the rules allow for a
 * finding. Either way it only names an action type and parameters checked by the rule file's schema; the target
 * comes from the finding, and the action passes through applyRule like any rule's: safety guards, budgets,
 * cooldowns, and a mode capped by the policy (kill switch, `maxMode`). A rule that applies, even one that only
 * notifies, is never overridden: the model fills gaps and breaks ties, it does not overrule an operator's rule.
 * A rejected proposal becomes a `notify`; a model that does not answer leaves the rules alone.
 */
export async function planRepairsWithModel(
  findings: Finding[],
  snapshot: ClusterSnapshot,
  rules: RuleFile,
  policy: RepairPolicy,
  now: Date,
  history: RecentAction[],
  options: ModelPlanOptions,
): Promise<RepairPlan> {
  const ctx = planContext(snapshot, policy, now, history);
  const plan: RepairPlan = { actions: [], skipped: [] };
  let calls = 0;
  // After one call finds the model down or too slow, the rest of this plan does without it: a scan waits at most
  // one timeout, not one per finding.
  let down: string | undefined;
  for (const finding of findings) {
    const before = plan.actions.length;
    const applied = planFinding(finding, rules.rules, ctx, plan);
    const candidates = applied
      ? ruleCandidates(finding, rules.rules, ctx, plan.actions.slice(0, before))
      : [];
    if (applied && candidates.length < 2) continue;
    const notAsked = down
      ? `model not asked: unavailable earlier in this plan (${down}); rules alone`
      : calls >= options.maxCalls
        ? `model not asked: ${options.maxCalls} calls per plan spent; rules alone`
        : undefined;
    if (notAsked) {
      skip(plan, finding, notAsked);
      continue;
    }
    calls++;
    down = applied
      ? await choose(finding, candidates, before, plan, options)
      : await propose(finding, ctx, plan, options);
  }
  return plan;
}

function skip(plan: RepairPlan, finding: Finding, reason: string): void {
  plan.skipped.push({ findingFingerprint: finding.fingerprint, ruleId: MODEL_RULE_ID, reason });
}

/**
 * What each applying rule would change for the finding (its acting actions as one candidate), first-wins and
 * `continue` ignored; two rules that would do the same are one candidate.
 */
function ruleCandidates(
  finding: Finding,
  rules: RepairRule[],
  ctx: PlanContext,
  planned: PlannedAction[],
): RuleCandidate[] {
  const facts = new FindingFacts(finding, ctx);
  const seen = new Set<string>();
  const out: RuleCandidate[] = [];
  for (const rule of rules) {
    const acting = (applyRule(rule, facts, ctx, planned, () => undefined) ?? []).filter(
      (a) => a.type !== 'notify',
    );
    const key = canonicalJson(acting.map((a) => ({ type: a.type, target: a.target, params: a.params })));
    if (acting.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push({ ruleId: rule.id, actions: acting });
  }
  return out;
}

const unavailable = (
  advice: Advice<unknown>,
): advice is Extract<Advice<unknown>, { status: 'unavailable' }> => advice.status === 'unavailable';

async function choose(
  finding: Finding,
  candidates: RuleCandidate[],
  before: number,
  plan: RepairPlan,
  options: ModelPlanOptions,
): Promise<string | undefined> {
  const advice = await options.advisor.choose(finding, candidates);
  if (advice.status !== 'ok') {
    const why = unavailable(advice)
      ? `model unavailable (${advice.reason})`
      : `model reply rejected (${advice.reason})`;
    skip(plan, finding, `${why}: the rules' order decides`);
    return unavailable(advice) ? advice.reason : undefined;
  }
  const chosen = candidates[advice.value.index]!;
  // The rules' acting pick for this finding gives way to the model's; notifications stay.
  const mine = (a: PlannedAction, i: number) =>
    i >= before && a.findingFingerprint === finding.fingerprint && a.type !== 'notify';
  plan.actions = plan.actions.filter((a, i) => !mine(a, i));
  const why = advice.value.why ? ` (${advice.value.why})` : '';
  for (const a of chosen.actions) {
    const action: PlannedAction = {
      ...a,
      source: 'model',
      model: record('chose', advice.exchange),
      reason: `model ${advice.exchange.chatModel} chose rule ${chosen.ruleId} of ${candidates.length} candidates${why}; ${a.reason}`,
    };
    if (!alreadyPlanned(plan.actions, action)) plan.actions.push(action);
  }
  return undefined;
}

async function propose(
  finding: Finding,
  ctx: PlanContext,
  plan: RepairPlan,
  options: ModelPlanOptions,
): Promise<string | undefined> {
  const advice = await options.advisor.propose(finding);
  if (advice.status === 'unavailable') {
    skip(plan, finding, `model unavailable (${advice.reason}): no rule applies, nothing planned`);
    return advice.reason;
  }
  if (advice.status === 'invalid') {
    notifyInstead(finding, ctx, plan, advice.exchange, `model proposal rejected: ${advice.reason}`);
    return undefined;
  }
  const { action: spec, why } = advice.value;
  const rule = ruleSchema.parse({
    id: 'model-proposal',
    description: `proposed by model ${advice.exchange.chatModel}`,
    action: spec,
    mode: options.mode,
  });
  const refusals: string[] = [];
  const allowed = applyRule(rule, new FindingFacts(finding, ctx), ctx, plan.actions, (r) => refusals.push(r));
  if (!allowed?.length) {
    const reason = refusals.join('; ') || 'nothing to act on';
    notifyInstead(
      finding,
      ctx,
      plan,
      advice.exchange,
      `model proposal ${spec.type} refused by policy: ${reason}`,
    );
    return undefined;
  }
  for (const a of allowed) {
    if (alreadyPlanned(plan.actions, a)) continue;
    plan.actions.push({
      ...a,
      source: 'model',
      model: record('proposed', advice.exchange),
      reason: `model ${advice.exchange.chatModel} proposed ${a.type}${why ? ` (${why})` : ''}: ${finding.message}`,
    });
  }
  return undefined;
}

/** A proposal that failed the schema or the policies: tell a person, with the reason, and keep the hashes. */
function notifyInstead(
  finding: Finding,
  ctx: PlanContext,
  plan: RepairPlan,
  exchange: ModelExchange,
  reason: string,
): void {
  skip(plan, finding, `${reason}; notify instead`);
  const rule = ruleSchema.parse({
    id: 'model-fallback-notify',
    description: 'a model proposal was rejected, tell a person',
    action: { type: 'notify' },
    mode: 'auto',
  });
  const facts = new FindingFacts(finding, ctx);
  for (const a of applyRule(rule, facts, ctx, plan.actions, (r) => skip(plan, finding, r)) ?? []) {
    if (alreadyPlanned(plan.actions, a)) continue;
    plan.actions.push({
      ...a,
      model: record('rejected', exchange),
      reason: `${reason}; notify instead: ${finding.message}`,
    });
  }
}
