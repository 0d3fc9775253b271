import type { RcaInput } from '../../src/rca/types.js';
import { mean, std } from '../../src/rca/stats/robust.js';

/**
 * The N-sigma baseline measured beside our method: per series, the largest deviation of an incident point from the
 * baseline mean in units of the baseline standard deviation (bad direction only); a service scores its largest
 * series; services above N are ranked, none when nothing exceeds N. No graph, no robust statistics, no logs.
 */
export function nSigmaRanking(input: RcaInput, n = 3): Array<{ service: string; score: number }> {
  const best = new Map<string, number>();
  for (const s of input.series) {
    const base: number[] = [];
    const incident: number[] = [];
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i]!;
      const v = s.values[i]!;
      if (!Number.isFinite(v) || t < input.window.baselineStart || t > input.window.end) continue;
      (t < input.window.start ? base : incident).push(v);
    }
    if (base.length < 3 || incident.length === 0) continue;
    const m = mean(base);
    const sd = std(base, m) || 1e-9;
    let z = 0;
    for (const v of incident) {
      const d = (v - m) / sd;
      z = Math.max(z, s.badDirection === 'up' ? d : s.badDirection === 'down' ? -d : Math.abs(d));
    }
    if (z > (best.get(s.service) ?? 0)) best.set(s.service, z);
  }
  return [...best]
    .filter(([, z]) => z > n)
    .map(([service, score]) => ({ service, score }))
    .sort((a, b) => b.score - a.score);
}
