/**
 * Does a "same hours on earlier days" baseline score an incident better than the hour before it? Measured on NAB's
 * real series (labelled anomalies, several days of history) with the RCA's own scoreSeries and default settings.
 * Folds: NAB's five real categories. For each labelled anomaly (with a day of history before it): the window of
 * W points from the label is the incident; normal windows start every 6 h, W points long, outside every labelled
 * window. Variants: `hour` (the hour before, the engine's default), `day` (the same hours a day earlier),
 * `days` (the same hours on up to 7 earlier days, pooled), `both` (min of hour and days: anomalous against both),
 * `bothPlain` (`both` with the days' history check plain, historyEpisodes 1; RESULTS.md, 2026-12-08, session 15).
 *   node --import tsx bench/rca/seasonalBaseline.ts [--points W]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rcaConfigSchema } from '../../src/rca/config.js';
import { scoreSeries } from '../../src/rca/anomaly/scoreSeries.js';
import type { SignalSeries } from '../../src/rca/types.js';

const ROOT = join(import.meta.dirname, '../../../../shared/datasets/nab');
const settings = rcaConfigSchema.parse({}).anomaly;
const pointsArg = process.argv.indexOf('--points');
const W = pointsArg > 0 ? Number(process.argv[pointsArg + 1]) : 6;
const DAY = 86400;

const labels = JSON.parse(readFileSync(join(ROOT, 'labels/combined_labels.json'), 'utf8')) as Record<
  string,
  string[]
>;
const windows = JSON.parse(readFileSync(join(ROOT, 'labels/combined_windows.json'), 'utf8')) as Record<
  string,
  [string, string][]
>;
const ts = (s: string) => Date.parse(s.replace(' ', 'T') + 'Z') / 1000;

function readSeries(file: string): { t: number[]; v: number[] } {
  const lines = readFileSync(join(ROOT, 'data', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const t: number[] = [];
  const v: number[] = [];
  for (const line of lines) {
    const [a, b] = line.split(',');
    t.push(ts(a!));
    v.push(Number(b));
  }
  return { t, v };
}

/** Values with timestamps in [from, to), by binary search on sorted t. */
function slice(s: { t: number[]; v: number[] }, from: number, to: number): { t: number[]; v: number[] } {
  let i = 0;
  while (i < s.t.length && s.t[i]! < from) i++;
  const t: number[] = [];
  const v: number[] = [];
  for (; i < s.t.length && s.t[i]! < to; i++) {
    t.push(s.t[i]!);
    v.push(s.v[i]!);
  }
  return { t, v };
}

/** Scores the incident [start, start+W·step) against the given baseline points, laid out just before start. */
function scoreAgainst(
  baseline: number[],
  incident: { t: number[]; v: number[] },
  step: number,
  anomaly = settings,
): number | undefined {
  if (baseline.length < settings.minBaselinePoints || incident.v.length < W) return undefined;
  const start = incident.t[0]!;
  const bt = baseline.map((_, i) => start - (baseline.length - i) * step);
  const series: SignalSeries = {
    service: 's',
    signal: 'v',
    badDirection: 'both',
    timestamps: [...bt, ...incident.t],
    values: [...baseline, ...incident.v],
  };
  const scored = scoreSeries(
    series,
    { baselineStart: bt[0]!, start, end: incident.t[incident.t.length - 1]! },
    anomaly,
  );
  return scored ? Math.max(scored.score, scored.heldPeak) : undefined;
}

