import { printTable, sharedDatasets, type BenchMain } from './lib.js';
import { loadDrainBaseline, loadLoghub } from './rca/loadLoghub.js';
import { scoreParsing } from './rca/loghubAccuracy.js';
import { Drain } from '../src/rca/logs/Drain.js';
import { compileMasks } from '../src/rca/logs/masking.js';
import { rcaConfigSchema } from '../src/rca/config.js';

/**
 * Log template mining accuracy on Loghub-2k (corrected ground truth): GA, FGA, PA, FTA per system, beside Drain's
 * published numbers. Our miner runs with the engine's default config for every system (no per-system regexes or
 * thresholds, unlike the published Drain runs).
 */
export const main: BenchMain = async (ctx) => {
  const dir = ctx.pathOption('data', `${sharedDatasets}/loghub_2k`);
  const systems = loadLoghub(dir);
  if (systems.length === 0) throw new Error(`no <System>/<System>_2k.log_structured_corrected.csv under ${dir}`);
  const published = loadDrainBaseline(dir);
  const settings = rcaConfigSchema.parse({}).logs;
  const masks = compileMasks(settings.extraMasks);

  const rows: Array<Array<string | number>> = [];
  const sums = { ga: 0, fga: 0, pa: 0, fta: 0 };
  const pub = { ga: 0, fga: 0, pa: 0, fta: 0, n: 0 };
  let lines = 0;
  let seconds = 0;
  for (const system of systems) {
    const drain = new Drain({ ...settings, masks });
    const started = performance.now();
    const ids = system.contents.map((line) => drain.add(line).id);
    seconds += (performance.now() - started) / 1000;
    lines += system.contents.length;
    const templates = ids.map((id) => Drain.template(drain.cluster(id)!));
    const s = scoreParsing(system.eventIds, system.templates, ids, templates);
    sums.ga += s.ga;
    sums.fga += s.fga;
    sums.pa += s.pa;
    sums.fta += s.fta;
    const base = published.get(system.name);
    if (base) {
      pub.ga += base.ga ?? 0;
      pub.fga += base.fga ?? 0;
      pub.pa += base.pa ?? 0;
      pub.fta += base.fta ?? 0;
      pub.n++;
    }
    const b = (k: string) => (base?.[k] !== undefined ? base[k]! : '-');
    rows.push([system.name, s.ga, b('ga'), s.fga, b('fga'), s.pa, b('pa'), s.fta, b('fta'), `${s.predictedGroups}/${s.groundTruthGroups}`]);
  }
  const n = systems.length;
  const avg = { ga: sums.ga / n, fga: sums.fga / n, pa: sums.pa / n, fta: sums.fta / n };
  rows.push([
    'Average',
    avg.ga,
    pub.n ? pub.ga / pub.n : '-',
    avg.fga,
    pub.n ? pub.fga / pub.n : '-',
    avg.pa,
    pub.n ? pub.pa / pub.n : '-',
    avg.fta,
    pub.n ? pub.fta / pub.n : '-',
    '',
  ]);
  printTable(
    `Log parsing on Loghub-2k corrected (${n} systems; "Drain" = published numbers, averaged over the systems that have one)`,
    ['system', 'GA', 'Drain GA', 'FGA', 'Drain FGA', 'PA', 'Drain PA', 'FTA', 'Drain FTA', 'groups pred/true'],
    rows,
  );
  console.log(`throughput on these lines (includes warm-up): ${(lines / seconds).toFixed(0)} lines/s`);
  return {
    ...avg,
    drain_ga: pub.n ? pub.ga / pub.n : NaN,
    drain_fga: pub.n ? pub.fga / pub.n : NaN,
    drain_pa: pub.n ? pub.pa / pub.n : NaN,
    drain_fta: pub.n ? pub.fta / pub.n : NaN,
    systems: n,
  };
};
