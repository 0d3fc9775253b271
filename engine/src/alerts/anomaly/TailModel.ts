import { SortedWindow } from './SortedWindow.js';

/**
 * How surprising a non-negative deviation is against the recent deviations of the same kind, as −log10 of its
 * tail probability: the empirical tail below the `tailQuantile`, an exponential tail fitted to the exceedances
 * above it (peaks over threshold), so that deviations beyond anything seen still rank by size instead of all
 * tying at "never seen". Scale-free: no per-metric threshold.
 */
export class TailModel {
  private readonly history: SortedWindow;

  constructor(
    historySize: number,
    private readonly tailQuantile = 0.95,
    private readonly minHistory = 20,
  ) {
    this.history = new SortedWindow(Math.max(historySize, minHistory));
  }

  /** −log10 P(deviation >= e) under the history so far (0 while warming up); then learns e. */
  surprise(e: number): number {
    const s = this.history.length >= this.minHistory ? this.score(e) : 0;
    this.history.push(e);
    return s;
  }

  private score(e: number): number {
    const w = this.history;
    const n = w.length;
    const u = w.quantile(this.tailQuantile);
    if (e <= u) return -Math.log10(Math.max((n - w.lowerBound(e)) / n, 1e-12));
    const first = w.upperBound(u);
    let excess = 0;
    for (let i = first; i < n; i++) excess += w.sorted[i]! - u;
    const k = n - first;
    const scale = k > 0 && excess > 0 ? excess / k : Math.max(Math.abs(u) * 0.01, 1e-9);
    return -Math.log10(Math.max(k, 1) / n) + (e - u) / scale / Math.LN10;
  }
}
