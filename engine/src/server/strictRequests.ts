import type { FastifySchema, FastifySchemaCompiler, RouteOptions } from 'fastify';
import { z } from 'zod';
import { declaredKeysOf, undeclaredKeys, unknownConfigKeys } from '../config/unknownConfigKeys.js';
import type { FieldIssue } from '../errors.js';
import { invalidRequest } from '../errors.js';
import { validationIssues } from './errorHandler.js';

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
        : unknownConfigKeys(data, result.value, prefix, noun, declaredKeysOf(route.schema));
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
  const declared = declaredKeysOf(schema);
  const undeclared = declared ? undeclaredKeys(data, declared, `${part}.`) : [];
  if (undeclared.length === 0 || !Array.isArray(error)) return [];
  return [
    ...undeclared,
    ...validationIssues(part, error as Array<{ instancePath?: string; message?: string }>),
  ];
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
 * such a route (a body schema would document a required one): its builder drops them by identity
 * (`withoutImpliedSchemas`, openApiDocument.ts). They were once non-enumerable instead, so that the builder's copy of
 * the route schema (`{...schema}`) left them out; but any later onRoute hook copying the schema that way dropped them
 * for validation too, silently (undeclared input accepted again), and the hooks had to run in a fixed order. Now they
 * are ordinary properties every copy keeps, and the order of the hooks no longer matters. Only a hook replacing the
 * schema objects themselves (a deep copy) could bring them into the document, where the OpenAPI test would see a
 * parameter or body: a visible change, not a silent one. Keeping them out of `route.schema` (a preValidation hook)
 * would need a second path to the validator and its 400 beside fastify's.
 */
export function refuseUndeclaredInput(route: RouteOptions): void {
  const schema = (route.schema ?? {}) as FastifySchema & { hide?: boolean; query?: unknown };
  if (schema.hide) return;
  const implied: FastifySchema = {};
  if (schema.querystring === undefined && schema.query === undefined) implied.querystring = NO_PARAMETERS;
  const methods = [route.method].flat();
  if (schema.body === undefined && methods.every((m) => STATE_CHANGING.has(m))) implied.body = NO_BODY;
  route.schema = { ...schema, ...implied };
}

const IMPLIED: ReadonlySet<unknown> = new Set([NO_PARAMETERS, NO_BODY]);

/** A route schema as declared: without the implied querystring and body `refuseUndeclaredInput` added. */
export function withoutImpliedSchemas<S extends Record<string, unknown>>(schema: S): S {
  return Object.fromEntries(Object.entries(schema).filter(([, value]) => !IMPLIED.has(value))) as S;
}

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
