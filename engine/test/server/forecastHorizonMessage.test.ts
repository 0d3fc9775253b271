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
