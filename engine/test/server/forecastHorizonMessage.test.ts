import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * `{"horizonMinutes":1e400}` is a number in the body as sent, but JSON.parse reads it as Infinity, and the 400 said
 * "as a number (not a string)", which sent the user looking for quotes that were not there.
 */
const demo = demoAppPerFile();

const post = (url: string, body: string) =>
  demo.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: body });
const issues = (res: { json(): unknown }) =>
  (res.json() as { error: { issues: Array<{ field: string; message: string }> } }).error.issues;

describe('horizonMinutes out of a number range', () => {
  for (const [url, base] of [
    ['/api/v1/forecast', '"service":"frontend"'],
    ['/api/v1/scale-plan', '"workload":{"name":"frontend"}'],
  ] as const) {
    it(`POST ${url} with 1e400 says it must be finite, not that it was a string`, async () => {
      for (const horizon of ['1e400', '-1e400']) {
        const res = await post(url, `{${base},"horizonMinutes":${horizon}}`);
        expect(res.statusCode).toBe(400);
        expect(issues(res)).toEqual([
          { field: 'body.horizonMinutes', message: 'must be a finite whole number of minutes' },
        ]);
      }
      // A string still hears that it is one.
      const quoted = await post(url, `{${base},"horizonMinutes":"60"}`);
      expect(issues(quoted)[0]!.message).toMatch(/not a string/);
      const nothing = await post(url, `{${base},"horizonMinutes":null}`);
      expect(issues(nothing)[0]!.message).not.toMatch(/string/);
    });
  }
});

/**
 * Models forecast `forecast.horizonSteps` steps (12 of 300 s in the demo). `horizonMinutes: 600` came back as those
 * 12 points, an hour, with no word; it is refused naming the field and the longest horizon, and an omitted one is the
 * model's hour.
 */
describe("horizonMinutes beyond the model's horizon", () => {
  it('POST /api/v1/forecast with 600 minutes is a 400 naming the longest; 60 and none give 12 points', async () => {
    const base = '"service":"frontend","signal":"request_rate"';
    const long = await post('/api/v1/forecast', `{${base},"horizonMinutes":600}`);
    expect(long.statusCode).toBe(400);
    expect(issues(long)).toEqual([
      {
        field: 'body.horizonMinutes',
        message:
          'must be at most 60 minutes for this series: its model forecasts 12 steps of 300 s (forecast.horizonSteps)',
      },
    ]);
    for (const horizon of [',"horizonMinutes":60', '']) {
      const res = await post('/api/v1/forecast', `{${base}${horizon}}`);
      expect(res.statusCode).toBe(200);
      expect((res.json() as { points: unknown[] }).points).toHaveLength(12);
    }
    const short = await post('/api/v1/forecast', `{${base},"horizonMinutes":15}`);
    expect((short.json() as { points: unknown[] }).points).toHaveLength(3);
  }, 120_000);

  it('POST /api/v1/scale-plan with 120 minutes is refused the same way', async () => {
    const res = await post('/api/v1/scale-plan', '{"workload":{"name":"frontend"},"horizonMinutes":120}');
    expect(res.statusCode).toBe(400);
    expect(issues(res)[0]!.field).toBe('body.horizonMinutes');
  }, 120_000);
});
