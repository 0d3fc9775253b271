import { z } from 'zod';
import { redactSecretsText } from '../../util/redact.js';
import { actionSpecSchema } from '../rules/ruleSchema.js';
import type { Finding, PlannedAction, RuleCandidate } from '../types.js';

/**
 * The prompt a model gets about one finding. It carries the catalog as the JSON Schema of the rule file's action
 * spec (the same zod schema the reply is checked against, so the two cannot drift), the finding and its evidence
 * with secrets redacted, and, when the rules offer several actions, the numbered candidates. Nothing here depends on
 * the clock (no "held for" seconds): the same condition gives the same prompt, so its hash repeats and a cached
 * reply can be reused across scans.
 */

export interface RepairPrompt {
  system: string;
  prompt: string;
}

/** Evidence lines sent: enough to tell a crash from a config error; more only costs tokens. */
const MAX_EVENTS = 8;
const MAX_LOG_LINES = 20;

const CATALOG_SCHEMA = JSON.stringify(z.toJSONSchema(actionSpecSchema, { io: 'input' }));

const SYSTEM_PROPOSE = `You advise the repair planner of a Kubernetes operations engine. You never act on the cluster:
the engine checks what you say against its schema and safety policies, and a person approves any change.
Choose ONE action for the finding from this fixed catalog (JSON Schema of {type, params}):
${CATALOG_SCHEMA}
The engine picks the target object from the finding; rollback always returns to the previous healthy revision.
Prefer {"type":"notify"} whenever a change might not fix the cause (configuration errors, missing objects, capacity).
Answer with one JSON object and nothing else: {"action": {"type": "...", "params": {...}}, "why": "one sentence"}`;

const SYSTEM_CHOOSE = `You advise the repair planner of a Kubernetes operations engine. You never act on the cluster:
the engine's rules already allow every candidate below, and its policies and approvals still apply to your pick.
Pick the ONE candidate most likely to fix the cause with the least disruption.
Answer with one JSON object and nothing else: {"choice": <candidate number>, "why": "one sentence"}`;

function describeFinding(finding: Finding): string {
  const ref = (o: { kind: string; namespace: string; name: string }) =>
    `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  const lines = [
    `Finding: ${finding.type} (${finding.severity}) on ${ref(finding.object)}`,
    `Workload: ${ref(finding.workload)}; owners: ${finding.owners.map(ref).join(' -> ') || 'none'}`,
    `Since: ${finding.since}${finding.rate ? `; getting worse at ${finding.rate.value} ${finding.rate.unit}` : ''}`,
    `Message: ${finding.message}`,
    'Statuses:',
    ...finding.evidence.statuses.map((s) => `- ${s}`),
    'Events:',
    ...finding.evidence.events
      .slice(0, MAX_EVENTS)
      .map((e) => `- ${e.type} ${e.reason} x${e.count}: ${e.message}`),
  ];
  const logs = finding.evidence.logTail.slice(-MAX_LOG_LINES);
  if (logs.length) lines.push('Log tail:', ...logs.map((l) => `| ${l}`));
  return redactSecretsText(lines.join('\n'));
}

/** Asks for one catalog action where no rule applies to the finding. */
export function proposalPrompt(finding: Finding): RepairPrompt {
  return { system: SYSTEM_PROPOSE, prompt: describeFinding(finding) };
}

/** Asks which of the rules' candidate actions (numbered from 1) to take. */
export function choicePrompt(finding: Finding, candidates: RuleCandidate[]): RepairPrompt {
  const one = (a: PlannedAction) =>
    `${a.type} on ${a.target.kind}/${a.target.name} params ${JSON.stringify(a.params)}`;
  const listed = candidates.map(
    (c, i) => `${i + 1}. ${c.actions.map(one).join('; ')} (rule ${c.ruleId}: ${c.actions[0]?.reason ?? ''})`,
  );
  return {
    system: SYSTEM_CHOOSE,
    prompt: redactSecretsText(`${describeFinding(finding)}\nCandidates:\n${listed.join('\n')}`),
  };
}
