import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { operatorAndViewerConfig, runCliProcess, startRedis, type RedisServer } from '../support/index.js';

/** `aicloudops repair` against a running engine (approvals) and a one-shot engine on the same Redis (audit --verify). */
let server: RunningServer;
let redis: RedisServer;
const PREFIX = 'cli-repair:';
const OPERATOR = 'operator-token-0123456789';
const VIEWER = 'viewer-token-0123456789';

beforeAll(async () => {
  redis = await startRedis();
  server = await startServer({
    logger: pino({ level: 'silent' }),
    config: {
      profile: 'demo',
      ...operatorAndViewerConfig({ name: 'olga', token: OPERATOR }, { name: 'vic', token: VIEWER }),
      store: { kind: 'redis', url: redis.url, keyPrefix: PREFIX },
      repair: { enabled: false, maxMode: 'approve', namespaces: ['shop'] },
    },
  });
});

afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

const remote = (token: string) => ['--server', server.url, '--token', token];

describe('aicloudops repair', () => {
  it(
    'plans, approves as an operator only, and verifies the audit chain, then finds a tampered record',
    { timeout: 120_000 },
    async () => {
      const repair = server.engine.services.repair!;
      server.engine.demo!.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
      for (
        let i = 0;
        i < 40 && !(await repair.plan('shop')).actions.some((a) => a.type === 'raise-memory-limit');
        i++
      )
        server.engine.demo!.cluster.step(1);
      const out = await runCliProcess(['repair', 'plan', '--json', ...remote(VIEWER)]);
      expect(out.code).toBe(0);
      const plan = JSON.parse(out.stdout) as { actions: Array<{ type: string; target: { name: string } }> };
      expect(plan.actions).toContainEqual(
        expect.objectContaining({
          type: 'raise-memory-limit',
          target: expect.objectContaining({ name: 'cart' }),
        }),
      );

      await repair.runOnce();
      const pending = await runCliProcess(['repair', 'approvals', ...remote(VIEWER)]);
      expect(pending.stdout).toMatch(/awaiting-approval\s+raise-memory-limit Deployment\/shop\/cart/);
      expect(pending.stdout).toMatch(/limits\/memory: "256Mi" → "512Mi"/);
      const id = (await repair.listActions({ state: 'awaiting-approval' })).find(
        (a) => a.planned.type === 'raise-memory-limit',
      )!.id;

      const denied = await runCliProcess(['repair', 'approve', id, ...remote(VIEWER)]);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain('role viewer may not do this; it needs operator');
      const approved = await runCliProcess(['repair', 'approve', id, '-m', 'double it', ...remote(OPERATOR)]);
      expect(approved.code).toBe(0);
      expect(approved.stdout).toContain(`${id}  approved`);

      // A one-shot engine on the same Redis reads the same chain.
      const env = {
        AICLOUDOPS_STORE__KIND: 'redis',
        AICLOUDOPS_STORE__URL: redis.url,
        AICLOUDOPS_STORE__KEY_PREFIX: PREFIX,
      };
      const intact = await runCliProcess(['repair', 'audit', '--verify'], env);
      expect(intact.code).toBe(0);
      expect(intact.stdout).toMatch(/audit chain intact: \d+ records/);
      const listed = await runCliProcess(['repair', 'audit', '--name', 'cart', '--json'], env);
      expect(
        (JSON.parse(listed.stdout) as { items: Array<{ kind: string }> }).items.map((r) => r.kind),
      ).toContain('approved');

      const client = new Redis(redis.url);
      try {
        const key = `${PREFIX}repair:audit`;
        const entries = await client.xrange(key, '-', '+');
        await client.del(key);
        for (const [index, [entryId, fields]] of entries.entries()) {
          const record = JSON.parse(fields[1]!) as { actor?: string };
          if (index === 2) record.actor = 'someone-else';
          await client.xadd(key, entryId, 'r', JSON.stringify(record));
        }
      } finally {
        client.disconnect();
      }
      const broken = await runCliProcess(['repair', 'audit', '--verify'], env);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('audit chain BROKEN at record 3: content does not match its hash');
    },
  );

  it('refuses an approval without a running engine, naming the option', async () => {
    const out = await runCliProcess(['repair', 'approve', 'some-id']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--server');
  });
});
