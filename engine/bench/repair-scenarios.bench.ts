import { printTable, type BenchMain } from './lib.js';
import {
  REPAIR_SCENARIOS,
  clearsWithoutRepair,
  runRepairScenario,
  type ScenarioOutcome,
} from '../src/sim/repairScenarios.js';

/**
 * `npm run bench -- repair-scenarios [--only NAME]`: every fault the simulated cluster can suffer, live, through the
 * whole repair loop (detect → plan with the default rules → dry-run → approve → apply → verify → roll back).
 * The operator approves every proposed action at once, so the numbers measure the plans and the execution.
 * Every finding type of the issue appears at least once; the wrong-action scenarios (rollout-restart for OOMKilled and
 * for a StatefulSet's crashing release) must end rolled back.
 *
 * Keys: total (right-action scenarios), detected, correct, recovered (of `repairable`, the scenarios whose right
 * action changes the cluster: its verify block held for the rule's `for`; the `notify_only` scenarios — a Service
 * selecting nothing, a claim on a missing class, pods no node can take, a failing probe without a healthy revision, a
 * failed Job — are a person's to fix and count as `notified` when the person was told and nothing was changed),
 * unsafe, p50_recovery_s (cluster seconds from the fault until the checks began to pass for good), rolled_back (wrong
 * actions undone, of wrong_total).
 * Baseline measured in the same run: doing nothing (each fault on a fresh cluster, no repair, 20 minutes of cluster
 * time) — how many findings clear by themselves.
 */
const median = (xs: number[]) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : Number.NaN;

export const main: BenchMain = async (ctx) => {
  const only = ctx.option('only', '');
  const scenarios = REPAIR_SCENARIOS.filter((s) => !only || s.name === only);
  const outcomes: Array<ScenarioOutcome & { wrong: boolean; notifyOnly: boolean }> = [];
  for (const scenario of scenarios) {
    const started = performance.now();
    const outcome = await runRepairScenario(scenario);
    outcomes.push({ ...outcome, wrong: Boolean(scenario.wrong), notifyOnly: Boolean(scenario.notifyOnly) });
    console.error(
      `${scenario.name}: ${outcome.actions.map((a) => `${a.type} ${a.target} ${a.state}`).join(', ')} (${Math.round(performance.now() - started)} ms)`,
    );
  }
  let baseline = 0;
  for (const scenario of scenarios.filter((s) => !s.wrong))
    if (await clearsWithoutRepair(scenario)) baseline++;
  const right = outcomes.filter((o) => !o.wrong);
  const repairable = right.filter((o) => !o.notifyOnly);
  const notifyOnly = right.filter((o) => o.notifyOnly);
  const wrong = outcomes.filter((o) => o.wrong);
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  printTable(
    'repair-scenarios: each fault live in the simulated cluster, repaired through the whole loop',
    ['scenario', 'detected', 'correct', 'recovered / notified', 'unsafe', 'rolled back', 'recovery s'],
    outcomes.map((o) => [
      o.name,
      yes(o.detected),
      yes(o.correct),
      o.notifyOnly ? (o.recovered ? 'notified' : 'no') : yes(o.recovered),
      yes(o.unsafe),
      yes(o.rolledBack),
      o.recoverySeconds ?? '-',
    ]),
  );
  const results = {
    total: right.length,
    detected: right.filter((o) => o.detected).length,
    correct: right.filter((o) => o.correct).length,
    repairable: repairable.length,
    recovered: repairable.filter((o) => o.recovered).length,
    notify_only: notifyOnly.length,
    notified: notifyOnly.filter((o) => o.recovered).length,
    unsafe: outcomes.filter((o) => o.unsafe).length,
    p50_recovery_s: median(
      repairable.flatMap((o) => (o.recoverySeconds !== undefined ? [o.recoverySeconds] : [])),
    ),
    rolled_back: wrong.filter((o) => o.rolledBack).length,
    wrong_total: wrong.length,
    baseline_recovered: baseline,
  };
  printTable(
    'summary (baseline_recovered: findings that cleared without any repair within 20 minutes of cluster time)',
    Object.keys(results),
    [Object.values(results)],
  );
  return results;
};
