import { benchRcaConfig } from './rca/benchConfig.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { printTable, sharedDatasets, type BenchMain } from './lib.js';
import { loadNezhaDays, loadNezhaSystems, NEZHA_FAULT_TYPE, nezhaLogs, nezhaSpans } from './rca/loadNezha.js';
import { nSigmaRanking } from './rca/nSigma.js';
import { analyzeIncident } from '../src/rca/analyzeIncident.js';
import { seriesFromSpans } from '../src/rca/traces/seriesFromSpans.js';
import {
  correlationGraphSettings,
  learnGraphFromCorrelation,
} from '../src/rca/graph/learnGraphFromCorrelation.js';
import type { RcaInput, ServiceGraph } from '../src/rca/types.js';

/**
 * Nezha (Yu et al., FSE 2023; MIT): service-level AS@k for every system folder present, with every modality the folder
 * has (metrics; logs and traces when present). Each injected fault is one incident: the window starts at the
 * injection time and lasts `--incident-seconds` (default 300: the faults here are ~8 minutes apart), the baseline is
 * the engine's configured baseline before it. No target is given: the ranking must find the service on its own.
 */
export const main: BenchMain = async (ctx) => {
  const dir = ctx.pathOption('data', `${sharedDatasets}/rca_nezha`);
  const incidentSeconds = ctx.numberOption('incident-seconds', 300);
  const traceBucketSeconds = ctx.numberOption('trace-bucket-seconds', 30);
  const verbose = ctx.options.verbose === true;
  const config = benchRcaConfig(ctx);
  const systems = existsSync(join(dir, 'fault_list.json')) ? [] : loadNezhaSystems(dir);
  if (systems.length === 0) throw new Error(`no system folders with <day>/fault_list.json under ${dir}`);

  const rows: Array<Array<string | number>> = [];
  const totals = { n: 0, as1: 0, as3: 0, as5: 0, b1: 0, b3: 0, b5: 0, typeRight: 0 };
  const byType = new Map<string, { n: number; as1: number; as3: number; typeRight: number }>();
  type Ablation = {
    n: number;
    learned: number[];
    none: number[];
    dataset: number[];
    precision: number;
    recall: number;
  };
  const graphAblation = new Map<string, Ablation>();
  for (const system of systems) {
    const t = { n: 0, as1: 0, as3: 0, as5: 0, b1: 0, b3: 0, b5: 0, typeRight: 0 };
    const modalities = new Set<string>(['metrics']);
    for (const day of loadNezhaDays(dir, system)) {
      for (const fault of day.faults) {
        const window = {
          baselineStart: fault.time - config.anomaly.baselineSeconds,
          start: fault.time,
          end: fault.time + incidentSeconds,
        };
        const series = [...day.series];
        const edges = [...day.edges];
        const logs = nezhaLogs(day, window.end, fault.time);
        if (logs.length) modalities.add('logs');
        const spans = nezhaSpans(day, window.end, fault.time);
        if (spans.length) {
          modalities.add('traces');
          const fromSpans = seriesFromSpans(spans, traceBucketSeconds);
          series.push(...fromSpans.series);
          edges.push(...fromSpans.edges);
        }
        const services = [...new Set(series.map((s) => s.service))];
        const graph: ServiceGraph = { services, edges };
        const input: RcaInput = { window, series, graph, logs };
        const candidates = analyzeIncident(input, config).candidates;
        const ours = candidates.map((c) => c.service);
        const typeRight = +(
          candidates.find((c) => c.service === fault.service)?.faultType === NEZHA_FAULT_TYPE[fault.type]
        );
        const base = nSigmaRanking(input).map((c) => c.service);
        const hit = (list: string[], k: number) => +list.slice(0, k).includes(fault.service);
        t.n++;
        t.as1 += hit(ours, 1);
        t.as3 += hit(ours, 3);
        t.as5 += hit(ours, 5);
        t.b1 += hit(base, 1);
        t.b3 += hit(base, 3);
        t.b5 += hit(base, 5);
        t.typeRight += typeRight;
        const ty = byType.get(`${system}/${fault.type}`) ?? { n: 0, as1: 0, as3: 0, typeRight: 0 };
        ty.typeRight += typeRight;
        ty.n++;
        ty.as1 += hit(ours, 1);
        ty.as3 += hit(ours, 3);
        byType.set(`${system}/${fault.type}`, ty);
        // Ablation of the service graph where the folder ships one and no traces imply another: the same incident
        // with the graph learned from the baseline's correlations, and with no graph at all.
        if (day.edges.length > 0 && spans.length === 0) {
          const learned = learnGraphFromCorrelation(series, window, correlationGraphSettings(config));
          const truth = new Set(day.edges.map((e) => `${e.from}>${e.to}`));
          const correct = learned.filter((e) => truth.has(`${e.from}>${e.to}`)).length;
          const withoutGraph = { ...input, graph: { services, edges: [] } };
          const learnedRanking = analyzeIncident(withoutGraph, config).candidates.map((c) => c.service);
          const noGraph = { ...config, graph: { ...config.graph, learnFromCorrelation: false } };
          const noGraphRanking = analyzeIncident(withoutGraph, noGraph).candidates.map((c) => c.service);
          const a = graphAblation.get(system) ?? {
            n: 0,
            learned: [0, 0, 0],
            none: [0, 0, 0],
            dataset: [0, 0, 0],
            precision: 0,
            recall: 0,
          };
          a.n++;
          [1, 3, 5].forEach((k, i) => {
            a.learned[i]! += hit(learnedRanking, k);
            a.none[i]! += hit(noGraphRanking, k);
            a.dataset[i]! += hit(ours, k);
          });
          a.precision += learned.length ? correct / learned.length : 0;
          a.recall += correct / truth.size;
          graphAblation.set(system, a);
        }
        if (verbose)
          console.log(
            `${system} ${day.day} ${new Date(fault.time * 1000).toISOString()} ${fault.type} truth=${fault.service} ours=${ours.slice(0, 3).join(', ')}`,
          );
      }
    }
    rows.push([
      system,
      [...modalities].join('+'),
      t.n,
      t.as1 / t.n,
      t.as3 / t.n,
      t.as5 / t.n,
      t.b1 / t.n,
      t.b3 / t.n,
      t.b5 / t.n,
    ]);
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += t[k];
  }
  printTable(
    'Nezha RCA: service-level AS@k',
    [
      'system',
      'modalities',
      'faults',
      'AS@1',
      'AS@3',
      'AS@5',
      'N-sigma AS@1',
      'N-sigma AS@3',
      'N-sigma AS@5',
    ],
    rows,
  );
  printTable(
    'by fault type (type right: the fault’s service is a candidate and its fault type names the injection)',
    ['system/type', 'n', 'AS@1', 'AS@3', 'type right'],
    [...byType].map(([k, v]) => [k, v.n, v.as1 / v.n, v.as3 / v.n, v.typeRight / v.n]),
  );
  const ablationRows = [...graphAblation].flatMap(([system, a]) =>
    (['dataset', 'learned', 'none'] as const).map((which) => [
      system,
      which === 'dataset'
        ? 'dataset (dependency.csv)'
        : which === 'learned'
          ? 'learned from correlation'
          : 'none',
      ...a[which].map((h) => h / a.n),
      which === 'learned' ? a.precision / a.n : '',
      which === 'learned' ? a.recall / a.n : '',
    ]),
  );
  if (ablationRows.length) {
    printTable(
      'service graph ablation (directed edge precision/recall of the learned graph against the dataset graph)',
      ['system', 'graph', 'AS@1', 'AS@3', 'AS@5', 'edge precision', 'edge recall'],
      ablationRows,
    );
  }
  const ablation = [...graphAblation.values()];
  const sum = (f: (a: Ablation) => number) => ablation.reduce((acc, a) => acc + f(a), 0);
  const ablationN = sum((a) => a.n);
  const n = totals.n;
  return {
    ...(ablationN > 0
      ? {
          learned_graph_as1: sum((a) => a.learned[0]!) / ablationN,
          learned_graph_as3: sum((a) => a.learned[1]!) / ablationN,
          no_graph_as1: sum((a) => a.none[0]!) / ablationN,
          no_graph_as3: sum((a) => a.none[1]!) / ablationN,
          learned_edge_precision: sum((a) => a.precision) / ablationN,
          learned_edge_recall: sum((a) => a.recall) / ablationN,
        }
      : {}),
    faults: n,
    as1: totals.as1 / n,
    as3: totals.as3 / n,
    as5: totals.as5 / n,
    type_accuracy: totals.typeRight / n,
    baseline_as1: totals.b1 / n,
    baseline_as3: totals.b3 / n,
    baseline_as5: totals.b5 / n,
  };
};
