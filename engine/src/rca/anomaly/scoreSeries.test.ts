import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../config.js';
import type { IncidentWindow, SignalSeries } from '../types.js';
import { heldPeak, saturate, scoreFreshChange, scoreSeries } from './scoreSeries.js';

const settings = rcaConfigSchema.parse({}).anomaly;
const window: IncidentWindow = { baselineStart: 0, start: 3600, end: 3900 };
const times = Array.from({ length: 66 }, (_, i) => i * 60);
const noise = (i: number) => ((i * 7919) % 13) / 13 - 0.5; // deterministic, spread in [-0.5, 0.5)
const series = (
  values: (i: number, t: number) => number,
  badDirection: SignalSeries['badDirection'] = 'up',
): SignalSeries => ({
  service: 'cart',
  signal: 'latency',
  badDirection,
  timestamps: times,
  values: times.map((t, i) => values(i, t)),
});

describe('scoreSeries', () => {
  it('scores a level shift after the onset as a large robust z with its change point', () => {
    const s = scoreSeries(
      series((i, t) => 10 + noise(i) + (t >= 3600 ? 5 : 0)),
      window,
      settings,
    )!;
    expect(s.baselineMedian).toBeCloseTo(10, 0);
    expect(s.deviation).toBeGreaterThan(10);
    expect(s.score).toBeGreaterThan(settings.threshold);
    expect(s.changePoint).toBe(3600);
  });

  it('ignores a move in the harmless direction and an unchanged signal', () => {
    const drop = scoreSeries(
      series((i, t) => 10 + noise(i) - (t >= 3600 ? 5 : 0)),
      window,
      settings,
    )!;
    expect(drop.deviation).toBeLessThan(-10);
    expect(drop.score).toBe(0);
    const flat = scoreSeries(
      series((i) => 10 + noise(i)),
      window,
      settings,
    )!;
    expect(flat.score).toBeLessThan(settings.threshold);
  });

  it('does not blame the incident for a level the signal already had before the onset', () => {
    // Shifted 20 minutes before the onset: far from the hour's median, equal to the recent level.
    const s = scoreSeries(
      series((i, t) => 10 + noise(i) + (t >= 2400 ? 5 : 0)),
      window,
      settings,
    )!;
    expect(s.deviation).toBeGreaterThan(3);
    expect(s.score).toBeLessThan(settings.threshold);
  });

  it('still sees a new incident when the minutes before the onset guard held an earlier, ended excursion', () => {
    // An earlier fault from 6 to 9 minutes before the onset, back to normal for the last 5 minutes, then the incident.
    const values = (i: number, t: number) =>
      10 + noise(i) + (t >= 3060 && t < 3300 ? 8 : 0) + (t >= 3600 ? 8 : 0);
    const s = scoreSeries(series(values), window, settings)!;
    expect(s.score).toBeGreaterThan(settings.threshold);
    // Without the return to normal the same level is not news: it was already there before the onset.
    const still = scoreSeries(
      series((i, t) => 10 + noise(i) + (t >= 3060 ? 8 : 0)),
      window,
      settings,
    )!;
    expect(still.score).toBeLessThan(settings.threshold);
  });

  it('gives a usable scale to a signal that sits at one value (availability at 100%)', () => {
    const s = scoreSeries(
      series((i, t) => (t >= 3600 ? 97 : i % 20 === 0 ? 99.5 : 100), 'down'),
      window,
      settings,
    )!;
    expect(s.baselineScale).toBeGreaterThan(0.01);
    expect(s.score).toBeGreaterThan(settings.threshold);
  });

  it('returns nothing without enough baseline', () => {
    expect(
      scoreSeries({ ...series(() => 1), timestamps: [3600, 3660], values: [1, 2] }, window, settings),
    ).toBeUndefined();
  });

  it('saturates large z logarithmically and keeps small ones', () => {
    expect(saturate(3, 10)).toBe(3);
    expect(saturate(100, 10)).toBeCloseTo(10 * (1 + Math.log(10)), 10);
  });

  it('keeps a count rate within Poisson noise of a flat baseline unremarkable, and a real jump remarkable', () => {
    // 4 events per minute throughout the baseline, then 7: a flat short baseline has no spread of its own.
    const rate = (after: number) => series((_i, t) => (t >= 3600 ? after : 4) / 60, 'both');
    expect(scoreSeries(rate(7), window, settings)!.score).toBeGreaterThan(settings.threshold);
    expect(scoreSeries({ ...rate(7), eventsPerUnit: 60 }, window, settings)!.score).toBeLessThan(
      settings.threshold,
    );
    expect(scoreSeries({ ...rate(40), eventsPerUnit: 60 }, window, settings)!.score).toBeGreaterThan(
      settings.threshold,
    );
  });

  it('finds a fault that began late in a long window and scores it from its own onset', () => {
    // An hour of history, then a 60-minute window whose last 4 minutes hold the fault.
    const long: IncidentWindow = { baselineStart: 0, start: 3600, end: 7200 };
    const t = Array.from({ length: 121 }, (_, i) => i * 60);
    const s: SignalSeries = {
      service: 'cart',
      signal: 'latency',
      badDirection: 'up',
      timestamps: t,
      values: t.map((x, i) => 10 + noise(i) + (x >= 6960 ? 6 : 0)),
    };
    const scored = scoreSeries(s, long, settings)!;
    expect(scored.score).toBeGreaterThan(settings.threshold);
    expect(scored.onset).toBe(6960);
    // Without late onsets the window's median hides it.
    expect(scoreSeries(s, long, { ...settings, minOnsetPoints: 0 })!.score).toBeLessThan(settings.threshold);
    // A fault that came and went earlier in the window is not an incident now.
    const healed = { ...s, values: t.map((x, i) => 10 + noise(i) + (x >= 4200 && x < 4800 ? 6 : 0)) };
    expect(scoreSeries(healed, long, settings)!.score).toBeLessThan(settings.threshold);
  });
});

