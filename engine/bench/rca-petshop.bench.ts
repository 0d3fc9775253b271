import { benchRcaConfig } from './rca/benchConfig.js';
import { printTable, sharedDatasets, type BenchMain } from './lib.js';
import { loadPetshop, petshopInput, sliceTable } from './rca/loadPetshop.js';
import { nSigmaRanking } from './rca/nSigma.js';
import { analyzeIncident } from '../src/rca/analyzeIncident.js';

/**
 * PetShop RCA (Hardt et al., CLeaR 2024; data CC BY 4.0, Amazon.com, Inc.): top-1/top-3 recall of the root-cause
 * node over every issue present, and specificity on the normal period as upstream defines it (slide a split from
 * 50% to the end in 10% steps, the tail is "abnormal", correct when no root cause is returned). The N-sigma
 * baseline runs on the same inputs in the same run. Scenarios without a normal period are reported and skipped.
 */
export const main: BenchMain = async (ctx) => {
  const dir = ctx.pathOption('data', `${sharedDatasets}/rca_petshop`);
  const config = benchRcaConfig(ctx);
  const scenarios = loadPetshop(dir);
  const verbose = ctx.options.verbose === true;

  type Tally = { n: number; top1: number; top3: number; b1: number; b3: number };
  const tallies = new Map<string, Tally>();
  const add = (key: string, ok1: boolean, ok3: boolean, b1: boolean, b3: boolean) => {
    const t = tallies.get(key) ?? { n: 0, top1: 0, top3: 0, b1: 0, b3: 0 };
    t.n++;
    t.top1 += +ok1;
    t.top3 += +ok3;
    t.b1 += +b1;
    t.b3 += +b3;
    tallies.set(key, t);
  };
  const specificity: Array<{ key: string; ours: number; baseline: number }> = [];
  const skipped: string[] = [];
  // The issue's "a candidate for every issue": issues whose analysis lists at least one service.
  let withCandidate = 0;

  for (const scenario of scenarios) {
    if (!scenario.normal) {
      // No normal period: the issue's own rows before the onset are the only baseline (scored all the same).
      skipped.push(
        `${scenario.name} (${scenario.issues.length} issues, no noissue/metrics.csv: baseline = pre-onset rows only; no specificity)`,
      );
    }
    for (const issue of scenario.issues) {
      const normal = scenario.normal ?? sliceTable(issue.table, 0, 0);
      const input = petshopInput(scenario.graph, normal, issue.table, issue.target.timestamp, issue.target);
      const ours = analyzeIncident(input, config).candidates.map((c) => c.service);
      withCandidate += +(ours.length > 0);
      const base = nSigmaRanking(input).map((c) => c.service);
      const hit = (list: string[], k: number) => list.slice(0, k).includes(issue.rootCause);
      const row = [hit(ours, 1), hit(ours, 3), hit(base, 1), hit(base, 3)] as const;
      add('all', ...row);
      add(issue.split, ...row);
      add(`${scenario.name}/${issue.split}`, ...row);
      add(`${scenario.name}/${issue.split}/${issue.target.metric}`, ...row);
      if (verbose) {
        console.log(
          `${scenario.name}/${issue.split}/${issue.name} ${issue.target.metric} truth=${issue.rootCause} ours=${ours.slice(0, 3).join(', ')}`,
        );
      }
    }
    if (!scenario.normal) continue;
    // Specificity, as upstream: one run per distinct target of the scenario's issues.
    const targets = new Map(
      scenario.issues.map((i) => [`${i.target.node}|${i.target.metric}|${i.target.agg}`, i.target]),
    );
    const rows = scenario.normal.timestamps.length;
    for (const target of targets.values()) {
      let ours = 0;
      let baseline = 0;
      let runs = 0;
      for (let split = Math.floor(rows / 2); split < rows - 3; split += Math.floor(rows * 0.1)) {
        const head = sliceTable(scenario.normal, 0, split);
        const tail = sliceTable(scenario.normal, split, rows);
        const input = petshopInput(scenario.graph, head, tail, tail.timestamps[0]!, target);
        runs++;
        ours += +(analyzeIncident(input, config).candidates.length === 0);
        baseline += +(nSigmaRanking(input).length === 0);
      }
      specificity.push({
        key: `${scenario.name}/${target.metric}`,
        ours: ours / runs,
        baseline: baseline / runs,
      });
    }
  }

  const rows = [...tallies].map(([key, t]) => [key, t.n, t.top1 / t.n, t.top3 / t.n, t.b1 / t.n, t.b3 / t.n]);
  printTable(
    'PetShop RCA: top-k recall of the root-cause node',
    ['issues', 'n', 'top1', 'top3', 'N-sigma top1', 'N-sigma top3'],
    rows,
  );
  printTable(
    'PetShop specificity on normal data (fraction of splits with no root cause returned)',
    ['scenario/target', 'ours', 'N-sigma'],
    specificity.map((s) => [s.key, s.ours, s.baseline]),
  );
  if (skipped.length) console.log(`note: ${skipped.join('; ')}`);
  const all = tallies.get('all') ?? { n: 0, top1: 0, top3: 0, b1: 0, b3: 0 };
  console.log(`issues with at least one candidate: ${withCandidate} of ${all.n} (with_candidate)`);

  // Each scenario/split as its own fold (leave-one-scenario-out reads them side by side), and their spread.
  const folds = [...tallies].filter(([key]) => key.split('/').length === 2);
  const perFold: Record<string, number> = {};
  for (const [key, t] of folds) {
    const name = key.replace('/', '_');
    perFold[`${name}_top1`] = t.top1 / t.n;
    perFold[`${name}_top3`] = t.top3 / t.n;
  }
  const top1s = folds.map(([, t]) => t.top1 / t.n);
  const test = tallies.get('test');
  const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  return {
    issues: all.n,
    top1: all.top1 / all.n,
    top3: all.top3 / all.n,
    with_candidate: withCandidate / all.n,
    specificity: avg(specificity.map((s) => s.ours)),
    baseline_top1: all.b1 / all.n,
    baseline_top3: all.b3 / all.n,
    baseline_specificity: avg(specificity.map((s) => s.baseline)),
    fold_top1_min: Math.min(...top1s),
    fold_top1_max: Math.max(...top1s),
    ...perFold,
    ...(test
      ? {
          test_issues: test.n,
          test_top1: test.top1 / test.n,
          test_top3: test.top3 / test.n,
          test_baseline_top1: test.b1 / test.n,
          test_baseline_top3: test.b3 / test.n,
        }
      : {}),
  };
};
