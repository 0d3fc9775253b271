import { rcaConfigSchema, type RcaConfig } from '../../src/rca/config.js';
import { rankCandidates, type ScoreBreakdown } from '../../src/rca/rank/rankCandidates.js';
import { analyzeIncident, scoreMetrics } from '../../src/rca/analyzeIncident.js';
import type { RcaInput, ServiceGraph } from '../../src/rca/types.js';
import { sharedDatasets } from '../lib.js';
import { loadPetshop, petshopInput, sliceTable } from './loadPetshop.js';
import { loadNezhaDays, loadNezhaSystems } from './loadNezha.js';

/**
 * Why the misses miss: for every PetShop issue and Online Boutique (Nezha) fault whose root cause is not ranked
 * first, prints the rank it got, the top candidate, and each of the two services' evidence with the factors the
 * ranking applied (ancestors explained, victim of a callee, outside the target's tree, correlation with the target).
 * Metrics-only cases, as the benchmarks run them: the stages before the ranking are those of analyzeIncident.
 *
 *   node --import tsx bench/rca/diagnoseMisses.ts [petshop|nezha|all] [--rca-config '<json>'] [--all-cases]
 *   node --import tsx bench/rca/diagnoseMisses.ts nezha --rca-config '<json>' --compare '<json>'   (cases whose rank differs)
 */
interface Case {
  name: string;
  truth: string;
  input: RcaInput;
}

function petshopCases(): Case[] {
  const cases: Case[] = [];
  for (const scenario of loadPetshop(`${sharedDatasets}/rca_petshop`)) {
    for (const issue of scenario.issues) {
      const normal = scenario.normal ?? sliceTable(issue.table, 0, 0);
      const input = petshopInput(scenario.graph, normal, issue.table, issue.target.timestamp, issue.target);
      cases.push({
        name: `petshop ${scenario.name}/${issue.split}/${issue.name} ${issue.target.metric}`,
        truth: issue.rootCause,
        input,
      });
    }
  }
  return cases;
}

function nezhaCases(config: RcaConfig): Case[] {
  const dir = `${sharedDatasets}/rca_nezha`;
  const cases: Case[] = [];
  for (const system of loadNezhaSystems(dir)) {
    for (const day of loadNezhaDays(dir, system)) {
      for (const fault of day.faults) {
        const window = {
          baselineStart: fault.time - config.anomaly.baselineSeconds,
          start: fault.time,
          end: fault.time + 300,
        };
        const graph: ServiceGraph = {
          services: [...new Set(day.series.map((s) => s.service))],
          edges: day.edges,
        };
        const at = new Date(fault.time * 1000).toISOString().slice(0, 19);
        cases.push({
          name: `nezha ${system} ${at} ${fault.type}`,
          truth: fault.service,
          input: { window, series: day.series, graph },
        });
      }
    }
  }
  return cases;
}

function explain(input: RcaInput, config: RcaConfig): ScoreBreakdown[] {
  const { anomalies, baseline } = scoreMetrics(input, config);
  const out = rankCandidates(
    {
      anomalies,
      graph: input.graph,
      target: input.target,
      side: new Map(),
      window: input.window,
      gateOnTarget: baseline.kind !== 'across-services',
      explain: true,
    },
    { ...config, ranking: { ...config.ranking, maxCandidates: Number.MAX_SAFE_INTEGER } },
  );
  return out.breakdown ?? [];
}

function line(b: ScoreBreakdown | undefined, label: string): string {
  if (!b) return `  ${label}: not anomalous`;
  const f = b.factors;
  return `  ${label} ${b.service}: score ${b.score} = evidence ${b.evidence} (caller view ${b.callerView}) × ancestors ${f.ancestors} × callee ${f.callee} × unreachable ${f.unreachable} × corr ${f.correlation}; ${b.signals.join(' ')}`;
}

function main(): void {
  const args = process.argv.slice(2);
  const which = args.find((a) => !a.startsWith('--')) ?? 'all';
  const raw = args.includes('--rca-config') ? args[args.indexOf('--rca-config') + 1] : undefined;
  const config = rcaConfigSchema.parse(raw ? JSON.parse(raw) : {});
  const everyCase = args.includes('--all-cases');
  const cases = [
    ...(which !== 'nezha' ? petshopCases() : []),
    ...(which !== 'petshop' ? nezhaCases(config) : []),
  ];
  if (args.includes('--compare')) {
    // Cases whose rank differs between the config above and the one given after --compare.
    const other = rcaConfigSchema.parse(JSON.parse(args[args.indexOf('--compare') + 1]!));
    for (const c of cases) {
      const a = analyzeIncident(c.input, config).candidates.map((x) => x.service);
      const b = analyzeIncident(c.input, other).candidates.map((x) => x.service);
      const ra = a.indexOf(c.truth) + 1;
      const rb = b.indexOf(c.truth) + 1;
      if (ra !== rb)
        console.log(
          `${c.name} truth=${c.truth} rank ${ra || '-'} -> ${rb || '-'} (top ${a[0] ?? '-'} -> ${b[0] ?? '-'})`,
        );
    }
    return;
  }
  let misses = 0;
  for (const c of cases) {
    const ranking = analyzeIncident(c.input, config).candidates.map((x) => x.service);
    const rank = ranking.indexOf(c.truth) + 1;
    if (rank === 1 && !everyCase) continue;
    if (rank !== 1) misses++;
    const edges = c.input.graph.edges;
    const top = ranking[0];
    const relation = top
      ? edges.some((e) => e.from === top && e.to === c.truth)
        ? 'top calls truth'
        : edges.some((e) => e.from === c.truth && e.to === top)
          ? 'truth calls top'
          : 'not adjacent'
      : '';
    console.log(`${c.name} truth=${c.truth} rank=${rank || '-'} top=${top ?? '(none)'} ${relation}`);
    const breakdown = explain(c.input, config);
    console.log(line(breakdown[0], '#1'));
    if (rank !== 1)
      console.log(
        line(
          breakdown.find((b) => b.service === c.truth),
          `#${rank || '-'}`,
        ),
      );
  }
  console.log(`${misses} of ${cases.length} cases with the root cause not first`);
}

main();
