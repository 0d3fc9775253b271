import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/startServer.js';
import {
  ROLES,
  TOKENS,
  call,
  operationsOf,
  startTokenServer,
  type Operation,
  type Role,
} from './openApiOperations.js';

/**
 * The probe of issue 9 as a standing test: every operation of the OpenAPI document × {no token, viewer, operator,
 * admin}, each answer checked against the access rule the document states (security: [] or x-min-role).
 */
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

let server: RunningServer;
let operations: Operation[];

beforeAll(async () => {
  server = await startTokenServer();
  operations = await operationsOf(server);
}, 60_000);

afterAll(() => server?.close());

/** Path parameters get an id nothing has, and POST/PUT an empty object: authorization is decided before either is read. */
const urlOf = (op: Operation) => op.path.replace(/\{[^}]+\}/g, 'no-such-id-0');
const bodyOf = (op: Operation) => (op.body ? '{}' : undefined);

function expected(op: Operation, role: Role | undefined): 'allowed' | 401 | 403 {
  if (op.access === 'public') return 'allowed';
  if (!role) return 401;
  return RANK[role] >= RANK[op.access] ? 'allowed' : 403;
}

describe('auth matrix from the OpenAPI document', () => {
  it('documents an access rule for every operation, with every role used', () => {
    expect(operations.length).toBeGreaterThan(25);
    const levels = new Set(operations.map((op) => op.access));
    for (const level of ['public', 'viewer', 'operator', 'admin']) expect(levels).toContain(level);
  });

  it('answers every operation × credential as documented: 0 violations, 0 5xx, 0 hangs', async () => {
    const violations: string[] = [];
    let checked = 0;
    for (const op of operations) {
      for (const role of [undefined, ...ROLES]) {
        const body = bodyOf(op);
        const answer = await call(server, op.method, urlOf(op), {
          ...(role ? { token: TOKENS[role] } : {}),
          ...(body !== undefined ? { body } : {}),
        });
        checked++;
        const want = expected(op, role);
        const got = answer.hung ? 'hang' : answer.status;
        const ok =
          !answer.hung &&
          answer.status < 500 &&
          (want === 'allowed' ? answer.status !== 401 && answer.status !== 403 : answer.status === want);
        if (!ok)
          violations.push(
            `${op.method} ${op.path} as ${role ?? 'anonymous'}: want ${want}, got ${got} ${answer.body.slice(0, 200)}`,
          );
      }
    }
    expect(checked).toBe(operations.length * 4);
    expect(violations).toEqual([]);
  }, 240_000);

  it('refuses an unknown token and a malformed Authorization header with 401 on a protected route', async () => {
    expect((await call(server, 'GET', '/api/v1/rca', { token: 'not-a-token' })).status).toBe(401);
    const basic = await fetch(`${server.url}/api/v1/rca`, {
      headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    });
    expect(basic.status).toBe(401);
  });
});
