import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * Routes that declare no querystring or body schema: the validator (strictRequests) never saw their input, so
 * `/alerts/stats?stauts=resolved` answered 200 as if filtered, and `POST /incidents/<id>/ack {"bogus":1}` 200 while
 * `/repair/approvals/<id>/reject {"bogus":1}` was a 400 (found walking the README).
 */
const demo = demoAppPerFile();

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
  const routes = [
    ['POST', '/api/v1/incidents/i-unknown/ack'],
    ['POST', '/api/v1/incidents/i-unknown/resolve'],
    ['POST', '/api/v1/rca/r-unknown/rerun'],
    ['DELETE', '/api/v1/jobs/j-unknown'],
  ] as const;
  // [body, content type, status]: none, an empty text or {} reach the route (404: the id is unknown); anything else
  // is a 400 naming body. JSON null is refused although fastify validates a missing body as null too.
  const bodies = [
    [undefined, undefined, 404],
    ['{}', 'application/json', 404],
    ['', 'text/plain', 404],
    ['{"bogus":1}', 'application/json', 400],
    ['"string"', 'application/json', 400],
    ['[1]', 'application/json', 400],
    ['null', 'application/json', 400],
    ['hello', 'text/plain', 400],
  ] as const;

  it.each(routes)('%s %s takes no body but an empty one or {}', async (method, url) => {
    for (const [payload, type, status] of bodies) {
      const headers = type ? { 'content-type': type } : {};
      const answer = await demo.app.inject({ method, url, payload, headers });
      expect(answer.statusCode, `${type} ${payload}`).toBe(status);
      if (status === 400) expect(issuesOf(answer).issues.map((i) => i.field)).toEqual(['body']);
    }
  });
});

describe('the implied schemas', () => {
  it('refuse parameters on a route with its own validator compiler (the Alertmanager webhook)', async () => {
    const answer = await demo.app.inject({
      method: 'POST',
      url: '/api/v1/alerts/webhook/alertmanager?x=1',
      payload: { version: '4', groupKey: 'g', status: 'firing', receiver: 'r', alerts: [] },
    });
    expect(answer.statusCode).toBe(400);
    expect(issuesOf(answer).issues).toEqual([{ field: 'querystring.x', message: 'unknown parameter' }]);
  });

  it('stay out of the OpenAPI document: no parameters, no request body', async () => {
    const doc = (await demo.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown }>>;
    };
    expect(doc.paths['/api/v1/clusters']!.get!.parameters).toBeUndefined();
    expect(doc.paths['/api/v1/incidents/{id}/ack']!.post!.requestBody).toBeUndefined();
    expect(doc.paths['/api/v1/incidents/{id}/ack']!.post!.parameters).toHaveLength(1);
  });
});
