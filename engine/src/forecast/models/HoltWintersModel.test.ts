import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fitHoltWinters,
  holtWintersForecasts,
  holtWintersLoss,
  type HoltWintersParams,
} from './HoltWintersModel.js';

const fixture = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/forecast/holt_winters_reference.json', import.meta.url),
    'utf8',
  ),
) as {
  series: number[];
  observed: number[];
  params: HoltWintersParams;
  horizon: number;
  origins: number[];
  forecasts: number[][];
};

describe('Holt-Winters', () => {
  it('matches the independent Python reference, gaps included, within 1e-9', () => {
    const f = holtWintersForecasts(
      fixture.series,
      fixture.observed,
      fixture.params,
      fixture.origins,
      fixture.horizon,
    );
    fixture.forecasts.forEach((row, k) => {
      row.forEach((expected, h) => expect(f[k * fixture.horizon + h]).toBeCloseTo(expected, 9));
    });
  });

  it('recovers a clean seasonal signal: fitted parameters beat arbitrary ones and forecast it closely', () => {
    const m = 24;
    const z = Array.from({ length: m * 12 }, (_, t) => 5 + 2 * Math.sin((2 * Math.PI * t) / m) + 0.01 * t);
    const observed = z.map(() => 1);
    const fitted = fitHoltWinters(z, observed, m, z.length, 2 * m, 6);
    const arbitrary = { alpha: 0.9, beta: 0.3, gamma: 0.9, phi: 0.9, period: m };
    expect(holtWintersLoss(z, observed, fitted, z.length)).toBeLessThan(
      holtWintersLoss(z, observed, arbitrary, z.length),
    );
    const origin = z.length - 1;
    const f = holtWintersForecasts(z, observed, fitted, [origin], 6);
    for (let h = 1; h <= 6; h++) {
      const truth = 5 + 2 * Math.sin((2 * Math.PI * (origin + h)) / m) + 0.01 * (origin + h);
      expect(Math.abs(f[h - 1]! - truth)).toBeLessThan(0.05);
    }
  });
  it('forecasts from a few origins exactly as from every origin (the filter visits only from the first one)', () => {
    const m = 24;
    const z = Array.from(
      { length: 24 * 12 },
      (_, t) => 5 + 2 * Math.sin((2 * Math.PI * t) / m) + ((t * 7919) % 13) / 20,
    );
    const observed = z.map((_, t) => (t % 37 === 5 ? 0 : 1));
    const p: HoltWintersParams = { alpha: 0.3, beta: 0.02, gamma: 0.1, phi: 0.95, period: m };
    const all = Array.from({ length: z.length - 1 }, (_, o) => o);
    const every = holtWintersForecasts(z, observed, p, all, 6);
    const some = [z.length - 1 - 6, 100, 3, z.length - 2];
    const few = holtWintersForecasts(z, observed, p, some, 6);
    some.forEach((o, k) =>
      expect(Array.from(few.slice(k * 6, k * 6 + 6))).toEqual(Array.from(every.slice(o * 6, o * 6 + 6))),
    );
  });
});
