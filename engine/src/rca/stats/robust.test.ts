import { describe, expect, it } from 'vitest';
import { changePointIndex, mad, median, pearson } from './robust.js';

// Reference values worked out by hand (sorted deviations from the median; Pearson from the sums of products).
describe('robust statistics', () => {
  it('median and MAD match numpy', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    expect(median(x)).toBe(4);
    expect(mad(x)).toBe(1); // deviations 0,1,1,1,1,1,2,2,3,3,5
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('pearson matches numpy and is 0 for constant input', () => {
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.7745966692414834, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });

  it('finds a level shift where it happens', () => {
    const values = [...Array(30).fill(1), ...Array(10).fill(5)].map((v, i) => v + 0.01 * Math.sin(i));
    expect(changePointIndex(values)).toBe(30);
    expect(changePointIndex([1, 2])).toBe(-1);
  });
});
