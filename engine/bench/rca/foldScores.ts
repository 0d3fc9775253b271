import { rcaConfigSchema } from '../../src/rca/config.js';
import { analyzeIncident } from '../../src/rca/analyzeIncident.js';
import type { ServiceGraph } from '../../src/rca/types.js';
import { sharedDatasets } from '../lib.js';
import { loadPetshop, petshopInput, sliceTable } from './loadPetshop.js';
import { loadNezhaDays, loadNezhaSystems, NEZHA_FAULT_TYPE } from './loadNezha.js';

/**
 * Top-1 / top-3 (and fault type right among the causes found) per fold of the RCA protocol's offline folds (PetShop low_traffic/train, high_traffic/train,
 * temporal_traffic1/train, temporal_traffic2/train, low_traffic/test; Online Boutique in Nezha), for the defaults and
 * for each `--rca-config` JSON given, in one table: the quick loop for checking a change in every fold at once
 * (rca-live, the last fold, runs its own benchmark). The benchmarks stay the reference numbers.
 *
 *   node --import tsx bench/rca/foldScores.ts [--loso] ['{}' '{"ranking":{"explainedByCallee":0.3}}' ...]   (no config: the defaults)
 * With --loso, each fold's config is chosen on the other folds (see leaveOneOut).
 */
export type Fold = { n: number; top1: number; top3: number; found: number; typeRight: number };

/**
 * PetShop's target metric is the symptom its injected fault produces (delays → latency, error rates → availability),
 * so it names the fault type (a fact about the data, not tuning); Online Boutique's fault list names the chaos type.
 */
const PETSHOP_TYPE: Record<string, string> = { latency: 'latency', availability: 'errors' };

export function scores(raw: string): Map<string, Fold> {
  const config = rcaConfigSchema.parse(JSON.parse(raw));
  const folds = new Map<string, Fold>();
  const add = (
    fold: string,
    candidates: Array<{ service: string; faultType: string }>,
    truth: string,
    type: string | undefined,
  ) => {
    const f = folds.get(fold) ?? { n: 0, top1: 0, top3: 0, found: 0, typeRight: 0 };
    const ranking = candidates.map((c) => c.service);
    const cause = candidates.find((c) => c.service === truth);
    f.n++;
    f.top1 += +(ranking[0] === truth);
    f.top3 += +ranking.slice(0, 3).includes(truth);
    f.found += +(cause !== undefined);
    f.typeRight += +(cause !== undefined && cause.faultType === type);
    folds.set(fold, f);
  };
  for (const scenario of loadPetshop(`${sharedDatasets}/rca_petshop`)) {
    for (const issue of scenario.issues) {
      const normal = scenario.normal ?? sliceTable(issue.table, 0, 0);
      const input = petshopInput(scenario.graph, normal, issue.table, issue.target.timestamp, issue.target);
      add(
        `${scenario.name}/${issue.split}`,
        analyzeIncident(input, config).candidates,
        issue.rootCause,
        PETSHOP_TYPE[issue.target.metric],
      );
    }
  }
  const dir = `${sharedDatasets}/rca_nezha`;
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
        add(
          `nezha/${system}`,
          analyzeIncident({ window, series: day.series, graph }, config).candidates,
          fault.service,
          NEZHA_FAULT_TYPE[fault.type],
        );
      }
    }
  }
  return folds;
}

/** top-1/top-3 (fault type right among the causes found). */
const fmt = (f: Fold | undefined) =>
  f ? `${(f.top1 / f.n).toFixed(3)}/${(f.top3 / f.n).toFixed(3)} (type ${f.typeRight}/${f.found})` : '-';

/**
 * Leave one fold out: for each fold, the config with the best mean over the other folds of (top-1 + top-3) / 2 is
 * chosen (ties: the first listed, so list the behaviour before the change first) and scored on the held-out fold.
 */
function leaveOneOut(configs: string[], results: Array<Map<string, Fold>>, names: string[]): void {
  const value = (f: Fold) => (f.top1 + f.top3) / (2 * f.n);
  console.log('\nleave one fold out (choice made on the other folds):');
  const held: number[] = [];
  for (const fold of names) {
    let best = 0;
    let bestValue = -Infinity;
    results.forEach((r, i) => {
      const others = names.filter((n) => n !== fold).map((n) => value(r.get(n)!));
      const mean = others.reduce((a, b) => a + b, 0) / others.length;
      if (mean > bestValue + 1e-12) {
        bestValue = mean;
        best = i;
      }
    });
    const f = results[best]!.get(fold)!;
    held.push(f.top1 / f.n);
    console.log(
      `${fold}\tchosen ${configs[best]}\theld-out ${fmt(f)}\tfirst listed ${fmt(results[0]!.get(fold))}`,
    );
  }
  const mean = held.reduce((a, b) => a + b, 0) / held.length;
  const sd = Math.sqrt(held.reduce((a, b) => a + (b - mean) ** 2, 0) / held.length);
  console.log(
    `held-out top-1 mean ${mean.toFixed(3)}, sd ${sd.toFixed(3)}, min ${Math.min(...held).toFixed(3)}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const listed = args.filter((a) => a !== '--loso');
  const configs = listed.length > 0 ? listed : ['{}'];
  const results = configs.map(scores);
  const names = [...results[0]!.keys()].sort();
  console.log(['config', ...names].join('\t'));
  configs.forEach((c, i) => console.log([c, ...names.map((n) => fmt(results[i]!.get(n)))].join('\t')));
  if (args.includes('--loso')) leaveOneOut(configs, results, names);
}
