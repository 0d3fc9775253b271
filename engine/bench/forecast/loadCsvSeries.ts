import { readFileSync } from 'node:fs';

/**
 * Reads a dataset CSV into (unix seconds, value) pairs. Timestamps with an offset are honoured; ones without are UTC.
 * Event files (the Azure trace: one row per request) are binned at `step` seconds: counting rows when the column is
 * the timestamp column itself, summing the column otherwise.
 */
export interface LoadedSeries {
  timestamps: number[];
  values: number[];
  /** Native (median) spacing, or the binning step. */
  stepSeconds: number;
  /** Values of an `outage` column when the file has one (for reporting agreement only, never used by the models). */
  outage?: number[];
}

export function parseTimestamp(raw: string): number {
  const s = raw.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) throw new Error(`unrecognised timestamp "${raw}"`);
  const base = Date.parse(`${m[1]}T${m[2]}${m[4] ?? 'Z'}`);
  if (Number.isNaN(base)) throw new Error(`unrecognised timestamp "${raw}"`);
  const frac = m[3] ? Number(`0.${m[3]}`) : 0;
  return base / 1000 + frac;
}

export function loadCsvSeries(path: string, column: string, options: { step?: number } = {}): LoadedSeries {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const tsIndex = header.findIndex((h) => /^timestamp$/i.test(h));
  if (tsIndex < 0) throw new Error(`${path}: no timestamp column (header: ${header.join(',')})`);
  const colIndex = header.indexOf(column);
  if (colIndex < 0) throw new Error(`${path}: no column "${column}" (header: ${header.join(',')})`);
  const outageIndex = header.indexOf('outage');
  const rows = lines.slice(1).map((l) => l.split(','));
  const ts = rows.map((r) => parseTimestamp(r[tsIndex]!));
  const events = colIndex === tsIndex;
  if (events || options.step) {
    const step = options.step ?? 1;
    if (!events && options.step) {
      const native = medianDiff(ts);
      if (Math.abs(native - step) < 1e-6) {
        return {
          timestamps: ts,
          values: rows.map((r) => Number(r[colIndex])),
          stepSeconds: step,
          ...outageOf(rows, outageIndex),
        };
      }
    }
    const start = Math.floor(Math.min(...ts) / step) * step;
    const end = Math.floor(Math.max(...ts) / step) * step;
    const n = Math.round((end - start) / step) + 1;
    const values = new Array<number>(n).fill(0);
    rows.forEach((r, i) => {
      const b = Math.floor((ts[i]! - start) / step);
      values[b] = values[b]! + (events ? 1 : Number(r[colIndex]));
    });
    return { timestamps: values.map((_, i) => start + i * step), values, stepSeconds: step };
  }
  return {
    timestamps: ts,
    values: rows.map((r) => Number(r[colIndex])),
    stepSeconds: medianDiff(ts),
    ...outageOf(rows, outageIndex),
  };
}

function outageOf(rows: string[][], index: number): { outage?: number[] } {
  return index >= 0 ? { outage: rows.map((r) => Number(r[index])) } : {};
}

function medianDiff(ts: number[]): number {
  const d = ts
    .slice(1)
    .map((t, i) => t - ts[i]!)
    .sort((a, b) => a - b);
  return Math.round(d[Math.floor(d.length / 2)]! * 1000) / 1000;
}
