import type { FastifySchema, FastifySchemaCompiler, RouteOptions } from 'fastify';
import { z } from 'zod';
import { undeclaredKeys, unknownConfigKeys, type DeclaredKeys } from '../config/unknownConfigKeys.js';
import type { FieldIssue } from '../errors.js';
import { invalidRequest, validationIssues } from './errorHandler.js';

/**
 * Bodies other programs send, whose extra fields are theirs to add: the generic alert form (Alertmanager's webhook has
 * its own compiler and stays lenient the same way).
 */
const THIRD_PARTY_BODIES = new Set(['/api/v1/alerts']);

type Validation = { value?: unknown; error?: unknown };

/**
 * A request body field or query parameter the route does not know is a 400 naming it, as a config file's unknown key
 * is. zod strips unknown keys, so `POST /forecast {"horizon": 100000}` (the field is horizonMinutes) was answered 200
 * with the default 60 minutes (found walking the README). Known by comparing the body with what the schema kept.
 * A body field is also refused when it is not of the type a coercing schema reads it as (uncoerced, below).
 */
export function strictRequests<S>(compile: FastifySchemaCompiler<S>): FastifySchemaCompiler<S> {
  return (route) => {
    const validate = compile(route);
    const part = route.httpPart;
    // Only the body is another program's: `GET /alerts?stauts=x` on the same URL was let through (found walking it).
    if (part !== 'body' && part !== 'querystring') return validate;
    if (part === 'body' && THIRD_PARTY_BODIES.has(route.url)) return validate;
    // Query parameters too: `/workloads?namepsace=x` listed every namespace, `/assistant/search?limit=9` (the
    // parameter is `k`) answered with the default (found walking the README).
    const check = checkerFor(part, route.schema);
    return (data) => {
      const result = validate(data) as Validation;
      if (data === undefined || (result.error && !Array.isArray(result.error)))
        return result as ReturnType<typeof validate>;
      const issues = check(data, result);
      if (issues.length === 0) return result as ReturnType<typeof validate>;
      return { error: invalidRequest(issues) } as ReturnType<typeof validate>;
    };
  };
}

/**
 * What the schema alone does not say about a request part: fields it does not declare (a typo is usually why a
 * required one is missing, so they come first) and, in a body, fields that were coerced; then, if there are any, the
 * schema's own issues as the error handler words them, one per field. None: [] (the result stands).
 */
function checkerFor(part: 'body' | 'querystring', schema: unknown) {
  const declared = declaredKeys(schema);
  const root = defOf(schema as ZodSchema | undefined);
  const prefix = `${part}.`;
  const noun = part === 'body' ? 'field' : 'parameter';
  const unknownKeys = (data: unknown, result: Validation): FieldIssue[] => {
    if (!result.error) return unknownConfigKeys(data, result.value, prefix, noun, declared);
    return declared ? undeclaredKeys(data, declared, prefix) : [];
  };
  return (data: unknown, result: Validation): FieldIssue[] => {
    const extra = [...unknownKeys(data, result), ...(part === 'body' ? uncoerced(data, root, [part]) : [])];
    if (extra.length === 0 || !result.error) return extra;
    const named = new Set(extra.map((i) => i.field));
    const own = validationIssues(part, result.error as Array<{ instancePath?: string; message?: string }>);
    return [...extra, ...own.filter((i) => !named.has(i.field))];
  };
}

/**
 * Body fields sent as another JSON type than the one their coercing schema (`z.coerce.number()`) reads them as, in
 * zod's words. A query string is text, so its numbers are read from strings; the forecast bodies use the same
 * `z.coerce` fields (`historyHours`, `historyDays`, `testDays`, `capacityPerReplica`) and took `"6"` for 6, `null`
 * or `""` for 0, `true` for 1, as `horizonMinutes` did before its schema was fixed (found reading the schemas). A
 * JSON body says what type it sends, so nothing in it is coerced, whatever schema a route uses.
 */
function uncoerced(data: unknown, defs: ZodDef[], path: Array<string | number>): FieldIssue[] {
  if (data === undefined || defs.length === 0 || path.length > MAX_DEPTH) return [];
  const received = jsonType(data);
  const leaves = defs.flatMap((d) => lookThrough(d));
  if (leaves.length > 0 && leaves.every((d) => d.coerce === true && d.type !== received)) {
    return [
      { field: path.join('.'), message: `Invalid input: expected ${leaves[0]!.type}, received ${received}` },
    ];
  }
  const containers = leaves.filter(isContainer);
  const entries: Array<[string | number, unknown]> = Array.isArray(data)
    ? data.map((item, i) => [i, item])
    : received === 'object'
      ? Object.entries(data as object)
      : [];
  return entries.flatMap(([step, value]) =>
    uncoerced(
      value,
      containers.flatMap((d) => child(d, step)),
      [...path, step],
    ),
  );
}

const MAX_DEPTH = 32;

const jsonType = (data: unknown): string =>
  data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data;

interface ZodSchema {
  _zod?: { def?: ZodDef };
}

/** zod's definition of a schema, as far as finding object keys and coerced fields needs it. */
interface ZodDef {
  type?: string;
  coerce?: boolean;
  shape?: Record<string, ZodSchema>;
  innerType?: ZodSchema;
  in?: ZodSchema;
  element?: ZodSchema;
  options?: ZodSchema[];
  left?: ZodSchema;
  right?: ZodSchema;
  getter?: () => ZodSchema;
}

