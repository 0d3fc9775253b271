import type { AnomalyDetector } from '../AnomalyDetector.js';
import { normalTailProbability } from '../normalTail.js';

/**
 * NAB's windowed Gaussian baseline (numenta/NAB `nab/detectors/gaussian`), re-implemented to measure the floor in
 * the same run as our detector: score = 1 − tail probability of the value under a normal fitted to the last 6,400
 * values, the window sliding in steps of 100. NAB reports 39.6 (standard) for it.
 */
export class WindowedGaussianDetector implements AnomalyDetector {
  private readonly window: number[] = [];
  private step: number[] = [];
  private mean = 0;
  private std = 1;
  // Welford accumulators while the window still grows (a full recomputation per sample would be O(n²)).
  private m2 = 0;

  constructor(
    private readonly windowSize = 6400,
    private readonly stepSize = 100,
  ) {}

  update(_timestamp: number, value: number): number {
    const score = this.window.length > 0 ? 1 - normalTailProbability(value, this.mean, this.std) : 0;
    if (this.window.length < this.windowSize) {
      this.window.push(value);
      const delta = value - this.mean;
      this.mean += delta / this.window.length;
      this.m2 += delta * (value - this.mean);
      this.setStd(Math.sqrt(this.m2 / this.window.length));
    } else {
      this.step.push(value);
      if (this.step.length === this.stepSize) {
        this.window.splice(0, this.stepSize);
        this.window.push(...this.step);
        this.step = [];
        this.recompute();
      }
    }
    return score;
  }

  private recompute(): void {
    const n = this.window.length;
    this.mean = this.window.reduce((s, v) => s + v, 0) / n;
    this.setStd(Math.sqrt(this.window.reduce((s, v) => s + (v - this.mean) ** 2, 0) / n));
  }

  private setStd(std: number): void {
    this.std = std === 0 ? 0.000001 : std;
  }
}
