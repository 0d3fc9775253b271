import { describe, expect, it } from 'vitest';
import { dayOf, unusualDays, type DailyInput } from './unusualDays.js';
import { seededRandom } from './util/random.js';

/** Monday 2024-01-01 00:00 UTC. */
const MONDAY = 1_704_067_200;
const STEP = 300;
const PER_DAY = 86400 / STEP;

/**
 * 5-minute steps in log space: a daily wave peaking in the afternoon, weekends lower and flatter, small noise.
 * `odd(day, hour)` replaces the value of chosen days.
 */
function series(days: number, odd?: (day: number, hour: number) => number | undefined, seed = 4): DailyInput {
  const random = seededRandom(seed);
  const values = Array.from({ length: days * PER_DAY }, (_, t) => {
    const day = Math.floor(t / PER_DAY);
    const hour = ((t % PER_DAY) * STEP) / 3600;
    const weekend = day % 7 >= 5;
    const usual = 6 + (weekend ? -0.4 : 0) + (weekend ? 0.5 : 1) * Math.sin((2 * Math.PI * (hour - 9)) / 24);
    return (odd?.(day, hour) ?? usual) + (random() - 0.5) * 0.1;
  });
  return { start: MONDAY, stepSeconds: STEP, values, observed: new Uint8Array(values.length).fill(1) };
}

describe('unusualDays', () => {
  it('flags the one day shaped like a holiday (same level, busy night, quiet afternoon) and no other', () => {
    // Day 17, a Thursday: the weekday wave shifted by 12 hours, so the daily mean is the usual one.
    const input = series(28, (day, hour) =>
      day === 17 ? 6 + Math.sin((2 * Math.PI * (hour + 3)) / 24) : undefined,
    );
    const result = unusualDays(input);
    expect(result.note).toBeUndefined();
    expect(result.scores).toHaveLength(28);
    expect([...result.unusual]).toEqual([dayOf(input, 17 * PER_DAY)]);
    expect(result.scores.find((s) => s.unusual)!.z).toBeGreaterThan(3.5);
  });

  it('flags nothing on a series of usual weekdays and weekends', () => {
    const result = unusualDays(series(28));
    expect(result.scores).toHaveLength(28);
    expect(result.unusual.size).toBe(0);
  });

  it('judges shape, not level: a whole day uniformly higher is not flagged', () => {
    const input = series(28, (day, hour) =>
      day === 10 ? 6.5 + Math.sin((2 * Math.PI * (hour - 9)) / 24) : undefined,
    );
    expect(unusualDays(input).unusual.size).toBe(0);
  });

  it('reads only [0, end): a day after the end is neither scored nor flagged', () => {
    const input = series(28, (day, hour) =>
      day === 25 ? 6 + Math.sin((2 * Math.PI * (hour + 3)) / 24) : undefined,
    );
    expect(unusualDays(input).unusual.has(dayOf(input, 25 * PER_DAY))).toBe(true);
    const before = unusualDays(input, 25 * PER_DAY);
    expect(before.scores).toHaveLength(25);
    expect(before.unusual.size).toBe(0);
  });

  it('flags nothing with fewer than 7 complete days, and says so', () => {
    const input = series(6, (day, hour) =>
      day === 3 ? 6 + Math.sin((2 * Math.PI * (hour + 3)) / 24) : undefined,
    );
    const result = unusualDays(input);
    expect(result.unusual.size).toBe(0);
    expect(result.note).toMatch(/6 complete days, fewer than 7/);
  });

  it('does not count a day with an unobserved hour as complete', () => {
    const input = series(8);
    (input.observed as Uint8Array).fill(0, 2 * PER_DAY, 2 * PER_DAY + 12);
    const result = unusualDays(input);
    expect(result.note).toBeUndefined();
    expect(result.scores).toHaveLength(7);
    expect(result.scores.map((s) => s.day)).not.toContain(dayOf(input, 2 * PER_DAY));
  });
});
