import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, parseCsvObjects } from './csv.js';

export interface LoghubSystem {
  name: string;
  /**
   * Which ground truth the labels come from: `corrected` (the `*_corrected.csv` files: Khan et al. ICSE'22
   * corrections, see the dataset's SOURCE.md) or `original` (loghub ICSE'19 labels in `original_loghub_2k/`, used only
   * for systems that have no corrected copy here).
   */
  truth: 'corrected' | 'original';
  contents: string[];
  eventIds: string[];
  templates: string[];
}

/** Every `<System>/<System>_2k.log_structured_corrected.csv` under the folder: message contents with ground truth. */
export function loadLoghub(dir: string): LoghubSystem[] {
  const systems: LoghubSystem[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, `${name}_2k.log_structured_corrected.csv`);
    if (existsSync(file)) systems.push(readSystem(name, file, 'corrected'));
  }
  return systems;
}

/**
 * The corrected systems plus every `original_loghub_2k/<System>_2k.log_structured.csv` whose system has no corrected
 * copy: all Loghub-2k systems on disk, one ground truth each (corrected where it exists), sorted by name.
 */
export function loadAllLoghub(dir: string): LoghubSystem[] {
  const systems = loadLoghub(dir);
  const have = new Set(systems.map((s) => s.name));
  const originals = join(dir, 'original_loghub_2k');
  if (existsSync(originals)) {
    for (const file of readdirSync(originals).sort()) {
      const match = /^(.+)_2k\.log_structured\.csv$/.exec(file);
      if (!match || have.has(match[1]!)) continue;
      systems.push(readSystem(match[1]!, join(originals, file), 'original'));
    }
  }
  return systems.sort((a, b) => a.name.localeCompare(b.name));
}

function readSystem(name: string, file: string, truth: LoghubSystem['truth']): LoghubSystem {
  const rows = parseCsvObjects(readFileSync(file, 'utf8'));
  return {
    name,
    truth,
    contents: rows.map((r) => r.Content ?? ''),
    eventIds: rows.map((r) => r.EventId ?? ''),
    templates: rows.map((r) => r.EventTemplate ?? ''),
  };
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
