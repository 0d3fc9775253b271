import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * A field left out was worded as a wrong type, "Invalid input: expected string, received undefined" (`/assistant/search`
 * without `q`, `{}` to /scale-plan): it is said as missing, the field named, on routes and in a config file alike.
 */
const demo = demoAppPerFile();

const issues = (res: { json(): unknown }) =>
  (res.json() as { error: { issues: Array<{ field: string; message: string }> } }).error.issues;

describe('a missing field', () => {
  it('is "required" in a query string and in a body, a wrong type still says what it got', async () => {
    const search = await demo.app.inject({ method: 'GET', url: '/api/v1/assistant/search' });
    expect(search.statusCode).toBe(400);
    expect(issues(search)).toEqual([{ field: 'querystring.q', message: 'required' }]);

    const plan = await demo.app.inject({ method: 'POST', url: '/api/v1/scale-plan', payload: {} });
    expect(plan.statusCode).toBe(400);
    expect(issues(plan)).toContainEqual({ field: 'body.workload', message: 'required' });

    const wrong = await demo.app.inject({
      method: 'POST',
      url: '/api/v1/scale-plan',
      payload: { workload: 'x' },
    });
    expect(issues(wrong)).toContainEqual({
      field: 'body.workload',
      message: 'Invalid input: expected object, received string',
    });
  }, 120_000);
});
