import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoApp, type DemoApp } from '../support/startDemoApp.js';

/**
 * Routes that declare no querystring or body schema: the validator (strictRequests) never saw their input, so
 * `/alerts/stats?stauts=resolved` answered 200 as if filtered, and `POST /incidents/<id>/ack {"bogus":1}` 200 while
 * `/repair/approvals/<id>/reject {"bogus":1}` was a 400 (found walking the README).
 */
let demo: DemoApp;
beforeAll(async () => {
  demo = await startDemoApp();
}, 60_000);
afterAll(async () => {
  await demo?.close();
});

const issuesOf = (answer: { json(): unknown }) =>
  (answer.json() as { error: { code: string; issues: Array<{ field: string; message: string }> } }).error;

describe('GET /alerts, whose URL also takes the lenient generic alert form', () => {
  it('refuses an unknown query parameter with a did-you-mean (only the POST body is lenient)', async () => {
    const answer = await demo.app.inject({ method: 'GET', url: '/api/v1/alerts?stauts=resolved' });
    expect(answer.statusCode).toBe(400);
    expect(JSON.stringify(issuesOf(answer))).toContain('querystring.stauts');
    expect((await demo.app.inject({ method: 'GET', url: '/api/v1/alerts?status=resolved' })).statusCode).toBe(
      200,
    );
  });
});

describe('a route without a querystring schema', () => {
  it.each([
    '/api/v1/demo/faults',
    '/api/v1/clusters',
    '/api/v1/signals',
    '/api/v1/config',
    '/api/v1/assistant/status',
    '/readyz',
    '/healthz',
    '/api/v1/alerts/stats',
    '/api/v1/jobs/j-unknown',
  ])('%s refuses any parameter with a 400 naming it', async (path) => {
    const answer = await demo.app.inject({ method: 'GET', url: `${path}?stauts=resolved` });
    expect(answer.statusCode).toBe(400);
    expect(issuesOf(answer)).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ field: 'querystring.stauts', message: 'unknown parameter' }],
    });
    expect((await demo.app.inject({ method: 'GET', url: path })).statusCode).not.toBe(400);
  });

  it('still answers the scrape, the OpenAPI document and unknown paths as before', async () => {
    expect((await demo.app.inject({ method: 'GET', url: '/metrics?name[]=x' })).statusCode).toBe(200);
    expect((await demo.app.inject({ method: 'GET', url: '/api/v1/openapi.json?v=1' })).statusCode).toBe(200);
    expect((await demo.app.inject({ method: 'GET', url: '/api/v1/nope?x=1' })).statusCode).toBe(404);
  });
});

describe('a state-changing route without a body schema', () => {
  const posts = [
    ['POST', '/api/v1/incidents/i-unknown/ack'],
    ['POST', '/api/v1/incidents/i-unknown/resolve'],
    ['POST', '/api/v1/rca/r-unknown/rerun'],
    ['DELETE', '/api/v1/jobs/j-unknown'],
  ] as const;

  it.each(posts)(
    '%s %s refuses a body with fields, a string or an array, naming body',
    async (method, url) => {
      for (const payload of ['{"bogus":1}', '"string"', '[1]', 'null']) {
        const answer = await demo.app.inject({
          method,
          url,
          payload,
          headers: { 'content-type': 'application/json' },
        });
        expect(answer.statusCode, payload).toBe(400);
        expect(issuesOf(answer).issues.map((i) => i.field)).toEqual(['body']);
      }
      const text = await demo.app.inject({
        method,
        url,
        payload: 'hello',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.statusCode).toBe(400);
    },
  );

  it.each(posts)('%s %s takes no body, an empty one or {} (404: the id is unknown)', async (method, url) => {
    expect((await demo.app.inject({ method, url })).statusCode).toBe(404);
    const empty = await demo.app.inject({
      method,
      url,
      payload: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode).toBe(404);
    const plain = await demo.app.inject({
      method,
      url,
      payload: '',
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.statusCode).toBe(404);
  });
});