function variants(
  s: { t: number[]; v: number[] },
  start: number,
  step: number,
): Record<string, number | undefined> {
  const span = W * step;
  const hourBefore = Math.max(12, Math.round(3600 / step)) * step;
  const incident = slice(s, start, start + span);
  const hour = scoreAgainst(slice(s, start - hourBefore, start).v, incident, step);
  const sameHours = (d: number) => slice(s, start - d * DAY - hourBefore, start - d * DAY + span).v;
  const day = scoreAgainst(sameHours(1), incident, step);
  const pooled: number[] = [];
  for (let d = 1; d <= 7; d++) if (start - d * DAY - hourBefore >= s.t[0]!) pooled.push(...sameHours(d));
  const days = scoreAgainst(pooled, incident, step);
  const both = hour === undefined || days === undefined ? undefined : Math.min(hour, days);
  const hourNow = slice(s, start - hourBefore, start).v;
  const med = (xs: number[]) => {
    const a = xs.filter(Number.isFinite).sort((x, y) => x - y);
    return a.length ? a[a.length >> 1]! : NaN;
  };
  const aligned = (mode: 'add' | 'mul') => {
    const out: number[] = [];
    for (let d = 1; d <= 7; d++) {
      if (start - d * DAY - hourBefore < s.t[0]!) continue;
      const before = slice(s, start - d * DAY - hourBefore, start - d * DAY).v;
      const all = sameHours(d);
      const shift = med(hourNow) - med(before);
      const ratio = med(before) > 0 ? med(hourNow) / med(before) : 1;
      out.push(...all.map((v) => (mode === 'add' ? v + shift : v * ratio)));
    }
    return out;
  };
  const daysAdd = scoreAgainst(aligned('add'), incident, step);
  const daysMul = scoreAgainst(aligned('mul'), incident, step);
  const hourAndDays = pooled.length
    ? scoreAgainst([...pooled, ...slice(s, start - hourBefore, start).v], incident, step)
    : undefined;
  // The same hours with the plain history check (a level any earlier day reached at these hours is the habit).
  const daysPlain = scoreAgainst(pooled, incident, step, { ...settings, historyEpisodes: 1 });
  const bothPlain = hour === undefined || daysPlain === undefined ? undefined : Math.min(hour, daysPlain);
  return { hour, day, days, both, hourAndDays, daysAdd, daysMul, bothPlain };
}

function auc(pos: number[], neg: number[]): number {
  let sum = 0;
  for (const p of pos) for (const n of neg) sum += p > n ? 1 : p === n ? 0.5 : 0;
  return pos.length && neg.length ? sum / (pos.length * neg.length) : NaN;
}

const NAMES = ['hour', 'day', 'days', 'both', 'hourAndDays', 'daysAdd', 'daysMul', 'bothPlain'];
const rows: string[] = [];
for (const category of [
  'realAWSCloudwatch',
  'realAdExchange',
  'realKnownCause',
  'realTraffic',
  'realTweets',
]) {
  const pos: Record<string, number[]> = Object.fromEntries(NAMES.map((n) => [n, []]));
  const neg: Record<string, number[]> = Object.fromEntries(NAMES.map((n) => [n, []]));
  let nPos = 0;
  let nNeg = 0;
  for (const name of readdirSync(join(ROOT, 'data', category)).filter((f) => f.endsWith('.csv'))) {
    const key = `${category}/${name}`;
    const s = readSeries(key);
    const diffs = s.t
      .slice(1)
      .map((t, i) => t - s.t[i]!)
      .sort((a, b) => a - b);
    const step = diffs[Math.floor(diffs.length / 2)]!;
    const wins = (windows[key] ?? []).map(([a, b]) => [ts(a), ts(b)] as const);
    const add = (into: Record<string, number[]>, start: number) => {
      const v = variants(s, start, step);
      // Only windows every variant can score: the comparison is on the same cases.
      if (NAMES.some((n) => v[n] === undefined)) return false;
      for (const n of NAMES) into[n]!.push(v[n]!);
      return true;
    };
    for (const label of labels[key] ?? []) {
      const start = ts(label);
      if (start - DAY - 3600 < s.t[0]!) continue;
      if (add(pos, start)) nPos++;
    }
    for (let start = s.t[0]! + DAY + 3600; start + W * step < s.t[s.t.length - 1]!; start += 6 * 3600) {
      if (wins.some(([a, b]) => start + W * step >= a && start - DAY - 3600 <= b)) continue;
      if (add(neg, start)) nNeg++;
    }
  }
  const cells = NAMES.map((n) => {
    const tpr = pos[n]!.filter((x) => x >= settings.threshold).length / Math.max(1, nPos);
    const fpr = neg[n]!.filter((x) => x >= settings.threshold).length / Math.max(1, nNeg);
    return `${n} AUC ${auc(pos[n]!, neg[n]!).toFixed(3)} TPR ${tpr.toFixed(2)} FPR ${fpr.toFixed(2)}`;
  });
  rows.push(`${category} (anomalies ${nPos}, normal ${nNeg}): ${cells.join(' | ')}`);
}
console.log(`W=${W} points, threshold ${settings.threshold}`);
for (const r of rows) console.log(r);
