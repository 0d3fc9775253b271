import { anomalyScores } from './anomalyScore';

describe('anomalyScores', () => {
  test('matches a hand computation of the robust z-score', () => {
    // Context [1, 2, 3, 4, 100]: median 3, absolute deviations [2, 1, 0, 1, 97] -> MAD 1.
    // Next point 6: |6 - 3| / (1.4826 * 1) = 2.0235...
    const scores = anomalyScores([1, 2, 3, 4, 100, 6], { window: 5, minPoints: 5 });
    expect(scores.slice(0, 5).every(Number.isNaN)).toBe(true);
    expect(scores[5]).toBeCloseTo(3 / 1.4826, 6);
  });

  test('only the trailing window counts', () => {
    // With window 2 the context of the last point is [10, 10]: MAD 0, so the level-based scale (1% of 10) applies.
    const scores = anomalyScores([1000, 1000, 10, 10, 11], { window: 2, minPoints: 2 });
    expect(scores[4]).toBeCloseTo(1 / 0.1, 6);
  });

  test('a constant series scores zero and a jump off it scores high', () => {
    const scores = anomalyScores([...Array(20).fill(5), 5, 8], { window: 20, minPoints: 10 });
    expect(scores[20]).toBe(0);
    expect(scores[21]).toBeGreaterThan(50);
  });

  test('missing values get no score and do not enter the context', () => {
    const scores = anomalyScores([1, 2, Number.NaN, 3, 4, 2.5], { window: 10, minPoints: 4 });
    expect(Number.isNaN(scores[2])).toBe(true);
    // Context [1, 2, 3, 4]: median 2.5 -> score 0 for 2.5.
    expect(scores[5]).toBe(0);
  });
});