describe('heldPeak', () => {
  it('is the highest level held for the hold time, a point standing for its step', () => {
    // 15 s points, a minute's hold: four points in a row.
    expect(heldPeak([0, 9, 0, 4, 5, 4, 6, 0], 15, 60)).toBe(4);
    expect(heldPeak([0, 9, 0, 1], 15, 60)).toBe(0);
    // 5-minute points: each holds for longer than a minute on its own.
    expect(heldPeak([1, 9, 2], 300, 60)).toBe(9);
    // Fewer points than the hold: all of them must hold.
    expect(heldPeak([7, 5], 15, 60)).toBe(5);
    expect(heldPeak([], 15, 60)).toBe(0);
  });

  it('leaves one noisy point of a 15-second series below the threshold while its peak passes', () => {
    const fine = Array.from({ length: 300 }, (_, i) => i * 15);
    const s = scoreSeries(
      {
        service: 'cart',
        signal: 'error_ratio',
        badDirection: 'up',
        timestamps: fine,
        values: fine.map((t, i) => 1 + 0.1 * noise(i) + (t === 4200 ? 2 : 0)),
      },
      { baselineStart: 0, start: 3600, end: 4485 },
      settings,
    )!;
    expect(s.peak).toBeGreaterThan(settings.threshold);
    expect(s.heldPeak).toBeLessThan(settings.threshold);
  });

  it('counts a held rise of a very steady series only when it is also a material change (symptomMinChange)', () => {
    // Noise of ±0.5 % of the median, as the demo's latencies: a 4 % rise is many sigma and still no symptom.
    const steady = (rise: number, badDirection: SignalSeries['badDirection'] = 'up') =>
      series((i, t) => 100 * (1 + 0.01 * noise(i)) + (t >= 3600 ? rise : 0), badDirection);
    const small = scoreSeries(steady(4), window, settings)!;
    // Neither scored nor held (requireMaterialChange): a few percent of a flat series is quantisation, not a fault.
    expect(small.score).toBe(0);
    expect(small.heldPeak).toBe(0);
    expect(
      scoreSeries(steady(4), window, { ...settings, requireMaterialChange: false })!.score,
    ).toBeGreaterThan(settings.threshold);
    expect(scoreSeries(steady(15), window, settings)!.score).toBeGreaterThan(settings.threshold);
    expect(scoreSeries(steady(4), window, { ...settings, symptomMinChange: 0 })!.heldPeak).toBeGreaterThan(
      settings.threshold,
    );
    expect(scoreSeries(steady(15), window, settings)!.heldPeak).toBeGreaterThan(settings.threshold);
    // A falling signal is exempt: availability at 100 % falling by 2 % is an incident.
    expect(scoreSeries(steady(-2, 'down'), window, settings)!.heldPeak).toBeGreaterThan(settings.threshold);
  });
});

