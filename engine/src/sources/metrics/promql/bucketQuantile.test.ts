import { describe, expect, it } from 'vitest';
import { bucketQuantile } from './evaluatePromql.js';

describe('bucketQuantile (Prometheus histogram_quantile)', () => {
  const buckets = [
    { le: 0.1, count: 50 },
    { le: 0.5, count: 90 },
    { le: 1, count: 100 },
    { le: Infinity, count: 100 },
  ];

  it('interpolates linearly inside the bucket holding the rank', () => {
    expect(bucketQuantile(0.5, buckets)).toBeCloseTo(0.1, 12);
    expect(bucketQuantile(0.7, buckets)).toBeCloseTo(0.1 + 0.4 * (20 / 40), 12);
    expect(bucketQuantile(0.25, buckets)).toBeCloseTo(0.05, 12);
  });

  it('returns the highest finite bound when the rank falls in +Inf', () => {
    expect(
      bucketQuantile(0.99, [
        { le: 1, count: 10 },
        { le: Infinity, count: 20 },
      ]),
    ).toBe(1);
  });

  it('handles the edge cases as Prometheus does', () => {
    expect(bucketQuantile(-0.1, buckets)).toBe(-Infinity);
    expect(bucketQuantile(1.1, buckets)).toBe(Infinity);
    expect(bucketQuantile(0.5, [{ le: 1, count: 5 }])).toBeNaN();
    expect(
      bucketQuantile(0.5, [
        { le: 1, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeNaN();
    expect(
      bucketQuantile(0.5, [
        { le: 1, count: 5 },
        { le: 2, count: 10 },
      ]),
    ).toBeNaN();
  });

  it('repairs non-monotonic bucket counts', () => {
    const broken = [
      { le: 0.1, count: 50 },
      { le: 0.5, count: 40 },
      { le: Infinity, count: 100 },
    ];
    expect(bucketQuantile(0.4, broken)).toBeCloseTo(0.08, 12);
  });
});
