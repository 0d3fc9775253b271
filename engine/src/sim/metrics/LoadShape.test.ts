import { describe, expect, it } from 'vitest';
import { LoadShape } from './LoadShape.js';

const WEEK = 7 * 86_400;
const MONDAY = 1_763_942_400; // 2025-11-24 00:00 UTC

describe('LoadShape', () => {
  const shape = new LoadShape(42, 'cart');

  it('integrates its own value (central difference of the integral)', () => {
    // Near 1.7e9 s the integrals are ~1e9, so a difference quotient only keeps about 4 digits there.
    for (const [t, digits] of [
      [1_000, 5],
      [86_400 * 3.3, 5],
      [1_763_990_000, 4],
      [1_764_000_007.5, 4],
    ] as const) {
      const h = 0.25;
      expect((shape.integral(t + h) - shape.integral(t - h)) / (2 * h)).toBeCloseTo(shape.value(t), digits);
      const square = (shape.integralOfSquare(t + h) - shape.integralOfSquare(t - h)) / (2 * h);
      expect(square).toBeCloseTo(shape.value(t) ** 2, digits);
    }
  });

  it('computes the square integral by angle addition exactly as pair by pair', () => {
    for (const t of [0, 1, 12_345.6, 1_764_000_000]) {
      expect(shape.integralOfSquare(t)).toBeCloseTo(shape.integralOfSquareDirect(t), 5);
    }
  });

  it('computes grid integrals by rotation exactly as point by point, across re-anchors and memo extensions', () => {
    const k0 = 1_764_000_000 / 15 - 1000;
    const shape2 = new LoadShape(42, 'grid');
    const first = shape2.gridIntegrals(k0, k0 + 600, 15);
    const extended = shape2.gridIntegrals(k0 - 300, k0 + 1200, 15); // both ends missing
    for (const [grid, from, to] of [
      [first, k0, k0 + 600],
      [extended, k0 - 300, k0 + 1200],
    ] as const) {
      for (let k = from; k <= to; k += 37) {
        const i = k - grid.kFrom;
        expect(grid.l1[i]).toBeCloseTo(shape2.integral(k * 15), 4);
        expect(grid.l2[i]).toBeCloseTo(shape2.integralOfSquare(k * 15), 4);
      }
    }
  });

  it('stays positive and inside its bounds over a week', () => {
    let min = Infinity;
    let max = -Infinity;
    for (let t = MONDAY; t < MONDAY + WEEK; t += 60) {
      const v = shape.value(t);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThan(0);
    expect(min).toBeGreaterThanOrEqual(shape.min);
    expect(max).toBeLessThanOrEqual(shape.max);
  });

  it('peaks in the afternoon, dips at night and at the weekend', () => {
    const hour = (day: number, h: number) => shape.value(MONDAY + day * 86_400 + h * 3600);
    expect(hour(0, 14)).toBeGreaterThan(2 * hour(0, 3));
    expect(hour(5, 14)).toBeLessThan(hour(2, 14));
  });

  it('differs between seeds and services only in its wobble', () => {
    const other = new LoadShape(43, 'cart');
    const t = MONDAY + 14 * 3600;
    expect(other.value(t)).not.toBe(shape.value(t));
    expect(Math.abs(other.value(t) - shape.value(t))).toBeLessThan(0.2);
  });
});
