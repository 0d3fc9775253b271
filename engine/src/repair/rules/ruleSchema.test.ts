import { describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { DEFAULT_RULES_YAML, defaultRuleFile } from './defaultRules.js';
import { RuleBook, parseRuleFile } from './loadRules.js';

const file = (rules: string) => `apiVersion: repair.aicloudops.io/v1
kind: RepairRules
rules:
${rules}`;

function issuesOf(text: string): string[] {
  try {
    parseRuleFile(text);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('INVALID_CONFIG');
    return (error as EngineError).issues.map((i) => `${i.field}: ${i.message}`);
  }
  throw new Error('expected the rule file to be rejected');
}

describe('rule file schema', () => {
  it('accepts the shipped defaults, filling defaults for mode, cooldown, budget and blast radius', () => {
    const rules = defaultRuleFile().rules;
    expect(rules.length).toBeGreaterThan(15);
    const rollback = rules.find((r) => r.id === 'bad-rollout-rollback')!;
    expect(rollback).toMatchObject({
      mode: 'approve',
      cooldown: 3600,
      budgetPerNamespacePerHour: 3,
      blastRadius: 0.25,
    });
    expect(rollback.verify).toMatchObject({ for: 300, deadline: 900, interval: 30, failures: 2 });
  });

  it('names the field of a memory raise above 2x', () => {
    const text = file(`  - id: oom
    action: { type: raise-memory-limit, params: { factor: 3 } }`);
    expect(issuesOf(text)).toEqual([
      'rules.0.action.params.factor: must be at most 2 (never more than double)',
    ]);
  });

  it('names unknown finding types, actions outside the catalog, bad durations and modes', () => {
    const text = file(`  - id: a
    match: { types: [PodOnFire] }
    action: { type: notify }
  - id: b
    action: { type: delete-namespace }
  - id: c
    action: { type: notify }
    cooldown: soon
    mode: yolo`);
    const issues = issuesOf(text).join('\n');
    expect(issues).toContain('rules.0.match.types.0');
    expect(issues).toContain('rules.1.action.type');
    expect(issues).toContain('rules.2.cooldown: must be a duration like 30s, 15m, 2h or 1d');
    expect(issues).toContain('rules.2.mode');
  });

  it('rejects scaling down (addReplicas must be at least 1), unknown fields and duplicate ids', () => {
    const text = file(`  - id: s
    action: { type: scale, params: { addReplicas: -2 } }
    colour: red
  - id: s
    action: { type: notify }`);
    const issues = issuesOf(text).join('\n');
    expect(issues).toContain('rules.0.action.params.addReplicas');
    expect(issues).toContain('rules.0');
    expect(issues).toContain('rules.1.id: duplicate rule id s');
  });

  it('reports YAML that does not parse', () => {
    expect(issuesOf('rules: [unclosed')[0]).toMatch(/^\(file\): /);
  });
});

describe('RuleBook', () => {
  it('keeps the rules in force when a reload is broken, and takes a valid one', () => {
    const book = new RuleBook(defaultRuleFile());
    const before = book.current;
    const broken = book.reload(DEFAULT_RULES_YAML.replace('factor: 2 }', 'factor: 5 }'), 'rules.yaml');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.issues[0]!.field).toMatch(/^rules\.\d+\.action\.params\.factor$/);
    expect(book.current).toBe(before);
    const next = book.reload(file('  - id: only-notify\n    action: { type: notify }'));
    expect(next.ok).toBe(true);
    expect(book.current.rules.map((r) => r.id)).toEqual(['only-notify']);
  });
});
