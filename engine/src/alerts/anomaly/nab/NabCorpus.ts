import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CostMatrix, LabelledSeries } from './NabSweeper.js';

/** NAB's three application profiles, named as in `config/profiles.json`. */
export const NAB_PROFILES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const;
export type NabProfile = (typeof NAB_PROFILES)[number];

export interface NabFile extends LabelledSeries {
  /** `category/file.csv`, the key NAB's labels and result files use. */
  name: string;
  category: string;
  values: number[];
}

export interface NabCorpus {
  files: NabFile[];
  profiles: Record<NabProfile, CostMatrix>;
  windowCount: number;
}

const windowsSchema = z.record(z.string(), z.array(z.tuple([z.string(), z.string()])));
const costSchema = z.object({ tpWeight: z.number(), fpWeight: z.number(), fnWeight: z.number() });
const profilesSchema = z.object(
  Object.fromEntries(NAB_PROFILES.map((p) => [p, z.object({ CostMatrix: costSchema })])) as Record<
    NabProfile,
    z.ZodObject<{ CostMatrix: typeof costSchema }>
  >,
);

/** NAB timestamps have no zone (`2014-04-10 07:15:00[.000000]`); read them all as UTC so they compare exactly. */
export function parseNabTimestamp(text: string): number {
  const ms = Date.parse(`${text.trim().replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) throw new Error(`bad NAB timestamp "${text}"`);
  return ms;
}

export function loadNabProfiles(root: string): Record<NabProfile, CostMatrix> {
  const parsed = profilesSchema.parse(
    JSON.parse(readFileSync(join(root, 'config', 'profiles.json'), 'utf8')),
  );
  return Object.fromEntries(NAB_PROFILES.map((p) => [p, parsed[p].CostMatrix])) as Record<
    NabProfile,
    CostMatrix
  >;
}

/** Reads a `timestamp,value[,...]` CSV; `columns` picks further numeric columns by header name. */
export function readNabCsv(
  path: string,
  columns: string[] = [],
): { timestamps: number[]; columns: number[][] } {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const indexes = columns.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`${path}: no column "${c}"`);
    return i;
  });
  const timestamps: number[] = [];
  const out = columns.map(() => [] as number[]);
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    timestamps.push(parseNabTimestamp(cells[0]!));
    indexes.forEach((i, k) => out[k]!.push(Number(cells[i])));
  }
  return { timestamps, columns: out };
}

/** Loads every data file of a NAB checkout (`data/<category>/*.csv`) with its windows and the cost profiles. */
export function loadNabCorpus(root: string): NabCorpus {
  const windows = windowsSchema.parse(
    JSON.parse(readFileSync(join(root, 'labels', 'combined_windows.json'), 'utf8')),
  );
  const files: NabFile[] = [];
  for (const category of readdirSync(join(root, 'data'), { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    for (const file of readdirSync(join(root, 'data', category.name))
      .filter((f) => f.endsWith('.csv'))
      .sort()) {
      const name = `${category.name}/${file}`;
      const fileWindows = windows[name];
      if (!fileWindows) throw new Error(`${name}: no entry in labels/combined_windows.json`);
      const { timestamps, columns } = readNabCsv(join(root, 'data', name), ['value']);
      files.push({
        name,
        category: category.name,
        timestamps,
        values: columns[0]!,
        windows: fileWindows.map(([a, b]) => [parseNabTimestamp(a), parseNabTimestamp(b)]),
      });
    }
  }
  files.sort((a, b) => a.name.localeCompare(b.name));
  const windowCount = files.reduce((n, f) => n + f.windows.length, 0);
  return { files, profiles: loadNabProfiles(root), windowCount };
}

export interface PublishedFileScore {
  file: string;
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  total: number;
}

/** A published `results/<det>/<det>_<profile>_scores.csv`: per-file rows plus the `Totals` row. */
export function readPublishedScores(
  root: string,
  detector: string,
  profile: NabProfile,
): { files: PublishedFileScore[]; totalScore: number } {
  const path = join(root, 'results', detector, `${detector}_${profile}_scores.csv`);
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1);
  const files: PublishedFileScore[] = [];
  let totalScore = Number.NaN;
  for (const line of lines) {
    const c = line.split(',');
    if (c[0] === 'Totals') {
      totalScore = Number(c[4]);
      continue;
    }
    const [threshold, score, tp, tn, fp, fn, total] = c.slice(3).map(Number) as number[];
    files.push({
      file: c[2]!,
      threshold: threshold!,
      score: score!,
      tp: tp!,
      tn: tn!,
      fp: fp!,
      fn: fn!,
      total: total!,
    });
  }
  return { files, totalScore };
}
