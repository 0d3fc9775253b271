import { AppsV1Api } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { RepairActionDto } from '../../src/repair/repairSchemas.js';
import { startDemoApp, type DemoApp } from '../support/startDemoApp.js';

/**
 * A rollback's request body is the whole pod template: before, every viewer read a Deployment's inline env values
 * (DB_PASSWORD below) in /repair/actions, /repair/approvals and the /repair/events stream. The demo world's payment
 * Deployment gets an inline password, then a bad rollout; the viewer's views must not carry it, and the engine must
 * still roll back.
 */
const SECRET = 'hunter2-inline-db-password';
const TOKENS = { viewer: 'viewer-token-0123456789', operator: 'operator-token-0123456789' };
const as = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` });

let demo: DemoApp;
let engine: Engine;
let app: FastifyInstance;

beforeAll(async () => {
  demo = await startDemoApp({
    server: {
      auth: {
        enabled: true,
        tokens: Object.entries(TOKENS).map(([role, token]) => ({ name: `${role}-user`, token, role })),
      },
    },
    repair: { maxMode: 'approve', namespaces: ['shop'] },
  });
  ({ engine, app } = demo);
}, 60_000);

afterAll(async () => {
  await demo?.close();
});

describe('repair actions as viewers read them', () => {
  it(
    'carry no request body, target copy or env value; the engine still holds what it needs',
    { timeout: 60_000 },
    async () => {
      const apps = engine.demo!.cluster.kubeConfig().makeApiClient(AppsV1Api);
      await apps.patchNamespacedDeployment({
        namespace: 'shop',
        name: 'payment',
        body: [
          {
            op: 'add',
            path: '/spec/template/spec/containers/0/env/-',
            value: { name: 'DB_PASSWORD', value: SECRET },
          },
        ],
      });
      engine.demo!.cluster.step(5);
      engine.demo!.ledger.inject({ type: 'bad-rollout', namespace: 'shop', service: 'payment' });
      const repair = engine.services.repair!;
      let rollback: RepairActionDto | undefined;
      const events: string[] = [];
      const abort = new AbortController();
      const watching = (async () => {
        for await (const event of repair.watch(abort.signal)) events.push(JSON.stringify(event));
      })();
      for (let i = 0; i < 40 && !rollback; i++) {
        engine.demo!.cluster.step(2);
        await repair.runOnce();
        const list = await app.inject({
          method: 'GET',
          url: '/api/v1/repair/actions',
          headers: as('viewer'),
        });
        rollback = list
          .json<{ items: RepairActionDto[] }>()
          .items.find((a) => a.planned.type === 'rollback' && a.plan);
      }
      abort.abort();
      await watching;
      expect(rollback, 'a rollback was planned').toBeDefined();
      expect(rollback!.plan!.requests[0]).toMatchObject({
        verb: 'patch',
        description: expect.stringContaining('roll shop/payment back'),
      });

      const views = [
        (await app.inject({ method: 'GET', url: '/api/v1/repair/actions', headers: as('viewer') })).body,
        (
          await app.inject({
            method: 'GET',
            url: `/api/v1/repair/actions/${rollback!.id}`,
            headers: as('viewer'),
          })
        ).body,
        (await app.inject({ method: 'GET', url: '/api/v1/repair/approvals', headers: as('viewer') })).body,
        (
          await app.inject({
            method: 'GET',
            url: '/api/v1/repair/audit?namespace=shop',
            headers: as('viewer'),
          })
        ).body,
        events.join('\n'),
      ];
      expect(events.length).toBeGreaterThan(0);
      for (const view of views) {
        expect(view).not.toContain(SECRET);
        expect(view).not.toContain('"preState"');
      }
      // What the executor applies is untouched: the stored record keeps the template to roll back to, env included.
      expect(await engine.context.store.get(`repair:action:${rollback!.id}`)).toContain(SECRET);
    },
  );
});
