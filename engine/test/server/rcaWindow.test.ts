import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * An RCA window is refused at submission when its end is in the future or a date does not exist. `{"window":{"start":
 * now-600,"end":now+100000}}` was a 202 with the end stored 28 h ahead, and `2026-02-30` (read as March 2) was refused
 * as "the window must be at most 161385 s long" (found walking the README).
 */
const demo = demoAppPerFile();

const now = () => Math.floor(Date.now() / 1000);
const rca = (window: Record<string, unknown>) =>
  demo.app.inject({
    method: 'POST',
    url: '/api/v1/rca',
    payload: { target: { service: 'checkout' }, window },
  });
const issues = (answer: { json(): unknown }) =>
  (answer.json() as { error: { issues: Array<{ field: string; message: string }> } }).error.issues;

describe('RCA window', () => {
  it('refuses an end more than 60 s in the future, naming body.window.end', async () => {
    const answer = await rca({ start: now() - 600, end: now() + 100_000 });
    expect(answer.statusCode).toBe(400);
    expect(issues(answer)).toEqual([
      {
        field: 'body.window.end',
        message: expect.stringContaining('must not be more than 60 s in the future'),
      },
    ]);
    const iso = await rca({ start: now() - 600, end: new Date((now() + 3600) * 1000).toISOString() });
    expect(iso.statusCode).toBe(400);
  });

  it('accepts an end within the skew, or none', async () => {
    expect((await rca({ start: now() - 600, end: now() + 30 })).statusCode).toBe(202);
    expect((await rca({ start: now() - 600 })).statusCode).toBe(202);
  });

  it('reports a date that does not exist as such, for its field', async () => {
    const answer = await rca({ start: '2026-02-30', end: now() });
    expect(answer.statusCode).toBe(400);
    expect(issues(answer)).toEqual([
      { field: 'body.window.start', message: expect.stringContaining('2026-02-30 does not exist') },
    ]);
    const end = await rca({ start: now() - 600, end: '2026-13-01T00:00:00Z' });
    expect(issues(end).map((i) => i.field)).toEqual(['body.window.end']);
    const hour = await rca({ start: '2026-12-01T25:00:00Z' });
    expect(issues(hour)).toEqual([
      { field: 'body.window.start', message: expect.stringContaining('not a valid') },
    ]);
  });

  it('keeps valid ISO times, leap days included', async () => {
    const start = new Date((now() - 600) * 1000).toISOString();
    expect((await rca({ start })).statusCode).toBe(202);
    const query = await demo.app.inject({
      method: 'GET',
      url: '/api/v1/metrics/query_range?query=up&start=2024-02-29T00:00:00Z&end=2024-02-29T01:00:00Z&step=60',
    });
    expect(query.statusCode).not.toBe(400);
  });
});
