import { hashString, unitNoise } from './hashNoise.js';

/** One term a·cos(ωt + φ) of the load; ω = 0 makes it the constant a·cos φ. */
interface Component {
  a: number;
  omega: number;
  phi: number;
}

const DAY = 86_400;
/** About two days of 15 s scrape points per shape. */
const MEMO_LIMIT = 12_000;
/** Grid steps between exact re-anchors of the rotation recurrence. */
const RESYNC = 256;
/** Largest grid kept between calls per shape: 40 days of 15 s points. */
const GRID_LIMIT = 230_400;
/** Disjoint grid ranges kept per shape: a week of same-hour baselines plus the incident's own range, with room. */
const GRID_RANGES = 16;

interface GridRange {
  dt: number;
  kFrom: number;
  kTo: number;
  l1: Float64Array;
  l2: Float64Array;
}
const WEEK = 7 * DAY;
/** Busiest hour of the day, UTC. */
const PEAK_HOUR = 14;
/** Saturday 12:00 UTC as seconds after the epoch (a Thursday): the centre of the weekend dip. */
const WEEKEND_CENTRE = 2.5 * DAY;

/**
 * Relative traffic of one service over time, about 1 at the daily peak: daily seasonality (with a second harmonic
 * so mornings and evenings differ), a weekly weekend dip, and several incommensurate short-period wobbles whose
 * phases come from the seed. Being a sum of cosines it integrates in closed form, and so does its square; that is
 * what makes every counter of the demo an exact integral of its rate (monotonic, and rate() recovers the rate).
 */
export class LoadShape {
  private readonly components: Component[];
  readonly min: number;
  readonly max: number;

  constructor(seed: number, name: string) {
    const key = hashString(name, seed);
    const phase = (i: number) => 2 * Math.PI * unitNoise(key, i);
    const peak = (2 * Math.PI * PEAK_HOUR * 3600) / DAY;
    this.components = [
      { a: 0.6, omega: 0, phi: 0 },
      { a: 0.28, omega: (2 * Math.PI) / DAY, phi: -peak },
      { a: 0.06, omega: (4 * Math.PI) / DAY, phi: -2 * peak - 0.6 },
      // Weekend: −0.05 − 0.05·cos(ω(t − centre)) dips 0.1 at the centre of the weekend and 0 mid-week.
      { a: -0.05, omega: 0, phi: 0 },
      { a: -0.05, omega: (2 * Math.PI) / WEEK, phi: (-2 * Math.PI * WEEKEND_CENTRE) / WEEK },
    ];
    // Periods from under a minute to an hour and a half, so windows of any size see some wiggle.
    const periods = [47, 89, 173, 311, 617, 1291, 2687, 5557];
    periods.forEach((period, i) => {
      const scale = 0.6 + 0.8 * unitNoise(key, 100 + i);
      this.components.push({ a: 0.009 * scale, omega: (2 * Math.PI) / period, phi: phase(i) });
    });
    const constant = this.components
      .filter((c) => c.omega === 0)
      .reduce((s, c) => s + c.a * Math.cos(c.phi), 0);
    const swing = this.components.filter((c) => c.omega !== 0).reduce((s, c) => s + Math.abs(c.a), 0);
    this.min = constant - swing;
    this.max = constant + swing;
  }

  /**
   * [∫L, ∫L²] at t, memoised: they depend on nothing but the shape and t, and queries keep asking for the same
   * scrape-grid times. The memo is dropped when it grows past a bound rather than kept as an LRU.
   */
  integrals(t: number): [number, number] {
    let v = this.memo.get(t);
    if (!v) {
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      v = t <= 0 ? [0, 0] : [this.integral(t), this.integralOfSquare(t)];
      this.memo.set(t, v);
    }
    return v;
  }

  private readonly memo = new Map<number, [number, number]>();

  private gridMemos: GridRange[] = [];

