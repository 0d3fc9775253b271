import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { configError } from '../support/configFile.js';
import { demoServerPerFile } from '../support/demoServerPerFile.js';

/**
 * A token with `scopes: [alerts:ingest]` (server.auth.tokens[].scopes) is what Alertmanager holds: its credentials file
 * is often readable across a monitoring namespace, and before, the operator token there could also approve repairs.
 */
const webhook = readFileSync(
  resolve(import.meta.dirname, '..', '..', '..', 'provisioning', 'alertmanager', 'sample-webhook.json'),
  'utf8',
);
const ingestToken = 'alertmanager-token-0123456789';
const operatorToken = 'operator-token-0123456789ab';

describe('token scopes', () => {
  const server = demoServerPerFile({
    server: {
      auth: {
        tokens: [
          { name: 'alertmanager', token: ingestToken, role: 'operator', scopes: ['alerts:ingest'] },
          { name: 'ops', token: operatorToken, role: 'operator' },
        ],
      },
    },
  });

  const call = (token: string, method: string, path: string, body?: string) =>
    fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body }),
    });

  it('lets an alerts:ingest token send alerts and refuses it every other route: approve a repair, read incidents', async () => {
    expect((await call(ingestToken, 'POST', '/alerts/webhook/alertmanager', webhook)).status).toBe(200);
    const generic = JSON.stringify({ alerts: [{ labels: { alertname: 'Scoped', service: 'checkout' } }] });
    expect((await call(ingestToken, 'POST', '/alerts', generic)).status).toBe(200);
    const approve = await call(ingestToken, 'POST', '/repair/approvals/any-id/approve', '{}');
    expect(approve.status).toBe(403);
    const refusal = (await approve.json()) as {
      error: { message: string; issues: Array<{ field: string }> };
    };
    expect(refusal.error.message).toMatch(/token alertmanager is limited to scope alerts:ingest/);
    expect(refusal.error.issues[0]!.field).toBe('headers.authorization');
    expect((await call(ingestToken, 'GET', '/incidents')).status).toBe(403);
  });

  // A guard, passing before as after: tokens without scopes keep what their role allows.
  it('leaves a token without scopes as it was: ingest, reads, and approvals reach the route', async () => {
    expect((await call(operatorToken, 'POST', '/alerts/webhook/alertmanager', webhook)).status).toBe(200);
    expect((await call(operatorToken, 'GET', '/incidents')).status).toBe(200);
    // Past auth: the route answers that no such approval exists.
    expect((await call(operatorToken, 'POST', '/repair/approvals/any-id/approve', '{}')).status).toBe(404);
  });

  it('documents the scope beside the role in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.paths['/api/v1/alerts/webhook/alertmanager']!['post']).toMatchObject({
      'x-min-role': 'operator',
      'x-scope': 'alerts:ingest',
    });
    expect(doc.paths['/api/v1/incidents']!['get']!['x-scope']).toBeUndefined();
  });
});

describe('token scopes in the config', () => {
  it('refuses an unknown scope, naming the field', () => {
    const error = configError(() =>
      parseConfig({
        server: {
          auth: { tokens: [{ name: 'am', token: ingestToken, role: 'operator', scopes: ['alerts:write'] }] },
        },
      }),
    );
    expect(error.issues?.map((i) => i.field)).toContain('server.auth.tokens.0.scopes.0');
  });
});
