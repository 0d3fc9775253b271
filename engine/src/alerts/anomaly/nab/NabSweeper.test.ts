import { describe, expect, it } from 'vitest';
import {
  normalizeScore,
  optimizeThreshold,
  probationaryLength,
  scaledSigmoid,
  scoreAtThreshold,
  scoresByThreshold,
  sweepPoints,
  type LabelledSeries,
} from './NabSweeper.js';

const standard = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
// 100 rows, one window on rows 40..49: probation is rows 0..14.
const series: LabelledSeries = {
  name: 'toy.csv',
  timestamps: Array.from({ length: 100 }, (_, i) => i * 60_000),
  windows: [[40 * 60_000, 49 * 60_000]],
};
const scoresWith = (hits: Record<number, number>) => Array.from({ length: 100 }, (_, i) => hits[i] ?? 0);

describe('NAB sweeper', () => {
  it('scaled sigmoid has the values NAB documents', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 5);
    expect(scaledSigmoid(3.5)).toBe(-1);
  });

  it('probation is 15% of the rows, at most 750', () => {
    expect(probationaryLength(100)).toBe(15);
    expect(probationaryLength(22_695)).toBe(750);
  });

  it('an early detection is worth almost a full TP, a missed window −fnWeight', () => {
    const hit = scoreAtThreshold(
      scoresByThreshold(sweepPoints(series, scoresWith({ 40: 0.9 }), standard), standard),
      0.9,
    );
    expect(hit.score).toBeCloseTo(1, 6);
    expect(hit).toMatchObject({ tp: 1, fp: 0, fn: 9 });
    const missed = scoreAtThreshold(
      scoresByThreshold(sweepPoints(series, scoresWith({}), standard), standard),
      0.5,
    );
    expect(missed.score).toBe(-1);
  });

  it('only the earliest detection in a window counts; FPs cost by distance past the window', () => {
    const points = sweepPoints(series, scoresWith({ 45: 0.9, 48: 0.9, 20: 0.9, 52: 0.9, 5: 0.9 }), standard);
    const row = scoreAtThreshold(scoresByThreshold(points, standard), 0.9);
    const tp = scaledSigmoid(-(49 - 45 + 1) / 10) / scaledSigmoid(-1);
    const fpBefore = -1 * 0.11; // no preceding window
    const fpAfter = scaledSigmoid(3 / 9) * 0.11; // 3 rows past the right edge: still rewarded (positive)
    expect(row.score).toBeCloseTo(tp + fpBefore + fpAfter, 10);
    expect(row).toMatchObject({ tp: 2, fp: 2 }); // row 5 is in probation and is not counted
  });

  it('the optimiser picks the threshold that separates hits from false alarms', () => {
    const points = sweepPoints(series, scoresWith({ 41: 0.8, 70: 0.6, 90: 0.7 }), standard);
    const best = optimizeThreshold(points, standard);
    expect(best.threshold).toBe(0.8);
    expect(best.fp).toBe(0);
  });

  it('normalises null to 0 and perfect to 100', () => {
    expect(normalizeScore(-116, 116, standard)).toBe(0);
    expect(normalizeScore(116, 116, standard)).toBe(100);
    expect(normalizeScore(-232, 116, { ...standard, fnWeight: 2 })).toBe(0);
  });

  it('rejects windows whose edges are not row timestamps', () => {
    const bad = { ...series, windows: [[1, 2]] as Array<[number, number]> };
    expect(() => sweepPoints(bad, scoresWith({}), standard)).toThrow(/window edge/);
  });
});
