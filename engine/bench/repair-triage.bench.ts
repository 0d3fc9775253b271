import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { printTable, repoRoot, sharedDatasets, type BenchMain } from './lib.js';
import { loadIntoApiServer } from './repair/loadIntoApiServer.js';
import { naivePlaybook } from './repair/naivePlaybook.js';
import { scoreCase, type CaseScore, type Expected, type TriagePlanLine } from './repair/scoreTriage.js';
import { scanSnapshot } from '../src/repair/detectors/index.js';
import { defaultRepairPolicy, defaultRuleFile } from '../src/repair/rules/defaultRules.js';
import { planRepairs } from '../src/repair/rules/planRepairs.js';
import { readClusterSnapshot } from '../src/repair/snapshot/readClusterSnapshot.js';
import type { ObjectRef } from '../src/repair/types.js';

/**
 * `npm run bench -- repair-triage [--data DIR]` (default ../shared/datasets/k8s_repair_cases).
 * Each case's objects.yaml goes into a bare simulated API server (no controllers), is read back through
 * client-node (readClusterSnapshot), scanned by the default detectors and planned with the default rules in
 * `recommend` mode at the case's `now`. Writes bench-results/repair-triage-plans.jsonl and scores it against each
 * case's expected.json (read only by the scorer), beside two baselines scored the same way: doing nothing, and a
 * naive playbook (restart, scale, drain; bench/repair/naivePlaybook.ts) run on the engine's own findings.
 */
const refText = (r: ObjectRef) => `${r.kind}/${r.namespace}/${r.name}`;

async function planCase(
  dir: string,
  name: string,
): Promise<{ line: TriagePlanLine; playbook: TriagePlanLine }> {
  const { now } = JSON.parse(readFileSync(resolve(dir, 'case.json'), 'utf8')) as { now: string };
  const cluster = await loadIntoApiServer(readFileSync(resolve(dir, 'objects.yaml'), 'utf8'));
  if (cluster.skipped.length > 0)
    console.warn(
      `${name}: the simulated API server does not serve ${[...new Set(cluster.skipped)].join(', ')}`,
    );
  try {
    const { snapshot, errors } = await readClusterSnapshot(cluster.kubeConfig);
    if (errors.length > 0)
      throw new Error(`${name}: reading ${errors.map((e) => `${e.kind} (${e.message})`).join(', ')} failed`);
    const at = new Date(now);
    const findings = scanSnapshot(snapshot, at);
    const actions = planRepairs(
      findings,
      snapshot,
      defaultRuleFile(),
      defaultRepairPolicy({ maxMode: 'recommend' }),
      at,
    );
    const found = findings.map((f) => ({ type: f.type, object: refText(f.object) }));
    return {
      line: {
        case: name,
        findings: found,
        actions: actions.map((a) => ({ type: a.type, target: refText(a.target), params: a.params })),
      },
      playbook: { case: name, findings: found, actions: naivePlaybook(findings) },
    };
  } finally {
    await cluster.server.close();
  }
}

const tally = (scores: CaseScore[]) => ({
  cases: scores.length,
  detected: scores.filter((s) => s.detected).length,
  correct: scores.filter((s) => s.correct).length,
  unsafe: scores.filter((s) => s.unsafe).length,
  healthy_cases: scores.filter((s) => s.healthy).length,
  false_findings: scores.reduce((n, s) => n + s.falseFindings, 0),
});

export const main: BenchMain = async (ctx) => {
  const data = ctx.pathOption('data', resolve(sharedDatasets, 'k8s_repair_cases'));
  const casesDir = resolve(data, 'cases');
  const names = readdirSync(casesDir)
    .filter((n) => existsSync(resolve(casesDir, n, 'objects.yaml')))
    .sort();
  const lines: TriagePlanLine[] = [];
  const started = performance.now();
  const playbooks: TriagePlanLine[] = [];
  for (const name of names) {
    const planned = await planCase(resolve(casesDir, name), name);
    lines.push(planned.line);
    playbooks.push(planned.playbook);
  }
  const msPerCase = (performance.now() - started) / Math.max(1, names.length);
  const out = resolve(repoRoot, 'bench-results', 'repair-triage-plans.jsonl');
  mkdirSync(resolve(repoRoot, 'bench-results'), { recursive: true });
  writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

  const expectedOf = (name: string) => {
    const file = resolve(casesDir, name, 'expected.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Expected) : undefined;
  };
  const scored = lines.flatMap((l, i) => {
    const e = expectedOf(l.case);
    return e
      ? [
          {
            engine: scoreCase(l, e),
            nothing: scoreCase({ case: l.case, findings: [], actions: [] }, e),
            playbook: scoreCase(playbooks[i]!, e),
            line: l,
          },
        ]
      : [];
  });
  printTable(
    'repair-triage: per case (engine)',
    ['case', 'findings', 'actions', 'detected', 'correct', 'unsafe'],
    scored.map(({ engine, line }) => [
      line.case,
      line.findings.map((f) => f.type).join(',') || '-',
      line.actions.map((a) => a.type).join(',') || '-',
      engine.detected ? 'yes' : 'NO',
      engine.correct ? 'yes' : 'NO',
      engine.unsafe ? 'UNSAFE' : 'no',
    ]),
  );
  const engine = tally(scored.map((s) => s.engine));
  const nothing = tally(scored.map((s) => s.nothing));
  const playbook = tally(scored.map((s) => s.playbook));
  printTable(
    `repair-triage: ${engine.cases} cases (plans in ${out})`,
    ['method', 'detected', 'correct', 'unsafe', 'false findings'],
    [
      [
        'engine (default rules, recommend)',
        engine.detected,
        engine.correct,
        engine.unsafe,
        engine.false_findings,
      ],
      ['baseline: do nothing', nothing.detected, nothing.correct, nothing.unsafe, nothing.false_findings],
      [
        'baseline: naive playbook on the same findings',
        playbook.detected,
        playbook.correct,
        playbook.unsafe,
        playbook.false_findings,
      ],
    ],
  );
  return {
    ...engine,
    detection_rate: engine.cases ? engine.detected / engine.cases : 0,
    correct_rate: engine.cases ? engine.correct / engine.cases : 0,
    ms_per_case: msPerCase,
    baseline_nothing_detected: nothing.detected,
    baseline_nothing_correct: nothing.correct,
    baseline_nothing_unsafe: nothing.unsafe,
    baseline_playbook_correct: playbook.correct,
    baseline_playbook_unsafe: playbook.unsafe,
  };
};
