import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import type { RepairActionDto, RepairAuditRecordDto } from '../../src/repair/repairSchemas.js';
import { buildApp } from '../../src/server/app.js';
import { EngineClient } from '@ai-cloudops/engine-client';

/** The repair routes in the engine's real app over the demo world's simulated cluster, with roles. */
let engine: Engine;
let app: FastifyInstance;

const TOKENS = {
  viewer: 'viewer-token-0123456789',
  operator: 'operator-token-0123456789',
  admin: 'admin-token-0123456789ab',
};
const as = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` });

beforeAll(async () => {
  engine = await createEngine(
    parseConfig({
      profile: 'demo',
      logLevel: 'silent',
      cluster: { kind: 'simulated', injectFaults: false },
      server: {
        auth: {
          enabled: true,
          tokens: Object.entries(TOKENS).map(([role, token]) => ({ name: `${role}-user`, token, role })),
        },
      },
      repair: { maxMode: 'approve', namespaces: ['shop'] },
    }),
    { logger: pino({ level: 'silent' }) },
  );
  app = await buildApp(engine);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await engine?.close();
});

async function untilFinding(type: string, name: string) {
  for (let i = 0; i < 40; i++) {
    const scan = (
      await app.inject({
        method: 'GET',
        url: '/api/v1/repair/findings?namespace=shop',
        headers: as('viewer'),
      })
    ).json<{ findings: Array<{ type: string; workload: { name: string } }> }>();
    if (scan.findings.some((f) => f.type === type && f.workload.name === name)) return;
    engine.demo!.cluster.step(1);
  }
  throw new Error(`no ${type} for ${name}`);
}

describe('repair routes', () => {
  it('scan → plan → approval (operator only, once) → applied, with an audit trail that verifies', async () => {
    engine.demo!.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    await untilFinding('OOMKilled', 'cart');
    const plans = (
      await app.inject({ method: 'GET', url: '/api/v1/repair/plans?namespace=shop', headers: as('viewer') })
    ).json<{ actions: Array<{ type: string; mode: string }> }>();
    expect(plans.actions).toContainEqual(
      expect.objectContaining({ type: 'raise-memory-limit', mode: 'approve' }),
    );

    await engine.services.repair!.runOnce();
    const pending = (
      await app.inject({ method: 'GET', url: '/api/v1/repair/approvals', headers: as('viewer') })
    ).json<{ items: RepairActionDto[] }>().items;
    const raise = pending.find((a) => a.planned.type === 'raise-memory-limit')!;
    expect(raise.dryRun?.ok).toBe(true);
    expect(raise.dryRun?.diff.some((d) => d.path.endsWith('/limits/memory'))).toBe(true);

    const byViewer = await app.inject({
      method: 'POST',
      url: `/api/v1/repair/approvals/${raise.id}/approve`,
      headers: as('viewer'),
      payload: {},
    });
    expect(byViewer.statusCode).toBe(403);
    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/repair/approvals/${raise.id}/approve`,
      headers: as('operator'),
      payload: { comment: 'ok' },
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json<RepairActionDto>().approval).toMatchObject({
      decision: 'approved',
      decidedBy: 'operator-user',
    });
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/repair/approvals/${raise.id}/reject`,
      headers: as('operator'),
      payload: {},
    });
    expect(again.statusCode).toBe(409);

    await engine.services.repair!.runOnce({ scan: false });
    const action = (
      await app.inject({ method: 'GET', url: `/api/v1/repair/actions/${raise.id}`, headers: as('viewer') })
    ).json<RepairActionDto>();
    expect(action.state).toBe('verifying');
    const audit = (
      await app.inject({
        method: 'GET',
        url: `/api/v1/repair/audit?namespace=shop&name=cart`,
        headers: as('viewer'),
      })
    ).json<{ items: RepairAuditRecordDto[] }>().items;
    expect(audit.filter((r) => r.actionId === raise.id).map((r) => r.kind)).toEqual([
      'finding',
      'dry-run',
      'approval-requested',
      'approved',
      'recheck',
      'applied',
    ]);
    const verified = await app.inject({
      method: 'GET',
      url: '/api/v1/repair/audit/verify',
      headers: as('viewer'),
    });
    expect(verified.json()).toMatchObject({ ok: true });
  });

  it('validates audit queries naming the field', async () => {
    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/repair/audit?since=yesterday',
      headers: as('viewer'),
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('since');
  });

  for (const { name, refused, accepted } of [
    {
      name: 'refuses an unknown action state or a namespace Kubernetes would refuse, naming the field (they answered 200 and nothing)',
      refused: [
        ['/api/v1/repair/actions?state=awaiting', 'querystring.state'],
        ['/api/v1/repair/actions?namespace=Shop_1', 'querystring.namespace'],
        ['/api/v1/repair/findings?namespace=-1', 'querystring.namespace'],
        ['/api/v1/repair/plans?namespace=..%2Fetc', 'querystring.namespace'],
        ['/api/v1/repair/audit?namespace=a%20b', 'querystring.namespace'],
      ],
      accepted: '/api/v1/repair/actions?state=awaiting-approval&namespace=shop',
    },
    {
      name: 'refuses a since that is not an RFC 3339 time, or a name Kubernetes would refuse, naming the field',
      refused: [
        ['/api/v1/repair/actions?since=yesterday', 'querystring.since'],
        ['/api/v1/repair/actions?since=2026-01-01T00:00:00', 'querystring.since'],
        ['/api/v1/repair/actions?name=Cart_1', 'querystring.name'],
        ['/api/v1/repair/actions?name=cart,,payments', 'querystring.name'],
        [`/api/v1/repair/actions?name=${Array(101).fill('a').join(',')}`, 'querystring.name'],
      ],
      accepted: '/api/v1/repair/actions?name=cart,payments&since=2026-01-01T08:00:00%2B08:00',
    },
  ] as const) {
    it(name, async () => {
      for (const [url, field] of refused) {
        const bad = await app.inject({ method: 'GET', url, headers: as('viewer') });
        expect(bad.statusCode, url).toBe(400);
        expect(bad.json<{ error: { message: string } }>().error.message, url).toContain(field);
      }
      const good = await app.inject({ method: 'GET', url: accepted, headers: as('viewer') });
      expect(good.statusCode, good.body).toBe(200);
    });
  }

  it('lets only an admin flip the kill switch', async () => {
    const byOperator = await app.inject({
      method: 'PUT',
      url: '/api/v1/repair/kill-switch',
      headers: as('operator'),
      payload: { on: true },
    });
    expect(byOperator.statusCode).toBe(403);
    const on = await app.inject({
      method: 'PUT',
      url: '/api/v1/repair/kill-switch',
      headers: as('admin'),
      payload: { on: true },
    });
    expect(on.json()).toMatchObject({ on: true, source: 'api', by: 'admin-user' });
    const off = await app.inject({
      method: 'PUT',
      url: '/api/v1/repair/kill-switch',
      headers: as('admin'),
      payload: { on: false },
    });
    expect(off.json()).toMatchObject({ on: false });
  });

  it('streams repair events over SSE to the typed client', async () => {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const client = new EngineClient({ baseUrl: url, token: TOKENS.admin });
    const abort = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const message of client.repairEvents(abort.signal)) {
        seen.push(message.event);
        if (message.event === 'ready') await client.setRepairKillSwitch(true);
        if (message.event === 'kill-switch') break;
      }
    })();
    await reading;
    abort.abort();
    expect(seen).toEqual(['ready', 'kill-switch']);
    expect(await client.repairKillSwitch()).toMatchObject({ on: true, by: 'admin-user' });
    await client.setRepairKillSwitch(false);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/repair/findings',
        '/api/v1/repair/approvals/{id}/approve',
        '/api/v1/repair/audit/verify',
        '/api/v1/repair/kill-switch',
      ]),
    );
  });
});
