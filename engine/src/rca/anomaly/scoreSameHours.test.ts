import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../config.js';
import type { SignalSeries } from '../types.js';
import { scoreSameHours } from './scoreSameHours.js';
import { describeBaseline } from './findOnset.js';

const settings = rcaConfigSchema.parse({}).anomaly;
const window = { baselineStart: 0, start: 3600, end: 4500 };
const timestamps = Array.from({ length: 76 }, (_, i) => i * 60);
/** 1.0 in the hour before, 2.0 in the window: the daily step at 09:00. */
const values = timestamps.map((t, i) => (t >= window.start ? 2 : 1) * (1 + 0.01 * Math.sin(i)));
const series = (sameHours?: SignalSeries['sameHours']): SignalSeries => ({
  service: 'api',
  signal: 'latency',
  badDirection: 'up',
  timestamps,
  values,
  ...(sameHours ? { sameHours } : {}),
});
/** Earlier days that stepped the same way at the same hour. */
const usualDays = (days: number) => ({
  days,
  values: Array.from({ length: days }, () =>
    timestamps.map((t, i) => (t >= window.start ? 2 : 1) * (1 + 0.01 * Math.cos(i))),
  ).flat(),
});

describe('scoreSameHours', () => {
  it('is undefined without enough earlier points, so the hour before is used', () => {
    expect(scoreSameHours(series(), window, settings)).toBeUndefined();
    expect(scoreSameHours(series({ days: 1, values: [1, 2] }), window, settings)).toBeUndefined();
  });

  it('calls a step that happens every day at that hour usual, and keeps the original series as evidence', () => {
    const scored = scoreSameHours(series(usualDays(7)), window, settings)!;
    expect(scored.score).toBeLessThan(settings.threshold);
    expect(scored.series.timestamps).toBe(timestamps);
    expect(scored.sameHoursDays).toBe(7);
    expect(scored.sameHoursPoints).toBe(7 * 76);
  });

  it('scores a level the earlier days never reached', () => {
    const quiet = { days: 3, values: Array.from({ length: 3 * 76 }, (_, i) => 1 + 0.01 * Math.cos(i)) };
    expect(scoreSameHours(series(quiet), window, settings)!.score).toBeGreaterThan(settings.threshold);
  });

  it('describes the baseline as same-hours with its days, trusted by how many days and points it had', () => {
    expect(describeBaseline([scoreSameHours(series(usualDays(7)), window, settings)!], window)).toMatchObject(
      { kind: 'same-hours', days: 7, trust: 'high' },
    );
    expect(describeBaseline([scoreSameHours(series(usualDays(2)), window, settings)!], window)).toMatchObject(
      { kind: 'same-hours', days: 2, trust: 'medium' },
    );
  });
});