  /**
   * Grid integrals covering [kFrom, kTo], kept between calls: queries ending "now" mostly ask for what was computed
   * before plus a few new points, so only the missing ends are computed. Several disjoint ranges are kept (the most
   * recently used first, at most GRID_RANGES): RCA's same-hours baseline reads the same hour on each of the last days,
   * and with one range every day evicted the one before (3,150 recomputations of ~316 points per one-shot RCA,
   * ~0.6 s of CPU; 9 with the ranges kept). All ranges together hold at most GRID_LIMIT points.
   */
  gridIntegrals(
    kFrom: number,
    kTo: number,
    dt: number,
  ): { kFrom: number; l1: Float64Array; l2: Float64Array } {
    const i = this.gridMemos.findIndex((m) => m.dt === dt && kFrom <= m.kTo + 1 && kTo >= m.kFrom - 1);
    const memo = i >= 0 ? this.gridMemos[i] : undefined;
    if (i >= 0) this.gridMemos.splice(i, 1);
    const range = this.extend(memo, kFrom, kTo, dt);
    this.gridMemos.unshift(range.kTo - range.kFrom + 1 <= GRID_LIMIT ? range : (memo ?? range));
    const size = (m: GridRange) => m.kTo - m.kFrom + 1;
    let total = this.gridMemos.reduce((sum, m) => sum + size(m), 0);
    while (this.gridMemos.length > GRID_RANGES || (total > GRID_LIMIT && this.gridMemos.length > 0)) {
      total -= size(this.gridMemos.pop()!);
    }
    return range;
  }

  /** The memo grown to cover [kFrom, kTo] (only the missing ends computed), or a fresh range without one. */
  private extend(memo: GridRange | undefined, kFrom: number, kTo: number, dt: number): GridRange {
    if (memo && memo.kFrom <= kFrom && memo.kTo >= kTo) return memo;
    const from = memo ? Math.min(memo.kFrom, kFrom) : kFrom;
    const to = memo ? Math.max(memo.kTo, kTo) : kTo;
    if (!memo || to - from + 1 > GRID_LIMIT)
      return { dt, kFrom, kTo, ...this.integralsOnGrid(kFrom, kTo, dt) };
    const l1 = new Float64Array(to - from + 1);
    const l2 = new Float64Array(to - from + 1);
    if (from < memo.kFrom) {
      const head = this.integralsOnGrid(from, memo.kFrom - 1, dt);
      l1.set(head.l1, 0);
      l2.set(head.l2, 0);
    }
    l1.set(memo.l1, memo.kFrom - from);
    l2.set(memo.l2, memo.kFrom - from);
    if (to > memo.kTo) {
      const tail = this.integralsOnGrid(memo.kTo + 1, to, dt);
      l1.set(tail.l1, memo.kTo + 1 - from);
      l2.set(tail.l2, memo.kTo + 1 - from);
    }
    return { dt, kFrom: from, kTo: to, l1, l2 };
  }

  /**
   * [∫L, ∫L²] at every grid point k·dt for k in [kFrom, kTo]. Each component's angle advances by a fixed rotation
   * per step (no trigonometry in the loop), re-anchored with exact sines every RESYNC steps so rounding never builds
   * up; a month of 15 s points costs milliseconds.
   */
  integralsOnGrid(kFrom: number, kTo: number, dt: number): { l1: Float64Array; l2: Float64Array } {
    const count = Math.max(0, kTo - kFrom + 1);
    const l1 = new Float64Array(count);
    const l2 = new Float64Array(count);
    const terms = (this.squareTerms ??= this.buildSquareTerms());
    const cs = this.components;
    const n = cs.length;
    const sin = new Float64Array(n);
    const cos = new Float64Array(n);
    const stepSin = Float64Array.from(cs, (c) => Math.sin(c.omega * dt));
    const stepCos = Float64Array.from(cs, (c) => Math.cos(c.omega * dt));
    let linear1 = 0;
    let constant1 = 0;
    const amplitude1 = new Float64Array(n);
    cs.forEach((c, i) => {
      if (c.omega === 0) linear1 += c.a * Math.cos(c.phi);
      else {
        amplitude1[i] = c.a / c.omega;
        constant1 -= (c.a / c.omega) * Math.sin(c.phi);
      }
    });
    const { i: is, j: js, diff, sum } = terms;
    for (let x = 0; x < count; x++) {
      const t = (kFrom + x) * dt;
      if (x % RESYNC === 0) {
        for (let i = 0; i < n; i++) {
          const theta = cs[i]!.omega * t + cs[i]!.phi;
          sin[i] = Math.sin(theta);
          cos[i] = Math.cos(theta);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const s0 = sin[i]!;
          const c0 = cos[i]!;
          sin[i] = s0 * stepCos[i]! + c0 * stepSin[i]!;
          cos[i] = c0 * stepCos[i]! - s0 * stepSin[i]!;
        }
      }
      if (t <= 0) continue;
      let v1 = linear1 * t + constant1;
      for (let i = 0; i < n; i++) v1 += amplitude1[i]! * sin[i]!;
      let v2 = terms.linear * t + terms.constant;
      for (let p = 0; p < is.length; p++) {
        const i = is[p]!;
        const j = js[p]!;
        const sc = sin[i]! * cos[j]!;
        const cs2 = cos[i]! * sin[j]!;
        v2 += diff[p]! * (sc - cs2) + sum[p]! * (sc + cs2);
      }
      l1[x] = v1;
      l2[x] = v2;
    }
    return { l1, l2 };
  }

