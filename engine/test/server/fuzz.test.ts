import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/startServer.js';
import { seededRandom } from '../../src/util/seededRandom.js';
import {
  TOKENS,
  call,
  operationsOf,
  startTokenServer,
  type JsonSchema,
  type Operation,
} from './openApiOperations.js';

/**
 * Standing fuzz suite: seeded, generated requests against every operation of the OpenAPI document, sent with an
 * admin token so they reach validation. Every answer must be below 500, arrive before the deadline, and a 400 must
 * name at least one field (error.issues[].field). A failure prints the request, so it can be replayed.
 */
const SEED = 20_261_206;
const CASES_PER_OPERATION = 8;

let server: RunningServer;
let operations: Operation[];

beforeAll(async () => {
  server = await startTokenServer();
  operations = await operationsOf(server);
}, 60_000);

afterAll(() => server?.close());

const NASTY_STRINGS = [
  '',
  ' ',
  'x'.repeat(70_000),
  'shop"} or vector(1) or up{x="',
  "shop' OR 1=1 --",
  '../../../../etc/passwd',
  '/proc/self/environ',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  'line\nbreak\r\u0000nul\u001b[31m',
  'lone \ud800 surrogate',
  '\udfff',
  '🙂'.repeat(1000),
  'rate(http_requests_total[365d])',
  Array.from({ length: 3000 }, () => 'up').join(' + '),
  `${'('.repeat(3000)}up${')'.repeat(3000)}`,
  'sum(rate({__name__=~".+"}[31d]))',
  '{{< codenew file="../../../../proc/self/environ" >}}',
  '$(reboot)',
  '__proto__',
  'constructor',
  '1e309',
  '-1',
  '9999-12-31T23:59:59Z',
  '0001-01-01T00:00:00Z',
  'NaN',
];
const NASTY_NUMBERS = [
  0,
  -1,
  1e308,
  -1e308,
  1e-300,
  0.0001,
  2 ** 53 + 1,
  4_102_444_800,
  -4_102_444_800,
  3_153_600_000,
];

function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** A value for a schema: usually of the right type with a hostile content, sometimes of the wrong type. */
function valueFor(schema: JsonSchema | undefined, r: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const roll = r();
  if (roll < 0.12) return pick([null, true, 42, 'text', [], {}, deep(200), [1, 'a', null]]);
  const variants = schema?.anyOf ?? schema?.oneOf;
  if (variants?.length) return valueFor(pick(variants), r, depth);
  if (schema?.enum && roll < 0.5) return pick(schema.enum);
  const type = Array.isArray(schema?.type) ? schema!.type[0] : schema?.type;
  switch (type) {
    case 'object': {
      if (depth > 3) return {};
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema?.properties ?? {}))
        if (r() < 0.8) out[key] = valueFor(sub, r, depth + 1);
      if (r() < 0.2) out[pick(['__proto__', 'extra', 'x'.repeat(300)])] = pick(NASTY_STRINGS);
      if (!schema?.properties && schema?.additionalProperties)
        for (let i = 0; i < 3; i++) out[pick(NASTY_STRINGS).slice(0, 300)] = pick(NASTY_STRINGS);
      return out;
    }
    case 'array':
      return r() < 0.2
        ? Array.from({ length: 20_000 }, () => 'x')
        : Array.from({ length: 1 + Math.floor(r() * 3) }, () => valueFor(schema?.items, r, depth + 1));
    case 'number':
    case 'integer':
      return pick(NASTY_NUMBERS);
    case 'boolean':
      return r() < 0.7 ? r() < 0.5 : 'yes';
    default:
      return pick(NASTY_STRINGS);
  }
}

/** A query-string value: the hostile strings and numbers, percent-encoded (lone surrogates as raw bad UTF-8). */
function queryValue(schema: JsonSchema, r: () => number): string {
  const v = valueFor(schema, r);
  const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  return encodeText(text.slice(0, 20_000));
}

/** encodeURIComponent throws on lone surrogates; send invalid UTF-8 bytes for them instead. */
function encodeText(text: string): string {
  return text
    .replace(/[\ud800-\udfff]/g, '\u0001')
    .split('\u0001')
    .map(encodeURIComponent)
    .join('%ED%A0%80');
}

const PATH_IDS = [
  'no-such-id',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  'x'.repeat(4000),
  '%00',
  '%ED%A0%80',
  '%E2%80%AE',
  "'%20OR%201=1",
];
// Written as text: JSON.stringify itself overflows the stack on values this deep.
const DEEP_BODIES = [
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
];
const RAW_BODIES = [
  '{',
  '[1,',
  'nul',
  '{"a":}',
  '"just a string"',
  '12',
  'null',
  '[]',
  '\u0000',
  '{"window":{"start":1e400}}',
];

interface Case {
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  label: string;
}

function casesFor(op: Operation, r: () => number): Case[] {
  const out: Case[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  for (let i = 0; i < CASES_PER_OPERATION; i++) {
    const path = op.path.replace(/\{[^}]+\}/g, () => pick(PATH_IDS));
    const query = op.query
      .filter(() => r() < 0.8)
      .map((p) => `${encodeURIComponent(p.name)}=${queryValue(p.schema, r)}`)
      .join('&');
    const url = query ? `${path}?${query}` : path;
    if (!op.body) {
      out.push({ method: op.method, url, label: 'generated query/path' });
      continue;
    }
    const kind = r();
    if (kind < 0.25)
      out.push({ method: op.method, url, body: pick(RAW_BODIES), label: 'malformed or wrong-typed JSON' });
    else if (kind < 0.3) out.push({ method: op.method, url, body: pick(DEEP_BODIES), label: 'deep JSON' });
    else if (kind < 0.35)
      out.push({
        method: op.method,
        url,
        body: 'a=1&b=2',
        contentType: 'application/x-www-form-urlencoded',
        label: 'wrong content type',
      });
    else
      out.push({
        method: op.method,
        url,
        body: JSON.stringify(valueFor(op.body, r)),
        label: 'generated body',
      });
  }
  return out;
}

