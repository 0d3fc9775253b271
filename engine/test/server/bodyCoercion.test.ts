import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * A JSON body says what type it sends: a number field given as a string is a 400 naming it. The forecast bodies
 * used `z.coerce.number()`, as query strings must (they are text), and took `{"historyHours": "6"}` as 6, `null`
 * as 0 (found reading the schemas).
 */
const demo = demoAppPerFile();

const issuesOf = (answer: { json(): unknown }) =>
  (answer.json() as { error: { code: string; issues: Array<{ field: string; message: string }> } }).error;

describe('a number field of a JSON body', () => {
  const forecast = { service: 'checkout', signal: 'request_rate' };
  it.each([
    { url: '/api/v1/forecast', base: forecast, field: 'historyHours', value: '6', received: 'string' },
    { url: '/api/v1/forecast', base: forecast, field: 'historyHours', value: null, received: 'null' },
    {
      url: '/api/v1/scale-plan',
      base: { workload: { name: 'checkout' } },
      field: 'capacityPerReplica',
      value: '2',
      received: 'string',
    },
    { url: '/api/v1/forecast/backtest', base: forecast, field: 'testDays', value: true, received: 'boolean' },
  ])('POST $url with $field: $value is a 400 naming it', async ({ url, base, field, value, received }) => {
    const answer = await demo.app.inject({ method: 'POST', url, payload: { ...base, [field]: value } });
    expect(answer.statusCode).toBe(400);
    expect(issuesOf(answer)).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ field: `body.${field}`, message: `Invalid input: expected number, received ${received}` }],
    });
  });
});

describe('a number field of a query string', () => {
  it('is still read from its text', async () => {
    const answer = await demo.app.inject({ method: 'GET', url: '/api/v1/alerts?limit=5' });
    expect(answer.statusCode).toBe(200);
  });
});
