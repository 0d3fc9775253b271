import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * A time field left out was refused as "Invalid input", which says neither that it is required nor what it takes:
 * `POST /rca {"window":{"end":…}}` answered `body.window.start: Invalid input` and `GET /metrics/query_range?query=up`
 * `querystring.start: Invalid input` (zod's message for a union that no member accepts).
 */
const demo = demoAppPerFile();

const issues = (res: { statusCode: number; json(): unknown }) => {
  expect(res.statusCode).toBe(400);
  return (res.json() as { error: { issues: Array<{ field: string; message: string }> } }).error.issues;
};
const rca = (window: Record<string, unknown>) =>
  demo.app.inject({ method: 'POST', url: '/api/v1/rca', payload: { namespace: 'shop', window } });
const range = (query: string) =>
  demo.app.inject({ method: 'GET', url: `/api/v1/metrics/query_range?${query}` });

const REQUIRED = 'required: unix seconds or an ISO-8601 time';
const WRONG = 'must be unix seconds or an ISO-8601 time';

describe('time fields', () => {
  it('POST /rca: a window without start says start is required and what it takes', async () => {
    expect(issues(await rca({ end: new Date().toISOString() }))).toEqual([
      { field: 'body.window.start', message: REQUIRED },
    ]);
    expect(issues(await rca({ start: true }))).toEqual([{ field: 'body.window.start', message: WRONG }]);
  });

  it('GET /metrics/query_range: start, end and step left out are each required', async () => {
    expect(issues(await range('query=up'))).toEqual([
      { field: 'querystring.start', message: REQUIRED },
      { field: 'querystring.end', message: REQUIRED },
      { field: 'querystring.step', message: 'must be a number of seconds between points (required)' },
    ]);
    expect(issues(await range('query=up&start=1&end=100&step=abc'))).toEqual([
      { field: 'querystring.step', message: 'must be a number of seconds between points (required)' },
    ]);
    expect(issues(await range('query=up&start=yesterday&end=100&step=10'))).toEqual([
      { field: 'querystring.start', message: WRONG },
    ]);
  });
});
