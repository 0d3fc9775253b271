import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The benchmark convention: `npm run bench -- NAME [--data PATH] [options]` runs bench/NAME.ts, which prints a
 * table (method beside the baseline measured in the same run) and writes `bench-results/NAME.json` at the repository
 * root as flat keys to numbers.
 */

export type BenchResults = Record<string, number>;

export interface BenchContext {
  name: string;
  /** Parsed `--key value` / `--flag` options after NAME. */
  options: Record<string, string | boolean>;
  /** Required option as a string; throws a clear error naming the option when absent. */
  require(option: string): string;
  /** Optional option with a default. */
  option(option: string, fallback: string): string;
  numberOption(option: string, fallback: number): number;
  /** A path option resolved against the directory npm was invoked from (INIT_CWD), not engine/. */
  pathOption(option: string, fallback?: string): string;
}

export type BenchMain = (ctx: BenchContext) => Promise<BenchResults>;

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Default data location: the shared datasets beside the repository. */
export const sharedDatasets = resolve(repoRoot, '..', 'shared', 'datasets');

export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((r) => r.map(formatCell))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => String(row[i] ?? '').length)));
  const line = (row: Array<string | number>) =>
    '| ' + row.map((c, i) => String(c ?? '').padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  console.log(`\n${title}`);
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of cells.slice(1)) console.log(line(row));
}

function formatCell(value: string | number): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(3);
}

export function writeResults(name: string, results: BenchResults): string {
  for (const [key, value] of Object.entries(results)) {
    if (typeof value !== 'number') throw new Error(`benchmark ${name}: result ${key} is not a number`);
  }
  const file = resolve(repoRoot, 'bench-results', `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  return file;
}

export function parseOptions(argv: string[]): Record<string, string | boolean> {
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}": options are --key value`);
    const eq = arg.indexOf('=');
    if (eq > 0) {
      options[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) {
      options[arg.slice(2)] = argv[++i]!;
    } else {
      options[arg.slice(2)] = true;
    }
  }
  return options;
}

export function createContext(name: string, options: Record<string, string | boolean>): BenchContext {
  const get = (key: string) => {
    const value = options[key];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    name,
    options,
    require(key) {
      const value = get(key);
      if (value === undefined) throw new Error(`benchmark ${name}: --${key} is required`);
      return value;
    },
    option: (key, fallback) => get(key) ?? fallback,
    pathOption(key, fallback) {
      const value = get(key) ?? fallback;
      if (value === undefined) throw new Error(`benchmark ${name}: --${key} is required`);
      return resolve(process.env.INIT_CWD ?? process.cwd(), value);
    },
    numberOption(key, fallback) {
      const raw = get(key);
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!Number.isFinite(value))
        throw new Error(`benchmark ${name}: --${key} must be a number, got "${raw}"`);
      return value;
    },
  };
}
