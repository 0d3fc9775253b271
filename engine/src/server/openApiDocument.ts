import type { FastifySchema } from 'fastify';
import { z } from 'zod';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import * as schemas from '../schemas/index.js';
import { errorBodySchema } from '../schemas/core.js';
import { withoutImpliedSchemas } from './strictRequests.js';

/**
 * How the OpenAPI document (/api/v1/openapi.json) names things, so clients generated from it (openapi-typescript,
 * redocly) get named types, typed errors and the right media types: every exported request/response schema of
 * ../schemas becomes a component named after its export (`jobRecordSchema` → `JobRecord`), every operation gets an
 * operationId from its method and path, the error responses its route can give (shared `ErrorBody`), and the SSE
 * routes `text/event-stream`.
 */
export const openApiRegistry = withDescriptions(z.registry<{ id: string }>());

/**
 * fastify-type-provider-zod hands zod this registry as the only source of metadata, so the text every schema got from
 * `.describe()` (kept in zod's global registry) was dropped from every query parameter and inline field (the named
 * components keep theirs: zod reads the global registry for those). Reading a schema's metadata here returns its
 * global description under its id.
 */
function withDescriptions<R extends z.core.$ZodRegistry<{ id: string }>>(registry: R): R {
  const own = registry.get.bind(registry);
  registry.get = ((schema: z.core.$ZodType) => {
    const described = z.globalRegistry.get(schema)?.description;
    const entry = own(schema);
    return described === undefined ? entry : { description: described, ...entry };
  }) as R['get'];
  return registry;
}

// The one error body (schemas/core), named first so the loop below keeps its name.
openApiRegistry.add(errorBodySchema, { id: 'ErrorBody' });

// Query strings and path params stay inline: @fastify/swagger expands them into parameters only when they are.
const INLINE = /(Query|Params|Querystring)Schema$/;
for (const [name, value] of Object.entries(schemas)) {
  if (!name.endsWith('Schema') || INLINE.test(name) || !(value instanceof z.ZodType)) continue;
  if (openApiRegistry.has(value)) continue;
  const id = name.replace(/Schema$/, '').replace(/^./, (c) => c.toUpperCase());
  openApiRegistry.add(value, { id });
}

/** Routes that answer with server-sent events; `both` ones answer JSON unless the client asks for the stream. */
export const SSE_ROUTES: Record<string, 'only' | 'both'> = {
  'GET /api/v1/jobs/:id/events': 'only',
  'GET /api/v1/incidents/events': 'only',
  'GET /api/v1/repair/events': 'only',
  'POST /api/v1/assistant/ask': 'both',
};

/** `GET /api/v1/jobs/:id/events` → `getJobsByIdEvents`. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `By-${segment.slice(1)}` : segment))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

const ERRORS: Array<[number, string, (ctx: RouteFacts) => boolean]> = [
  [400, 'Invalid input (a malformed path included): `error.issues` names each field', () => true],
  [401, 'Missing or unknown bearer token', (r) => !r.public],
  [
    403,
    "The token's role is below the route's `x-min-role`, or the token has scopes and the route's `x-scope` is not one",
    (r) => !r.public,
  ],
  [404, 'Not found', (r) => r.hasParams],
  [429, 'Too many requests or jobs; see Retry-After', (r) => r.method !== 'GET'],
  [500, 'Internal error (details only in the engine log)', () => true],
  [503, 'A source (metrics, store, cluster) is unavailable', () => true],
];

interface RouteFacts {
  method: string;
  public: boolean;
  validates: boolean;
  hasParams: boolean;
}

type Transform = ReturnType<typeof createJsonSchemaTransform>;

// The document says 3.0.3, so zod must not emit 3.1-only keywords (const, numeric exclusiveMinimum, type arrays).
const zodToJsonConfig = { target: 'openapi-3.0' as const };
const zodTransform: Transform = createJsonSchemaTransform({
  schemaRegistry: openApiRegistry,
  zodToJsonConfig,
});

export const transformRoute: Transform = (input) => {
  const schema = withoutImpliedSchemas(input.schema as FastifySchema & Record<string, unknown>);
  const method = String(Array.isArray(input.route.method) ? input.route.method[0] : input.route.method);
  const facts: RouteFacts = {
    method,
    public: (input.route.config as { public?: boolean } | undefined)?.public === true,
    validates: Boolean(schema.body || schema.querystring || schema.params),
    hasParams: input.url.includes(':') || input.url.includes('{'),
  };
  const response = { ...((schema.response as Record<string, unknown>) ?? {}) };
  for (const [status, , applies] of ERRORS) {
    if (applies(facts) && response[status] === undefined) response[status] = errorBodySchema;
  }
  schema.response = response;
  schema.operationId ??= operationIdOf(method, input.url);
  schema.summary ??= summaryOf(method, input.url);
  const sse = SSE_ROUTES[`${method} ${input.url}`];
  if (sse)
    schema.produces = sse === 'only' ? ['text/event-stream'] : ['application/json', 'text/event-stream'];
  return zodTransform({ ...input, schema });
};

/** `GET /api/v1/jobs/:id` → `Get jobs by id`, for routes that have no summary of their own. */
function summaryOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `by ${segment.slice(1)}` : segment.replace(/[_-]/g, ' ')));
  const text = `${method.toLowerCase()} ${words.join(' ')}`.trim();
  return text[0]!.toUpperCase() + text.slice(1);
}

