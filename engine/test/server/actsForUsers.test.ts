import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import type { RepairActionDto, RepairAuditRecordDto } from '../../src/repair/repairSchemas.js';
import { buildApp } from '../../src/server/app.js';
import { demoServerPerFile } from '../support/demoServerPerFile.js';

/**
 * A token with `actsForUsers: true` (server.auth.tokens[].actsForUsers) is a trusted front-end, the Backstage backend:
 * it names its signed-in user in X-AICloudOps-User, and the engine records that user via the token. Before, every
 * acknowledgement made through the portal read `acknowledgedBy: backstage`.
 */
const portalToken = 'backstage-token-0123456789ab';
const operatorToken = 'operator-token-0123456789ab';
const USER = 'user:default/jane';

describe('a token acting for its users (X-AICloudOps-User)', () => {
  const server = demoServerPerFile({
    server: {
      auth: {
        tokens: [
          { name: 'backstage', token: portalToken, role: 'operator', actsForUsers: true },
          { name: 'ops', token: operatorToken, role: 'operator' },
        ],
      },
    },
  });

  const call = (
    token: string,
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ) =>
    fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });

  let alertCount = 0;
  const openIncident = async (): Promise<string> => {
    alertCount += 1;
    const alerts = [
      { labels: { alertname: `ActsFor${alertCount}`, service: `svc-${alertCount}`, severity: 'critical' } },
    ];
    expect((await call(operatorToken, 'POST', '/alerts', {}, JSON.stringify({ alerts }))).status).toBe(200);
    const list = (await (await call(operatorToken, 'GET', '/incidents')).json()) as {
      items: Array<{ id: string; title?: string; alerts?: unknown; service?: string }>;
    };
    const found = list.items.find((item) => JSON.stringify(item).includes(`svc-${alertCount}`));
    expect(found).toBeDefined();
    return found!.id;
  };

  const fieldOf = async (answer: Response) =>
    ((await answer.json()) as { error: { issues: Array<{ field: string }> } }).error.issues[0]!.field;

  it('records the named user via the trusted token on an incident acknowledgement', async () => {
    const id = await openIncident();
    const ack = await call(portalToken, 'POST', `/incidents/${id}/ack`, { 'x-aicloudops-user': USER });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ acknowledgedBy: `${USER} via backstage` });
  });

  it('refuses the header from a token without actsForUsers, naming the header, and acknowledges nothing', async () => {
    const id = await openIncident();
    const ack = await call(operatorToken, 'POST', `/incidents/${id}/ack`, { 'x-aicloudops-user': USER });
    expect(ack.status).toBe(403);
    expect(await fieldOf(ack)).toBe('headers.x-aicloudops-user');
    const incident = (await (await call(operatorToken, 'GET', `/incidents/${id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(incident['acknowledgedBy']).toBeUndefined();
  });

  it('refuses a user name that is not 1 to 256 printable characters with a 400 naming the header', async () => {
    const id = await openIncident();
    for (const bad of ['x'.repeat(257), 'jane\u00e9']) {
      const ack = await call(portalToken, 'POST', `/incidents/${id}/ack`, { 'x-aicloudops-user': bad });
      expect(ack.status).toBe(400);
      expect(await fieldOf(ack)).toBe('headers.x-aicloudops-user');
    }
  });

  // A guard, passing before as after: the header never raises the role.
  it('keeps the token’s role: a user named by the portal, narrowed to viewer, may not acknowledge', async () => {
    const id = await openIncident();
    const ack = await call(portalToken, 'POST', `/incidents/${id}/ack`, {
      'x-aicloudops-user': USER,
      'x-aicloudops-role': 'viewer',
    });
    expect(ack.status).toBe(403);
  });

  // A guard, passing before as after: without the header both tokens are recorded by their own names.
  it('leaves calls without the header as they were', async () => {
    const id = await openIncident();
    const ack = await call(portalToken, 'POST', `/incidents/${id}/ack`);
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ acknowledgedBy: 'backstage' });
  });
});

describe('a repair approved through a token acting for its users', () => {
  let engine: Engine;
  let app: FastifyInstance;
  beforeAll(async () => {
    engine = await createEngine(
      parseConfig({
        profile: 'demo',
        logLevel: 'silent',
        cluster: { kind: 'simulated', injectFaults: false },
        server: {
          auth: { tokens: [{ name: 'backstage', token: portalToken, role: 'operator', actsForUsers: true }] },
        },
        repair: { maxMode: 'approve', namespaces: ['shop'] },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    app = await buildApp(engine);
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  const headers = { authorization: `Bearer ${portalToken}`, 'x-aicloudops-user': USER };

  it('records the user as the decider, in the action and in the audit trail', async () => {
    engine.demo!.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    let pending: RepairActionDto[] = [];
    for (let i = 0; i < 40 && pending.length === 0; i++) {
      engine.demo!.cluster.step(1);
      await engine.services.repair!.runOnce();
      pending = (await app.inject({ method: 'GET', url: '/api/v1/repair/approvals', headers })).json<{
        items: RepairActionDto[];
      }>().items;
    }
    const action = pending[0]!;
    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/repair/approvals/${action.id}/approve`,
      headers,
      payload: {},
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json<RepairActionDto>().approval).toMatchObject({ decidedBy: `${USER} via backstage` });
    const audit = (
      await app.inject({ method: 'GET', url: '/api/v1/repair/audit?namespace=shop&name=cart', headers })
    ).json<{ items: RepairAuditRecordDto[] }>().items;
    expect(audit.find((r) => r.actionId === action.id && r.kind === 'approved')?.actor).toBe(
      `${USER} via backstage`,
    );
  });
});

// With auth off every caller is already an anonymous admin: the name is recorded as given, marked as unverified.
describe('X-AICloudOps-User with auth off', () => {
  const server = demoServerPerFile({ server: { auth: { enabled: false, tokens: [] } } });

  it('records the named user via anonymous on an incident acknowledgement', async () => {
    const json = { 'content-type': 'application/json' };
    const alerts = [{ labels: { alertname: 'ActsForOpen', service: 'open', severity: 'critical' } }];
    const ingest = await fetch(`${server.url}/api/v1/alerts`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ alerts }),
    });
    expect(ingest.status).toBe(200);
    const list = (await (await fetch(`${server.url}/api/v1/incidents`)).json()) as {
      items: Array<{ id: string }>;
    };
    const ack = await fetch(`${server.url}/api/v1/incidents/${list.items[0]!.id}/ack`, {
      method: 'POST',
      headers: { 'x-aicloudops-user': USER },
    });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ acknowledgedBy: `${USER} via anonymous` });
  });
});