  value(t: number): number {
    let v = 0;
    for (const c of this.components) v += c.a * Math.cos(c.omega * t + c.phi);
    return v;
  }

  /** ∫₀ᵗ L(s) ds */
  integral(t: number): number {
    let v = 0;
    for (const c of this.components) {
      v +=
        c.omega === 0
          ? c.a * Math.cos(c.phi) * t
          : (c.a / c.omega) * (Math.sin(c.omega * t + c.phi) - Math.sin(c.phi));
    }
    return v;
  }

  /**
   * ∫₀ᵗ L(s)² ds, by cos·cos = ½[cos(θi−θj) + cos(θi+θj)] over all pairs. The sines of the pair angles come from
   * each component's sine and cosine by angle addition, so one evaluation costs 2n trigonometric calls, not n².
   */
  integralOfSquare(t: number): number {
    const terms = (this.squareTerms ??= this.buildSquareTerms());
    const n = this.components.length;
    const sin = (this.sinScratch ??= new Float64Array(n));
    const cos = (this.cosScratch ??= new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const c = this.components[i]!;
      const theta = c.omega * t + c.phi;
      sin[i] = Math.sin(theta);
      cos[i] = Math.cos(theta);
    }
    let v = terms.linear * t + terms.constant;
    const { i: is, j: js, diff, sum } = terms;
    for (let p = 0; p < is.length; p++) {
      const i = is[p]!;
      const j = js[p]!;
      const sc = sin[i]! * cos[j]!;
      const cs = cos[i]! * sin[j]!;
      v += diff[p]! * (sc - cs) + sum[p]! * (sc + cs);
    }
    return v;
  }

  private sinScratch: Float64Array | undefined;
  private cosScratch: Float64Array | undefined;
  private squareTerms:
    | {
        linear: number;
        constant: number;
        i: Int32Array;
        j: Int32Array;
        diff: Float64Array;
        sum: Float64Array;
      }
    | undefined;

  /** Per pair: weight/ω of the difference and sum frequencies (0 when that frequency is zero: it is linear in t). */
  private buildSquareTerms() {
    const cs = this.components;
    let linear = 0;
    let constant = 0;
    const is: number[] = [];
    const js: number[] = [];
    const diff: number[] = [];
    const sum: number[] = [];
    for (let i = 0; i < cs.length; i++) {
      for (let j = i; j < cs.length; j++) {
        const ci = cs[i]!;
        const cj = cs[j]!;
        const weight = (i === j ? 0.5 : 1) * ci.a * cj.a;
        const pair = (omega: number, phi: number): number => {
          if (Math.abs(omega) < 1e-15) {
            linear += weight * Math.cos(phi);
            return 0;
          }
          constant -= (weight * Math.sin(phi)) / omega;
          return weight / omega;
        };
        is.push(i);
        js.push(j);
        diff.push(pair(ci.omega - cj.omega, ci.phi - cj.phi));
        sum.push(pair(ci.omega + cj.omega, ci.phi + cj.phi));
      }
    }
    return {
      linear,
      constant,
      i: Int32Array.from(is),
      j: Int32Array.from(js),
      diff: Float64Array.from(diff),
      sum: Float64Array.from(sum),
    };
  }

  /** Reference evaluation of ∫₀ᵗ L², pair by pair (used by tests to check the fast path). */
  integralOfSquareDirect(t: number): number {
    const cs = this.components;
    let v = 0;
    for (let i = 0; i < cs.length; i++) {
      const ci = cs[i]!;
      for (let j = i; j < cs.length; j++) {
        const cj = cs[j]!;
        const weight = (i === j ? 0.5 : 1) * ci.a * cj.a;
        v +=
          weight *
          (cosIntegral(ci.omega - cj.omega, ci.phi - cj.phi, t) +
            cosIntegral(ci.omega + cj.omega, ci.phi + cj.phi, t));
      }
    }
    return v;
  }
}

/** ∫₀ᵗ cos(ωs + φ) ds */
function cosIntegral(omega: number, phi: number, t: number): number {
  if (Math.abs(omega) < 1e-15) return Math.cos(phi) * t;
  return (Math.sin(omega * t + phi) - Math.sin(phi)) / omega;
}
