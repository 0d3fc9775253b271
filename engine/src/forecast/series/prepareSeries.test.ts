import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareSeries } from './prepareSeries.js';

const rows = readFileSync(
  new URL('../../../test/fixtures/forecast/nasa_http_5min_slice.csv', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','));
const timestamps = rows.map((r) => Date.parse(r[0]!) / 1000);
const values = rows.map((r) => Number(r[1]));
const outageColumn = rows.map((r) => Number(r[2]));
const options = {
  stepSeconds: 300,
  transform: 'auto' as const,
  outageMinMinutes: 30,
  outageMaxZeroShare: 0.2,
};

describe('prepareSeries on the NASA slice (real gap and outage)', () => {
  const s = prepareSeries(timestamps, values, options);
  const indexOf = (iso: string) => Math.round((Date.parse(iso) / 1000 - s.start) / 300);

  it('puts the missing days on the grid as unobserved steps', () => {
    const gapStart = indexOf('1995-07-28T13:30:00-04:00');
    const gapEnd = indexOf('1995-07-31T23:55:00-04:00');
    expect(s.observed.subarray(gapStart, gapEnd + 1).every((o) => o === 0)).toBe(true);
    expect(s.report.missingSteps).toBe(gapEnd - gapStart + 1);
  });

  it('masks the zero-count outage, agreeing with the dataset outage column', () => {
    // Partial bins at the edges of the outage carry counts: those are real data, not masked.
    const flagged = rows.map((_, i) => i).filter((i) => outageColumn[i] === 1 && values[i] === 0);
    for (const i of flagged) expect(s.observed[indexOf(rows[i]![0]!)]).toBe(0);
    const normal = rows.map((_, i) => i).filter((i) => outageColumn[i] === 0);
    const wronglyMasked = normal.filter((i) => s.observed[indexOf(rows[i]![0]!)] === 0);
    // Zero bins right after the restart (the server came back to an empty night) may join the outage.
    expect(wronglyMasked.length).toBeLessThanOrEqual(12);
    expect(s.report.outages.length).toBeGreaterThanOrEqual(1);
    expect(s.report.outages[0]!.start).toBe(Date.parse('1995-08-01T14:55:00-04:00') / 1000);
  });

  it('fills unobserved steps with last-day values, never zeros, and picks log1p for counts', () => {
    expect(s.transform).toBe('log1p');
    const outage = indexOf('1995-08-02T12:00:00-04:00');
    expect(s.values[outage]).toBe(s.values[outage - 288]);
    expect(s.values[outage]).toBeGreaterThan(0);
    expect(s.z[outage]).toBeCloseTo(Math.log1p(s.values[outage]!), 12);
  });

  it('keeps zeros of a series where zero is normal', () => {
    const sparse = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const p = prepareSeries(
      sparse.map((_, i) => i * 60),
      sparse,
      { ...options, stepSeconds: 60 },
    );
    expect(p.report.outageSteps).toBe(0);
    // Idle every night (hourly steps, zero from 0:00 to 6:00 each day): nights are data, not outages.
    const nightly = Array.from({ length: 24 * 5 }, (_, i) => (i % 24 < 6 ? 0 : 50));
    const q = prepareSeries(
      nightly.map((_, i) => i * 3600),
      nightly,
      { ...options, stepSeconds: 3600 },
    );
    expect(q.report.outageSteps).toBe(0);
  });

  it('turns a cumulative counter into increases, treating a drop as a restart', () => {
    const p = prepareSeries([0, 60, 120, 180, 240], [100, 110, 125, 5, 12], {
      ...options,
      stepSeconds: 60,
      counter: true,
    });
    expect(Array.from(p.values)).toEqual([10, 15, 5, 7]);
    expect(p.report.counterResets).toBe(1);
  });

  it('rejects mismatched input with the field named', () => {
    expect(() => prepareSeries([1, 2], [1], options)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
