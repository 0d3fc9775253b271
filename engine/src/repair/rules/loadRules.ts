import { parse } from 'yaml';
import { EngineError, describeIssues, fieldIssuesFromZod, type FieldIssue } from '../../errors.js';
import { repairPolicySchema, ruleFileSchema, type RepairPolicy, type RuleFile } from './ruleSchema.js';

/** Parses and validates a rule file; INVALID_CONFIG with one issue per bad field otherwise. */
export function parseRuleFile(text: string, source = 'rules'): RuleFile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new EngineError('INVALID_CONFIG', `${source}: not valid YAML: ${(error as Error).message}`, {
      issues: [{ field: '(file)', message: (error as Error).message }],
    });
  }
  const result = ruleFileSchema.safeParse(raw);
  if (!result.success) {
    // Paths like `rules.2.action.params.factor`: the rule's index and the field a person fixes in the YAML.
    const issues = fieldIssuesFromZod(result.error.issues);
    throw new EngineError('INVALID_CONFIG', `${source}: ${describeIssues(issues)}`, { issues });
  }
  return result.data;
}

export function parseRepairPolicy(input: unknown): RepairPolicy {
  const result = repairPolicySchema.safeParse(input ?? {});
  if (!result.success)
    throw new EngineError('INVALID_CONFIG', 'repair policy is invalid', {
      issues: fieldIssuesFromZod(result.error.issues, 'policy'),
    });
  return result.data;
}

export type ReloadResult =
  { ok: true; rules: RuleFile } | { ok: false; issues: FieldIssue[]; message: string };

/**
 * The rules in force. A reload that fails validation changes nothing: the previous rules stay in force and the
 * caller gets the errors naming each bad field.
 */
export class RuleBook {
  private rules: RuleFile;

  constructor(initial: RuleFile) {
    this.rules = initial;
  }

  get current(): RuleFile {
    return this.rules;
  }

  reload(text: string, source?: string): ReloadResult {
    try {
      this.rules = parseRuleFile(text, source);
      return { ok: true, rules: this.rules };
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      return { ok: false, issues: error.issues, message: error.message };
    }
  }
}
