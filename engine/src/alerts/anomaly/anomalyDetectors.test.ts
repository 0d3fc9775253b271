import { describe, expect, it } from 'vitest';
import { ANOMALY_DETECTOR_NAMES, createAnomalyDetector } from './anomalyDetectors.js';
import { TailEnsembleDetector } from './detectors/TailEnsembleDetector.js';
import { erfc, normalTailProbability } from './normalTail.js';
import { SortedWindow } from './SortedWindow.js';
import { TailModel } from './TailModel.js';

const MINUTE = 60_000;
/** A daily sinusoid sampled every 5 minutes with deterministic noise. */
function seasonal(days: number, noise = 3, seed = 42): number[] {
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648 - 0.5;
  };
  return Array.from(
    { length: days * 288 },
    (_, i) => 100 + 40 * Math.sin((2 * Math.PI * i) / 288) + noise * rand(),
  );
}

describe('erfc and the normal tail', () => {
  it('matches reference values (Abramowitz & Stegun) across the series/continued-fraction boundary', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(2.5) / 4.06952017444959e-4).toBeCloseTo(1, 10);
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 10);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 14);
    expect(normalTailProbability(13, 10, 1)).toBeCloseTo(0.0013498980316301, 12);
    expect(normalTailProbability(7, 10, 1)).toBeCloseTo(0.0013498980316301, 12);
  });
});

describe('SortedWindow', () => {
  it('keeps the last values sorted and answers quantiles', () => {
    const w = new SortedWindow(4);
    for (const v of [5, 1, 4, 2, 3]) w.push(v);
    expect(w.sorted).toEqual([1, 2, 3, 4]); // 5 fell out
    expect(w.quantile(0.5)).toBe(2.5);
    expect(w.lowerBound(3)).toBe(2);
    expect(w.upperBound(3)).toBe(3);
    expect(() => new SortedWindow(0)).toThrow(/size/);
  });
});

describe('TailModel', () => {
  it('ranks deviations beyond anything seen by their size instead of tying them', () => {
    const model = new TailModel(1000);
    for (let i = 0; i < 1000; i++) model.surprise(i % 100);
    const modest = model.surprise(50);
    const beyond = model.surprise(150);
    const far = model.surprise(400);
    expect(modest).toBeLessThan(1);
    expect(beyond).toBeGreaterThan(2);
    expect(far).toBeGreaterThan(beyond + 2);
  });
});