/**
 * The keys the route's body schema declares at a path, so an optional field left out is still a "did you mean"
 * (`{"horizon": 5}` → horizonMinutes). Wrappers (optional, default, pipe...) are looked through; a union offers the
 * keys of every branch. undefined for a schema that is not zod: the hint then compares with the parsed body's keys.
 */
function declaredKeys(schema: unknown): DeclaredKeys | undefined {
  const root = defOf(schema as ZodSchema | undefined);
  if (root.length === 0) return undefined;
  return (path) => {
    let defs = root;
    for (const step of path) defs = defs.flatMap((d) => objects(d)).flatMap((d) => child(d, step));
    const keys = defs.flatMap((d) => objects(d)).flatMap((d) => Object.keys(d.shape ?? {}));
    return keys.length > 0 ? [...new Set(keys)] : undefined;
  };
}

const defOf = (schema: ZodSchema | undefined): ZodDef[] => (schema?._zod?.def ? [schema._zod.def] : []);

const isContainer = (def: ZodDef): boolean => def.type === 'object' || def.type === 'array';

/** The object (or array) definitions a definition stands for, wrappers looked through. */
const objects = (def: ZodDef): ZodDef[] => lookThrough(def).filter(isContainer);

/** `nullable` admits null beside its inner type: a leaf of its own, so null is not taken for a coerced field. */
const NULL_DEF: ZodDef = { type: 'null' };

/** The definitions a value is checked against, wrappers (optional, default, pipe's input, union...) looked through. */
function lookThrough(def: ZodDef, depth = 0): ZodDef[] {
  if (depth > 20) return [];
  const inner = [
    ...defOf(def.innerType),
    ...defOf(def.in),
    ...(def.options ?? []).flatMap(defOf),
    ...defOf(def.left),
    ...defOf(def.right),
    ...(def.type === 'lazy' && def.getter ? defOf(def.getter()) : []),
  ];
  if (inner.length === 0) return [def];
  const own = def.type === 'nullable' ? [NULL_DEF] : [];
  return [...own, ...inner.flatMap((d) => lookThrough(d, depth + 1))];
}

function child(def: ZodDef, step: string | number): ZodDef[] {
  if (def.type === 'array') return typeof step === 'number' ? defOf(def.element) : [];
  return typeof step === 'string' ? defOf(def.shape?.[step]) : [];
}

/** Methods that change state: the ones a cross-site page must not send, and the ones whose body is checked here. */
export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The query string of a route that declares none: any parameter is refused by name. */
const NO_PARAMETERS = z.record(z.string(), z.never({ error: 'unknown parameter' }));

/**
 * The body of a state-changing route that declares none: an empty one or `{}`. Keyed by media type because fastify
 * validates a missing body as null, like a JSON `null`: without a content type there is no body and nothing to check.
 * These are the two types fastify parses; any other is a 415 before validation.
 */
const NO_BODY_CONTENT = z.unknown().refine(emptyBody, 'this route takes no body: send none, or {}');
const NO_BODY = {
  content: { 'application/json': { schema: NO_BODY_CONTENT }, 'text/plain': { schema: NO_BODY_CONTENT } },
};

/**
 * Query parameters and bodies of routes that declare no schema for them, which the validator compiler above never
 * saw: `/alerts/stats?stauts=resolved`, `/clusters?x=1` answered 200 as if the parameter meant something, and
 * `POST /incidents/<id>/ack` took `{"bogus":1}`, `"string"` or `[1]` while `/repair/approvals/<id>/reject` refused
 * them (found walking the README). An onRoute hook gives such a route a querystring schema that takes no parameter
 * and, if it changes state, a body schema that takes none but an empty body or `{}` (what the Backstage proxy and
 * most clients send for a bodyless POST), so they are checked by the same compiler, after auth, with the same 400.
 * GET and HEAD take no body, and no route answers OPTIONS (the CORS hook does). Routes hidden from the OpenAPI
 * document (`/metrics`, `/openapi.json`, `/demo/metrics`) are not the API and are left alone: a Prometheus scrape
 * config may add parameters of its own.
 * The implied schemas stay out of the OpenAPI document, which already lists no parameter and no request body for
 * such a route (a body schema would document a required one): they are non-enumerable, so the transform's copy of
 * the route schema (`{...schema}`, openApiDocument.ts) leaves them out while fastify still reads them. For the same
 * reason this hook runs after documentAccess, which copies the schema that way.
 */
export function refuseUndeclaredInput(route: RouteOptions): void {
  const schema = (route.schema ?? {}) as FastifySchema & { hide?: boolean; query?: unknown };
  if (schema.hide) return;
  const implied: PropertyDescriptorMap = {};
  if (schema.querystring === undefined && schema.query === undefined)
    implied.querystring = hidden(NO_PARAMETERS);
  const methods = [route.method].flat();
  if (schema.body === undefined && methods.every((m) => STATE_CHANGING.has(m)))
    implied.body = hidden(NO_BODY);
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(schema));
  route.schema = Object.defineProperties(copy, implied) as FastifySchema;
}

const hidden = (value: unknown): PropertyDescriptor => ({
  value,
  enumerable: false,
  writable: true,
  configurable: true,
});

function emptyBody(body: unknown): boolean {
  if (body === '') return true;
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Object.getPrototypeOf(body) === Object.prototype &&
    Object.keys(body).length === 0
  );
}
