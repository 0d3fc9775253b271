import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BadDirection, RcaInput, ServiceGraph, SignalSeries } from '../../src/rca/types.js';

/**
 * PetShop (Hardt et al., CLeaR 2024; CC BY 4.0, Amazon.com, Inc.) → RcaInput. Each issue's few rows around the
 * incident become the incident; the scenario's normal period becomes the baseline, re-stamped to end just before the
 * issue window (it was recorded months later), so the core sees one continuous history as it would in production.
 */

interface Table {
  /** column key `node|metric|statistic` → values by row */
  columns: Map<string, { node: string; metric: string; statistic: string; values: number[] }>;
  timestamps: number[];
}

export interface PetshopIssue {
  scenario: string;
  split: string;
  name: string;
  target: { node: string; metric: string; agg: string; timestamp: number };
  rootCause: string;
  table: Table;
}

export interface PetshopScenario {
  name: string;
  graph: ServiceGraph;
  normal?: Table;
  issues: PetshopIssue[];
}

const DIRECTION: Record<string, BadDirection> = { latency: 'up', availability: 'down', requests: 'both' };

export function readPetshopTable(file: string): Table {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const [nodes, metrics, stats] = [lines[0]!, lines[1]!, lines[2]!].map((l) => l.split(','));
  const columns: Table['columns'] = new Map();
  const keys: string[] = [];
  for (let c = 1; c < nodes!.length; c++) {
    const node = nodes![c]!;
    const metric = metrics![c] ?? '';
    const statistic = stats![c] ?? '';
    const key = `${node}|${metric}|${statistic}`;
    keys.push(key);
    if (node && !columns.has(key)) columns.set(key, { node, metric, statistic, values: [] });
  }
  const timestamps: number[] = [];
  for (const line of lines.slice(4)) {
    const cells = line.split(',');
    timestamps.push(Number(cells[0]));
    for (let c = 1; c < nodes!.length; c++) {
      const column = columns.get(keys[c - 1]!);
      if (!column || column.values.length === timestamps.length) continue; // duplicate header: keep the first
      const raw = cells[c];
      column.values.push(raw === undefined || raw === '' ? NaN : Number(raw));
    }
  }
  return { columns, timestamps };
}

export function readPetshopGraph(file: string): ServiceGraph {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const header = lines[0]!.split(',').slice(1);
  const edges: ServiceGraph['edges'] = [];
  for (const line of lines.slice(1)) {
    const [from, ...cells] = line.split(',');
    cells.forEach((cell, i) => {
      if (Number(cell) === 1 && from && header[i]) edges.push({ from, to: header[i]!, origin: 'dataset' });
    });
  }
  return { services: header, edges };
}

export function loadPetshop(dir: string): PetshopScenario[] {
  const root = existsSync(join(dir, 'dataset')) ? join(dir, 'dataset') : dir;
  const scenarios: PetshopScenario[] = [];
  for (const name of readdirSync(root).sort()) {
    const sdir = join(root, name);
    if (!existsSync(join(sdir, 'graph.csv'))) continue;
    const normalFile = join(sdir, 'noissue', 'metrics.csv');
    const scenario: PetshopScenario = {
      name,
      graph: readPetshopGraph(join(sdir, 'graph.csv')),
      normal: existsSync(normalFile) ? readPetshopTable(normalFile) : undefined,
      issues: [],
    };
    for (const split of ['train', 'test']) {
      const splitDir = join(sdir, split);
      if (!existsSync(splitDir)) continue;
      const issues = readdirSync(splitDir)
        .filter((d) => d.startsWith('issue_'))
        .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
      for (const issue of issues) {
        const idir = join(splitDir, issue);
        const target = JSON.parse(readFileSync(join(idir, 'target.json'), 'utf8')) as {
          target: PetshopIssue['target'];
          root_cause: { node: string };
        };
        scenario.issues.push({
          scenario: name,
          split,
          name: issue,
          target: target.target,
          rootCause: target.root_cause.node,
          table: readPetshopTable(join(idir, 'metrics.csv')),
        });
      }
    }
    scenarios.push(scenario);
  }
  return scenarios;
}

const signalName = (metric: string, statistic: string) => `${metric}_${statistic}`;

/**
 * X-Ray names the nodes it infers from callers' subsegments `..._remote` / `..._client` (a load balancer, an external
 * API, a client library): nobody instrumented them, so their numbers are what the callers measured.
 */
export function xrayPerspective(node: string): Pick<SignalSeries, 'perspective'> {
  return /_(remote|client)$/.test(node) ? { perspective: 'client' } : {};
}

/**
 * Joins a baseline table and an "abnormal" table into an RcaInput. `onset` is the incident start: abnormal rows at or
 * after it are the incident, earlier abnormal rows extend the baseline.
 */
export function petshopInput(
  graph: ServiceGraph,
  normal: Table,
  abnormal: Table,
  onset: number,
  target: { node: string; metric: string; agg: string },
): RcaInput {
  const step = 300;
  const first = abnormal.timestamps[0]!;
  const shift = normal.timestamps.length
    ? first - step - normal.timestamps[normal.timestamps.length - 1]!
    : 0;
  const restamped = normal.timestamps.map((t) => t + shift);
  const keys = new Set([...normal.columns.keys(), ...abnormal.columns.keys()]);
  const series: SignalSeries[] = [];
  for (const key of keys) {
    const n = normal.columns.get(key);
    const a = abnormal.columns.get(key);
    const meta = (n ?? a)!;
    const badDirection = DIRECTION[meta.metric];
    if (!badDirection) continue;
    series.push({
      service: meta.node,
      signal: signalName(meta.metric, meta.statistic),
      badDirection,
      ...xrayPerspective(meta.node),
      // A Sum of requests is a count of events per point: Poisson noise, not a flat line that any single request breaks.
      ...(meta.metric === 'requests' && meta.statistic === 'Sum' ? { eventsPerUnit: 1 } : {}),
      timestamps: [...restamped, ...abnormal.timestamps],
      values: [
        ...(n?.values ?? restamped.map(() => NaN)),
        ...(a?.values ?? abnormal.timestamps.map(() => NaN)),
      ],
    });
  }
  return {
    window: {
      baselineStart: restamped[0] ?? first,
      start: onset,
      end: abnormal.timestamps[abnormal.timestamps.length - 1]!,
    },
    target: { service: target.node, signal: signalName(target.metric, target.agg) },
    series,
    graph,
  };
}

/** Rows [from, to) of a table. */
export function sliceTable(table: Table, from: number, to: number): Table {
  const columns: Table['columns'] = new Map();
  for (const [key, column] of table.columns)
    columns.set(key, { ...column, values: column.values.slice(from, to) });
  return { columns, timestamps: table.timestamps.slice(from, to) };
}