describe('anomaly detectors', () => {
  for (const name of ANOMALY_DETECTOR_NAMES) {
    it(`${name}: scores stay in [0, 1] and a jump scores above everything before it`, () => {
      const detector = createAnomalyDetector(name, { probationRows: 300 });
      const values = seasonal(5);
      values[values.length - 50] = 400;
      const scores = values.map((v, i) => detector.update(i * 5 * MINUTE, v));
      for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
      const before = Math.max(...scores.slice(300, values.length - 50));
      expect(scores[values.length - 50]!).toBeGreaterThan(before);
    });
  }

  // At the NAB-optimal threshold the detector trades some false alarms for recall (one in ~10^3 samples per
  // baseline on pure noise); AnomalyAlertSource adds the practical-significance check on top for paging.
  it('tail-ensemble: learned daily peaks rarely cross the threshold', () => {
    const detector = createAnomalyDetector('tail-ensemble', { probationRows: 750 });
    const values = seasonal(8);
    const scores = values.map((v, i) => detector.update(i * 5 * MINUTE, v));
    expect(scores.slice(4 * 288).filter((s) => s >= 0.25).length).toBeLessThanOrEqual(4);
  });

  it('tail-ensemble: a flat-lined afternoon is found by the seasonal baseline; escalation lets it through suppression', () => {
    const values = seasonal(8);
    const start = 7 * 288 + 100;
    for (let i = start; i < start + 60; i++) values[i] = 100; // the daily swing stops for five hours
    const run = (escalation: number) => {
      const detector = new TailEnsembleDetector({ probationRows: 750, escalation });
      return values.map((v, i) => detector.update(i * 5 * MINUTE, v));
    };
    // A marginal detection 48 samples earlier (0.256) suppresses the next 150 samples when escalation is off.
    const off = run(0);
    expect(off[start - 48]!).toBeGreaterThanOrEqual(0.25);
    expect(Math.max(...off.slice(start, start + 60))).toBeLessThan(0.25);
    expect(Math.max(...run(2).slice(start, start + 60))).toBeGreaterThanOrEqual(0.5);
  });

  it('tail-ensemble: a detection is not repeated while suppression lasts', () => {
    const detector = createAnomalyDetector('tail-ensemble', { probationRows: 750 });
    const values = seasonal(4);
    const at = 3 * 288;
    for (let i = at; i < at + 20; i++) values[i]! += 200;
    const scores = values.map((v, i) => detector.update(i * 5 * MINUTE, v));
    const detections = scores.slice(at, at + 150).filter((s) => s >= 0.25);
    expect(detections).toHaveLength(1);
  });

  // The three checks below fail with the step they cover turned off (the setting at 0).
  const detectionsFrom = (scores: number[], from: number, to = scores.length) =>
    scores.flatMap((s, i) => (i >= from && i < to && s >= 0.25 ? [i] : []));

  it('tail-ensemble: the seasonal baseline does not judge before it has seen a day of its own deviations', () => {
    const values = seasonal(8, 3, 7);
    const run = (seasonalWarmupDays: number) => {
      const detector = new TailEnsembleDetector({ probationRows: 750, seasonalWarmupDays });
      return values.map((v, i) => detector.update(i * 5 * MINUTE, v));
    };
    // Its first day (days 3..4) on 100 deviations only: one noisy sample looked like a one-in-10^3 event.
    expect(detectionsFrom(run(0), 3 * 288, 4 * 288)).toHaveLength(1);
    expect(detectionsFrom(run(1), 3 * 288, 4 * 288)).toEqual([]);
  });

  it('tail-ensemble: a drift is detected once, not again each time the lagging slow median falls further behind', () => {
    let seed = 5;
    const noise = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648 - 0.5;
    };
    // 30-second steps (no daily model); from row 2,000 the level climbs 0.01 per row, 20 noise widths in 1,000 rows.
    const values = Array.from({ length: 3500 }, (_, i) => 10 + noise() + (i >= 2000 ? 0.01 * (i - 2000) : 0));
    const run = (fastBaselineRows: number) => {
      const detector = new TailEnsembleDetector({ probationRows: 600, fastBaselineRows });
      return values.map((v, i) => detector.update(i * 30_000, v));
    };
    expect(detectionsFrom(run(100), 2000, 2500)).toHaveLength(1);
    expect(detectionsFrom(run(0), 2000, 2500).length).toBeGreaterThanOrEqual(3);
  });

  it('tail-ensemble: a burst of spikes no taller or more frequent than usual one by one is found by the sustained signal', () => {
    // A pair of spikes every 100 rows, then five in 16 rows (NAB's art_increase_spike_density, in miniature).
    const values = Array.from({ length: 3000 }, (_, i) => (i % 100 === 0 || i % 100 === 6 ? 20 : 0));
    for (const i of [2005, 2010, 2015]) values[i] = 20;
    const run = (sustainWindow: number) => {
      const detector = new TailEnsembleDetector({ probationRows: 600, sustainWindow });
      return values.map((v, i) => detector.update(i * 30_000, v));
    };
    expect(detectionsFrom(run(20), 600)).toEqual([2006]);
    expect(detectionsFrom(run(0), 600)).toEqual([]);
  });

  it('rejects an unknown detector name', () => {
    expect(() => createAnomalyDetector('nope' as never, { probationRows: 1 })).toThrow(
      /unknown anomaly detector/,
    );
  });
});