type Transformer = ReturnType<typeof createJsonSchemaTransformObject>;
interface ResponseObject {
  description?: string;
  content?: Record<string, unknown>;
}
interface OpenApiDoc {
  paths?: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
  components?: { schemas?: Record<string, unknown> };
}

const zodTransformObject: Transformer = createJsonSchemaTransformObject({
  schemaRegistry: openApiRegistry,
  zodToJsonConfig,
});
/** Statuses a route declares itself (in its `response`), beside the ones every route of a kind gets above. */
const DECLARED: Array<[number, string]> = [
  [409, 'Conflict with what is stored or configured: `error.message` says what to change instead'],
];
const DESCRIPTIONS = new Map(
  [...ERRORS, ...DECLARED].map(([status, description]) => [String(status), description]),
);
const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
const EVENT_STREAM = {
  schema: { type: 'string', description: 'Server-sent events (`event:` and `data:` lines, data as JSON)' },
};

/**
 * After zod's schemas are components: error responses say what they mean and are JSON even on SSE routes (errors
 * are answered before the stream starts), SSE responses are `text/event-stream`, and 2xx ones get a description.
 */
export const transformDocument: Transformer = (input) => {
  const doc = zodTransformObject(input) as unknown as OpenApiDoc;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      const sse = SSE_ROUTES[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`];
      const responses = (operation.responses ??= {});
      if (sse) responses['200'] ??= { description: 'OK' };
      for (const [status, response] of Object.entries(responses)) describeResponse(status, response, sse);
    }
  }
  unwrapSingleAllOf(doc);
  dropUnusedSchemas(doc);
  return doc as unknown as ReturnType<Transformer>;
};

function describeResponse(status: string, response: ResponseObject, sse: 'only' | 'both' | undefined): void {
  if (Number(status) >= 400) {
    response.description = DESCRIPTIONS.get(status) ?? 'Error';
    response.content = ERROR_CONTENT;
    return;
  }
  if (!response.description || response.description === 'Default Response') {
    response.description = status === '201' ? 'Created' : status === '202' ? 'Accepted' : 'OK';
  }
  if (sse && status === '200') {
    const json = (response.content ?? {})['application/json'];
    response.content = {
      ...(sse === 'both' && json ? { 'application/json': json } : {}),
      'text/event-stream': EVENT_STREAM,
    };
  }
}

/** `{ allOf: [{ $ref }] }` (zod's wrapper for a described reference) → `{ $ref }`: one schema needs no allOf. */
function unwrapSingleAllOf(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(unwrapSingleAllOf);
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  const allOf = record['allOf'];
  if (
    Array.isArray(allOf) &&
    allOf.length === 1 &&
    Object.keys(record).every((k) => k === 'allOf' || k === 'description')
  ) {
    delete record['allOf'];
    delete record['description'];
    Object.assign(record, allOf[0]);
  }
  Object.values(record).forEach(unwrapSingleAllOf);
}

/**
 * What a job's record holds in `result` once it succeeded, by kind (the job schema keeps it `unknown` because one
 * store serves every kind): kept as components so clients name them (`forecast.backtest` → BacktestResult,
 * `forecast.train` → ModelVersion, `rca` → RcaResult).
 */
const JOB_RESULTS = ['BacktestResult', 'ModelVersion', 'RcaResult'];

/** zod registers an input and an output variant of each named schema; keep the ones the operations reference
 * and the job results. */
function dropUnusedSchemas(doc: OpenApiDoc): void {
  const schemas = doc.components?.schemas;
  if (!schemas) return;
  const used = new Set<string>();
  const visit = (text: string) => {
    for (const match of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (used.has(match[1]!)) continue;
      used.add(match[1]!);
      visit(JSON.stringify(schemas[match[1]!] ?? null));
    }
  };
  visit(JSON.stringify(doc.paths ?? {}));
  visit(JSON.stringify(JOB_RESULTS.map((name) => `#/components/schemas/${name}`)));
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}
