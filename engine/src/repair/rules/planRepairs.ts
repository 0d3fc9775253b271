import type {
  ClusterSnapshot,
  Finding,
  MaintenanceWindow,
  PlannedAction,
  RecentAction,
  RepairMode,
  RepairPolicy,
  RepairRule,
  RuleFile,
} from '../types.js';
import { indexSnapshot, type AnyObject } from '../snapshot/SnapshotIndex.js';
import { toMillis } from '../snapshot/time.js';
import { buildActions, type BuiltAction } from './buildActions.js';
import { failedConditions } from './conditions.js';
import { FindingFacts, type PlanContext } from './FindingFacts.js';
import { refusalOf } from './safetyGuards.js';

/** A rule that matched a finding but planned nothing, and why (for `repair plan --explain` and the audit). */
export interface SkippedRule {
  findingFingerprint: string;
  ruleId: string;
  reason: string;
}

export interface RepairPlan {
  actions: PlannedAction[];
  skipped: SkippedRule[];
}

const MODE_ORDER: RepairMode[] = ['observe', 'recommend', 'approve', 'auto'];
const lower = (a: RepairMode, b: RepairMode): RepairMode =>
  MODE_ORDER.indexOf(a) <= MODE_ORDER.indexOf(b) ? a : b;

function matches(rule: RepairRule, finding: Finding, facts: FindingFacts): boolean {
  const ns = finding.object.namespace;
  const { types, namespaces, labels } = rule.match;
  if (types && !types.includes(finding.type)) return false;
  if (namespaces && !namespaces.includes(ns)) return false;
  const w = finding.workload;
  const workloadLabels = facts.index.get<AnyObject>(w.kind, w.namespace, w.name)?.metadata?.labels ?? {};
  if (labels && !Object.entries(labels).every(([k, v]) => workloadLabels[k] === v)) return false;
  const ex = rule.exclude;
  if (ex?.namespaces?.includes(ns)) return false;
  if (ex?.labels && Object.entries(ex.labels).some(([k, v]) => workloadLabels[k] === v)) return false;
  return true;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Inside a window (UTC; a window whose end is before its start runs over midnight). */
export function inMaintenanceWindow(windows: MaintenanceWindow[], now: Date): boolean {
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  return windows.some((w) => {
    const start = minutesOf(w.start);
    const end = minutesOf(w.end);
    const day = start <= end || minute >= start ? now.getUTCDay() : (now.getUTCDay() + 6) % 7;
    if (w.days && !w.days.includes(day)) return false;
    return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
  });
}

/**
 * The mode an action runs in: the rule's, capped by the policy (`recommend` everywhere is shadow mode), `observe`
 * under the kill switch, and at most `recommend` outside the rule's maintenance windows.
 */
function modeFor(rule: RepairRule, action: BuiltAction, policy: RepairPolicy, now: Date): RepairMode {
  if (policy.killSwitch) return 'observe';
  // `approve` caps acting; telling a person is not acting, so a notify keeps its rule's mode unless the policy is
  // in shadow (`recommend`) or `observe` mode.
  const shadow = MODE_ORDER.indexOf(policy.maxMode) < MODE_ORDER.indexOf('approve');
  let mode = action.type === 'notify' && !shadow ? rule.mode : lower(rule.mode, policy.maxMode);
  if (
    action.type !== 'notify' &&
    rule.maintenanceWindows &&
    !inMaintenanceWindow(rule.maintenanceWindows, now)
  ) {
    mode = lower(mode, 'recommend');
  }
  return mode;
}

const sameTarget = (
  a: { type: string; target: { kind: string; namespace: string; name: string } },
  b: typeof a,
) =>
  a.type === b.type &&
  a.target.kind === b.target.kind &&
  a.target.namespace === b.target.namespace &&
  a.target.name === b.target.name;

/** The window of `budgetPerNamespacePerHour`. */
export const BUDGET_WINDOW_SECONDS = 3600;

/** Why the rule's budget or cooldown holds the action back, given past actions and those already planned. */
function throttled(
  rule: RepairRule,
  action: BuiltAction,
  ctx: PlanContext,
  planned: PlannedAction[],
): string | undefined {
  const now = ctx.now.getTime();
  const recent = (seconds: number) => (r: RecentAction) => now - (toMillis(r.at) ?? 0) < seconds * 1000;
  // Any rule's action of the same type on the same target counts: two rules must not take turns on one workload.
  if (ctx.history.filter(recent(rule.cooldown)).some((r) => sameTarget(r, action))) {
    return `cooldown: ${action.type} on ${action.target.kind}/${action.target.name} ran within ${rule.cooldown}s`;
  }
  if (action.type === 'notify') return undefined;
  const ns = action.target.namespace;
  // The budget counts this action type in the namespace whichever rule planned it ("3 rollbacks an hour in shop").
  const spent =
    ctx.history
      .filter(recent(BUDGET_WINDOW_SECONDS))
      .filter((r) => r.type === action.type && r.target.namespace === ns).length +
    planned.filter((p) => p.type === action.type && p.target.namespace === ns).length;
  return spent >= rule.budgetPerNamespacePerHour
    ? `budget: ${rule.budgetPerNamespacePerHour} ${action.type} actions per hour in namespace ${ns || '(cluster)'} spent`
    : undefined;
}

/**
 * One rule for one finding: undefined when it does not apply (match or conditions fail), else the actions it allows
 * after the safety guards, budgets and cooldowns (possibly none; each refusal goes to `skip`). The model's proposals
 * (planWithModel.ts) go through here too, as a one-rule file, so the same policies decide them.
 */
export function applyRule(
  rule: RepairRule,
  facts: FindingFacts,
  ctx: PlanContext,
  planned: PlannedAction[],
  skip: (reason: string) => void,
): PlannedAction[] | undefined {
  const finding = facts.finding;
  if (!matches(rule, finding, facts) || failedConditions(rule, facts).length > 0) return undefined;
  const built = buildActions(rule, facts);
  if ('refused' in built) {
    skip(built.refused);
    return [];
  }
  return built.actions
    .filter((a) => {
      const reason = refusalOf(a, facts) ?? throttled(rule, a, ctx, planned);
      if (reason) skip(reason);
      return !reason;
    })
    .map((a) => ({
      ...a,
      mode: modeFor(rule, a, ctx.policy, ctx.now),
      ruleId: rule.id,
      ruleVersion: rule.version,
      findingFingerprint: finding.fingerprint,
      reason: `${rule.description ?? rule.id}: ${finding.message}`,
      source: 'rules' as const,
    }));
}

/** The same change already planned (a second finding on one workload asks for the same rollback). */
export const alreadyPlanned = (planned: PlannedAction[], a: PlannedAction): boolean =>
  planned.some((p) => sameTarget(p, a) && p.params['container'] === a.params['container']);

/** Plans one finding into `plan`; true when some rule applied to it (whether or not it planned anything). */
export function planFinding(
  finding: Finding,
  rules: RepairRule[],
  ctx: PlanContext,
  plan: RepairPlan,
): boolean {
  const facts = new FindingFacts(finding, ctx);
  let applied = false;
  for (const rule of rules) {
    const skip = (reason: string) =>
      plan.skipped.push({ findingFingerprint: finding.fingerprint, ruleId: rule.id, reason });
    const allowed = applyRule(rule, facts, ctx, plan.actions, skip);
    if (!allowed) continue;
    applied = true;
    if (allowed.length === 0) continue;
    for (const a of allowed) if (!alreadyPlanned(plan.actions, a)) plan.actions.push(a);
    if (!rule.continue) return applied;
  }
  return applied;
}

export function planContext(
  snapshot: ClusterSnapshot,
  policy: RepairPolicy,
  now: Date,
  history: RecentAction[],
): PlanContext {
  return { index: indexSnapshot(snapshot), policy, now, history };
}

/**
 * DECIDE: the actions the rules call for, in rule order per finding (the first rule that applies wins unless it
 * says `continue`), each checked against the safety guards, budgets and cooldowns. Pure: reads the snapshot and the
 * history of past actions, writes nothing; the ACT half executes what comes out.
 */
export function planRepairsWithReasons(
  findings: Finding[],
  snapshot: ClusterSnapshot,
  rules: RuleFile,
  policy: RepairPolicy,
  now: Date,
  history: RecentAction[] = [],
): RepairPlan {
  const ctx = planContext(snapshot, policy, now, history);
  const plan: RepairPlan = { actions: [], skipped: [] };
  for (const finding of findings) planFinding(finding, rules.rules, ctx, plan);
  return plan;
}

export function planRepairs(
  findings: Finding[],
  snapshot: ClusterSnapshot,
  rules: RuleFile,
  policy: RepairPolicy,
  now: Date,
  history: RecentAction[] = [],
): PlannedAction[] {
  return planRepairsWithReasons(findings, snapshot, rules, policy, now, history).actions;
}