describe('late onsets on a ramp', () => {
  it('dates a change smoothed into a ramp from its first point off the level, so a minute-old fault is seen', () => {
    // 15 s points; the last four climb (a rate over a window turns a step into a ramp).
    const fine = Array.from({ length: 300 }, (_, i) => i * 15);
    const ramp = [0, 0, 0, 0, 2, 4, 6, 7];
    const values = fine.map(
      (_, i) => 1 + 0.1 * noise(i) + (i >= fine.length - 8 ? ramp[i - (fine.length - 8)]! : 0),
    );
    const s = scoreSeries(
      { service: 'cart', signal: 'latency_p99', badDirection: 'up', timestamps: fine, values },
      { baselineStart: 0, start: 3600, end: fine.at(-1)! },
      settings,
    )!;
    expect(s.onset).toBe(fine.at(-4));
    expect(s.score).toBeGreaterThan(settings.threshold);
  });
});

describe('scoreFreshChange: a change younger than the hold time', () => {
  // An hour of baseline and a 15-minute window at a 15 s step, noise about 1 % of the level (the demo's latencies).
  const at = (step: number, points: number) => Array.from({ length: points }, (_, i) => i * step);
  const fine = at(15, 300);
  const end = fine.at(-1)!;
  const fineWindow: IncidentWindow = { baselineStart: 0, start: end - 900, end };
  const shaped = (ts: number[], value: (i: number, t: number) => number): SignalSeries => ({
    service: 'catalog',
    signal: 'latency',
    badDirection: 'up',
    timestamps: ts,
    values: ts.map((t, i) => value(i, t)),
  });
  const lastPoints =
    (n: number, rise: number, length = 300) =>
    (i: number) =>
      10 + 0.1 * noise(i) + (i >= length - n ? rise : 0);

  it('scores the last two points of a step from their start, where the window median and the hold see nothing', () => {
    const s = shaped(fine, lastPoints(2, 5));
    expect(scoreSeries(s, fineWindow, settings)!.score).toBeLessThan(settings.threshold);
    const fresh = scoreFreshChange(s, fineWindow, settings)!;
    expect(fresh.onset).toBe(end - 15);
    expect(fresh.score).toBeGreaterThan(settings.threshold);
    expect(fresh.heldPeak).toBeGreaterThan(settings.threshold);
  });

  it('leaves out one point, a rise under symptomMinChange, a slow drift and coarse points', () => {
    expect(scoreFreshChange(shaped(fine, lastPoints(1, 5)), fineWindow, settings)).toBeUndefined();
    // 5 % of the level: 50 times the noise, but not a material change.
    expect(scoreFreshChange(shaped(fine, lastPoints(2, 0.5)), fineWindow, settings)).toBeUndefined();
    const drift = shaped(fine, (i) => 10 + 0.1 * noise(i) + (i >= 240 ? (i - 240) * 0.1 : 0));
    expect(scoreFreshChange(drift, fineWindow, settings)).toBeUndefined();
    // Two 5-minute points are ten minutes: held, and the late-onset search's to judge.
    const coarse = at(300, 20);
    const coarseWindow: IncidentWindow = { baselineStart: 0, start: 3600, end: coarse.at(-1)! };
    expect(scoreFreshChange(shaped(coarse, lastPoints(2, 5, 20)), coarseWindow, settings)).toBeUndefined();
  });
});
