import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, parseCsvObjects } from './csv.js';

export interface LoghubSystem {
  name: string;
  contents: string[];
  eventIds: string[];
  templates: string[];
}

/** Every `<System>/<System>_2k.log_structured_corrected.csv` under the folder: message contents with ground truth. */
export function loadLoghub(dir: string): LoghubSystem[] {
  const systems: LoghubSystem[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, `${name}_2k.log_structured_corrected.csv`);
    if (!existsSync(file)) continue;
    const rows = parseCsvObjects(readFileSync(file, 'utf8'));
    systems.push({
      name,
      contents: rows.map((r) => r.Content ?? ''),
      eventIds: rows.map((r) => r.EventId ?? ''),
      templates: rows.map((r) => r.EventTemplate ?? ''),
    });
  }
  return systems;
}

/** Drain's published 2k numbers per system and metric from `baselines/loghub2.0_RQ2_effectiveness_results.csv`. */
export function loadDrainBaseline(dir: string): Map<string, Record<string, number>> {
  const file = join(dir, 'baselines', 'loghub2.0_RQ2_effectiveness_results.csv');
  const out = new Map<string, Record<string, number>>();
  if (!existsSync(file)) return out;
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = header?.indexOf('Drain') ?? -1;
  if (col < 0) return out;
  for (const row of rows) {
    const match = /^(\S+) (GA|FGA|PA|FTA)$/.exec(row[0] ?? '');
    if (!match) continue;
    const value = Number((row[col] ?? '').split('/')[0]);
    const entry = out.get(match[1]!) ?? {};
    entry[match[2]!.toLowerCase()] = value;
    out.set(match[1]!, entry);
  }
  return out;
}
