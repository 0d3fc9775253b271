import { baselineBand } from './baselineBand';

describe('baselineBand', () => {
  test('median ± 3 robust σ of the points before the incident only', () => {
    // Baseline t=0..4: values 1,2,3,4,100 → median 3, MAD 1 → σ 1.4826; the incident point (t=5) is ignored.
    const band = baselineBand([0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 100, 1e6], 0, 5)!;
    expect(band.median).toBe(3);
    expect(band.upper).toBeCloseTo(3 + 3 * 1.4826, 10);
    expect(band.lower).toBeCloseTo(3 - 3 * 1.4826, 10);
    expect(band.points).toBe(5);
  });

  test('no band from fewer than three finite points', () => {
    expect(baselineBand([0, 1, 2], [1, NaN, 2], 0, 10)).toBeUndefined();
  });
});
