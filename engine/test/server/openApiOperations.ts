import pino from 'pino';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/** Helpers shared by the fuzz suite and the auth matrix: a demo engine with tokens, its operations from OpenAPI. */

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const TOKENS: Record<Role, string> = {
  viewer: 'viewer-token-fuzz-0123456789',
  operator: 'operator-token-fuzz-0123456789',
  admin: 'admin-token-fuzz-0123456789',
};

export function startTokenServer(): Promise<RunningServer> {
  return startServer({
    config: {
      logLevel: 'silent',
      server: {
        port: 0,
        host: '127.0.0.1',
        auth: {
          enabled: true,
          tokens: ROLES.map((role) => ({ name: `${role}-user`, token: TOKENS[role], role })),
        },
      },
      cluster: { kind: 'simulated', injectFaults: false },
    },
    logger: pino({ level: 'silent' }),
  });
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
}

export interface Operation {
  method: string;
  /** OpenAPI path, e.g. `/api/v1/rca/{id}`. */
  path: string;
  /** `public` (security: []) or the least role (`x-min-role`). */
  access: 'public' | Role;
  query: Array<{ name: string; schema: JsonSchema }>;
  pathParams: string[];
  body?: JsonSchema;
  /** Server-sent events: the answer is a stream that stays open. */
  streams: boolean;
}

export async function operationsOf(server: RunningServer): Promise<Operation[]> {
  const raw = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components?: { schemas?: Record<string, unknown> };
  };
  // Named schemas are `$ref`s into components; the generators below read plain schemas.
  const doc = { paths: inlineRefs(raw.paths, raw.components?.schemas ?? {}) as typeof raw.paths };
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const parameters = (op.parameters ?? []) as Array<{ in: string; name: string; schema: JsonSchema }>;
      const body = (op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)
        ?.content?.['application/json']?.schema;
      const security = op.security as unknown[] | undefined;
      out.push({
        method: method.toUpperCase(),
        path,
        access:
          Array.isArray(security) && security.length === 0
            ? 'public'
            : ((op['x-min-role'] as Role | undefined) ?? 'viewer'),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        ...(body ? { body } : {}),
        streams: /\/events$/.test(path),
      });
    }
  }
  return out;
}

function inlineRefs(node: unknown, schemas: Record<string, unknown>, seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, schemas, seen));
  if (typeof node !== 'object' || node === null) return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    const name = ref.slice('#/components/schemas/'.length);
    return seen.includes(name) ? {} : inlineRefs(schemas[name], schemas, [...seen, name]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineRefs(v, schemas, seen)]));
}

export interface Answer {
  status: number;
  body: string;
  /** The request did not complete (no headers) within the timeout. */
  hung: boolean;
}

/**
 * One request with a deadline: the status and body (a stream's body is not awaited: its headers are the answer).
 * `rawPath` is sent as given, so percent-encoding tricks reach the server unchanged.
 */
export async function call(
  server: RunningServer,
  method: string,
  rawPath: string,
  options: { token?: string; body?: string; contentType?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 20_000);
  try {
    const response = await fetch(`${server.url}${rawPath}`, {
      method,
      signal: controller.signal,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      controller.abort();
      return { status: response.status, body: '', hung: false };
    }
    return { status: response.status, body: await response.text(), hung: false };
  } catch (error) {
    if (controller.signal.aborted) return { status: 0, body: '', hung: true };
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