describe('fuzz: every operation of the OpenAPI document', () => {
  it('answers a few hundred generated requests with no 5xx, no hang, and a field named in every 400', async () => {
    const r = seededRandom(SEED);
    const cases = operations.filter((op) => !op.streams).flatMap((op) => casesFor(op, r));
    // Streams are probed with hostile ids only: their answer is a stream, or an error before it starts.
    for (const op of operations.filter((o) => o.streams)) {
      for (const id of PATH_IDS)
        out(cases, { method: op.method, url: op.path.replace(/\{[^}]+\}/g, id), label: 'stream id' });
    }
    expect(cases.length).toBeGreaterThan(250);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const c of cases) {
      const answer = await call(server, c.method, c.url, {
        token: TOKENS.admin,
        ...(c.body !== undefined ? { body: c.body } : {}),
        ...(c.contentType ? { contentType: c.contentType } : {}),
        timeoutMs: 30_000,
      });
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const problem = answer.hung
        ? 'no answer within 30 s'
        : answer.status >= 500
          ? `status ${answer.status}`
          : answer.status === 400 && !namesField(answer.body)
            ? 'a 400 naming no field'
            : undefined;
      if (problem)
        failures.push(
          `${problem}: ${c.method} ${c.url.slice(0, 200)} [${c.label}] body=${(c.body ?? '').slice(0, 120)} → ${answer.body.slice(0, 300)}`,
        );
    }
    console.log(
      `fuzz: ${cases.length} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    expect(failures).toEqual([]);
    // The suite must reach past auth and validation too, or it proves little.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
  }, 600_000);
});

describe('the validation gaps the issue-9 probe found', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const post = (url: string, body: unknown) =>
    call(server, 'POST', url, {
      token: TOKENS.admin,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = (url: string) => call(server, 'GET', url, { token: TOKENS.admin });
  const fields = (body: string) =>
    (JSON.parse(body) as { error: { issues?: Array<{ field: string }> } }).error.issues?.map(
      (i) => i.field,
    ) ?? [];

  it.each([
    [
      'a 365-day range window',
      `/api/v1/metrics/query?query=${encodeURIComponent('rate(http_requests_total[365d])')}`,
      'querystring.query',
    ],
    [
      'a 3,000-term query',
      `/api/v1/metrics/query?query=${encodeURIComponent(Array.from({ length: 3000 }, () => 'up').join('+'))}`,
      'querystring.query',
    ],
    [
      'a 1,500-term query (depth)',
      `/api/v1/metrics/query?query=${encodeURIComponent(Array.from({ length: 1500 }, () => '1').join('+'))}`,
      'querystring.query',
    ],
    [
      'a 100-day query_range',
      `/api/v1/metrics/query_range?query=up&start=${1_764_000_000 - 100 * 86_400}&end=1764000000&step=3600`,
      'querystring.end',
    ],
  ])(
    'metrics: %s is a 400 naming the field',
    async (_what, url, field) => {
      const answer = await get(url);
      expect(answer.status).toBe(400);
      expect(fields(answer.body)).toContain(field);
    },
    60_000,
  );

  it.each([
    [
      'a 100-year window',
      () => ({ window: { start: now() - 100 * 365 * 86_400, end: now() } }),
      'body.window.start',
    ],
    [
      'a start in the future',
      () => ({ window: { start: now() + 86_400, end: now() + 2 * 86_400 } }),
      'body.window.start',
    ],
    ['a 1 ms window', () => ({ window: { start: now() - 60, end: now() - 59.999 } }), 'body.window.end'],
    ['an unknown cluster', () => ({ cluster: 'no-such-cluster' }), 'body.cluster'],
    ['an injected namespace', () => ({ namespace: 'shop"} or vector(1) or up{x="' }), 'body.namespace'],
    ['a 1 MB namespace', () => ({ namespace: 'a'.repeat(1_000_000) }), 'body'],
  ])(
    'RCA: %s is a 400 at submission naming the field',
    async (_what, body, field) => {
      const answer = await post('/api/v1/rca', body());
      expect(answer.status).toBe(400);
      expect(fields(answer.body).some((f) => f.startsWith(field))).toBe(true);
    },
    60_000,
  );

  it.each([
    ['a lone surrogate', '{"workload":{"name":"web\\ud800"}}'],
    ['900 KB', JSON.stringify({ workload: { name: 'w'.repeat(900_000) } })],
  ])(
    'scale-plan: a workload name with %s is a 400, not a 502',
    async (_what, body) => {
      const answer = await post('/api/v1/scale-plan', body);
      expect(answer.status).toBe(400);
      expect(fields(answer.body)).toContain('body.workload.name');
    },
    60_000,
  );

  it('deleting an unknown demo fault is a 404', async () => {
    const answer = await call(server, 'DELETE', '/api/v1/demo/faults/no-such-fault', { token: TOKENS.admin });
    expect(answer.status).toBe(404);
  });
});

function out(cases: Case[], c: Case): void {
  cases.push(c);
}

function namesField(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { error?: { issues?: Array<{ field?: unknown }> } };
    const issues = parsed.error?.issues ?? [];
    return issues.length > 0 && issues.every((i) => typeof i.field === 'string' && i.field.length > 0);
  } catch {
    return false;
  }
}
