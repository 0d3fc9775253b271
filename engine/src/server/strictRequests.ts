import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { undeclaredKeys, unknownConfigKeys, type DeclaredKeys } from '../config/unknownConfigKeys.js';
import type { FieldIssue } from '../errors.js';
import { invalidRequest, validationIssues } from './errorHandler.js';

/**
 * Bodies other programs send, whose extra fields are theirs to add: the generic alert form (Alertmanager's webhook has
 * its own compiler and stays lenient the same way).
 */
const THIRD_PARTY_BODIES = new Set(['/api/v1/alerts']);

/**
 * A request body field or query parameter the route does not know is a 400 naming it, as a config file's unknown key
 * is. zod
 * strips unknown keys, so `POST /forecast {"horizon": 100000}` (the field is horizonMinutes) was answered 200 with the
 * default 60 minutes (found walking the README). Known by comparing the body with what the schema kept.
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
    const prefix = `${part}.`;
    const noun = part === 'body' ? 'field' : 'parameter';
    return (data) => {
      const result = validate(data) as { value?: unknown; error?: unknown };
      if (data === undefined) return result as ReturnType<typeof validate>;
      const issues = result.error
        ? withUndeclared(result.error, data, route.schema, part)
        : unknownConfigKeys(data, result.value, prefix, noun, declaredKeys(route.schema));
      if (issues.length === 0) return result as ReturnType<typeof validate>;
      return { error: invalidRequest(issues) } as ReturnType<typeof validate>;
    };
  };
}

/**
 * A body that failed validation: the fields the schema does not declare first (a typo is usually why a required one is
 * missing), then the schema's own issues as the error handler words them. None undeclared: [] (the error stands).
 */
function withUndeclared(
  error: unknown,
  data: unknown,
  schema: unknown,
  part: 'body' | 'querystring',
): FieldIssue[] {
  const declared = declaredKeys(schema);
  const undeclared = declared ? undeclaredKeys(data, declared, `${part}.`) : [];
  if (undeclared.length === 0 || !Array.isArray(error)) return [];
  return [
    ...undeclared,
    ...validationIssues(part, error as Array<{ instancePath?: string; message?: string }>),
  ];
}

/** zod's definition of a schema, as far as finding object keys needs it. */
interface ZodDef {
  type?: string;
  shape?: Record<string, { _zod?: { def?: ZodDef } }>;
  innerType?: { _zod?: { def?: ZodDef } };
  in?: { _zod?: { def?: ZodDef } };
  element?: { _zod?: { def?: ZodDef } };
  options?: Array<{ _zod?: { def?: ZodDef } }>;
  left?: { _zod?: { def?: ZodDef } };
  right?: { _zod?: { def?: ZodDef } };
  getter?: () => { _zod?: { def?: ZodDef } };
}

/**
 * The keys the route's body schema declares at a path, so an optional field left out is still a "did you mean"
 * (`{"horizon": 5}` → horizonMinutes). Wrappers (optional, default, pipe...) are looked through; a union offers the
 * keys of every branch. undefined for a schema that is not zod: the hint then compares with the parsed body's keys.
 */
function declaredKeys(schema: unknown): DeclaredKeys | undefined {
  const root = (schema as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;
  if (!root) return undefined;
  return (path) => {
    let defs = [root];
    for (const step of path) defs = defs.flatMap((d) => objects(d)).flatMap((d) => child(d, step));
    const keys = defs.flatMap((d) => objects(d)).flatMap((d) => Object.keys(d.shape ?? {}));
    return keys.length > 0 ? [...new Set(keys)] : undefined;
  };
}

const defOf = (schema: { _zod?: { def?: ZodDef } } | undefined): ZodDef[] =>
  schema?._zod?.def ? [schema._zod.def] : [];

/** The object (or array) definitions a definition stands for, wrappers looked through. */
function objects(def: ZodDef, depth = 0): ZodDef[] {
  if (depth > 20) return [];
  if (def.type === 'object' || def.type === 'array') return [def];
  const inner = [
    ...defOf(def.innerType),
    ...defOf(def.in),
    ...(def.options ?? []).flatMap(defOf),
    ...defOf(def.left),
    ...defOf(def.right),
    ...(def.type === 'lazy' && def.getter ? defOf(def.getter()) : []),
  ];
  return inner.flatMap((d) => objects(d, depth + 1));
}

function child(def: ZodDef, step: string | number): ZodDef[] {
  if (def.type === 'array') return typeof step === 'number' ? defOf(def.element) : [];
  return typeof step === 'string' ? defOf(def.shape?.[step]) : [];
}

/** Methods that change state: the ones a cross-site page must not send, and the ones whose body is checked here. */
export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Query parameters and bodies of routes that declare no schema for them, which the validator compiler above never
 * sees. `/alerts/stats?stauts=resolved`, `/clusters?x=1` answered 200 as if the parameter meant something, and
 * `POST /incidents/<id>/ack` took `{"bogus":1}`, `"string"` or `[1]` while `/repair/approvals/<id>/reject` refused
 * them (found walking the README). A route without a querystring schema takes no parameter (the same
 * `querystring.<name>: unknown parameter` as a declared one); a state-changing route without a body schema takes no
 * body but an empty one or `{}` (what the Backstage proxy and most clients send for a bodyless POST). Routes hidden
 * from the OpenAPI document (`/metrics`, `/openapi.json`, `/demo/metrics`) are not the API and are left alone: a
 * Prometheus scrape config may add parameters of its own. A preValidation hook, so auth (401/403) still comes first.
 */
export async function refuseUndeclaredInput(request: FastifyRequest): Promise<void> {
  if (request.is404) return;
  const schema = request.routeOptions.schema as
    { querystring?: unknown; body?: unknown; hide?: boolean } | undefined;
  if (schema?.hide) return;
  const issues: FieldIssue[] = [];
  if (!schema?.querystring) {
    const query = request.query as Record<string, unknown> | undefined;
    for (const key of Object.keys(query ?? {}))
      issues.push({ field: `querystring.${key}`, message: 'unknown parameter' });
  }
  if (!schema?.body && STATE_CHANGING.has(request.method) && !emptyBody(request.body)) {
    issues.push({ field: 'body', message: 'this route takes no body: send none, or {}' });
  }
  if (issues.length > 0) throw invalidRequest(issues);
}

function emptyBody(body: unknown): boolean {
  if (body === undefined || body === '') return true;
  if (Buffer.isBuffer(body)) return body.length === 0;
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Object.getPrototypeOf(body) === Object.prototype &&
    Object.keys(body).length === 0
  );
}
