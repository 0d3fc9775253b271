import type { FastifySchemaCompiler } from 'fastify';
import { unknownConfigKeys } from '../config/unknownConfigKeys.js';
import { EngineError } from '../errors.js';

/**
 * Bodies other programs send, whose extra fields are theirs to add: the generic alert form (Alertmanager's webhook has
 * its own compiler and stays lenient the same way).
 */
const THIRD_PARTY_BODIES = new Set(['/api/v1/alerts']);

/**
 * A request body with a field the route does not know is a 400 naming it, as a config file's unknown key is. zod
 * strips unknown keys, so `POST /forecast {"horizon": 100000}` (the field is horizonMinutes) was answered 200 with the
 * default 60 minutes (found walking the README). Known by comparing the body with what the schema kept.
 */
export function strictBodies<S>(compile: FastifySchemaCompiler<S>): FastifySchemaCompiler<S> {
  return (route) => {
    const validate = compile(route);
    if (route.httpPart !== 'body' || THIRD_PARTY_BODIES.has(route.url)) return validate;
    return (data) => {
      const result = validate(data) as { value?: unknown; error?: unknown };
      if (result.error || data === undefined) return result as ReturnType<typeof validate>;
      const issues = unknownConfigKeys(data, result.value, 'body.', 'field');
      if (issues.length === 0) return result as ReturnType<typeof validate>;
      const message = `invalid request: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`;
      return { error: new EngineError('INVALID_INPUT', message, { issues }) } as ReturnType<typeof validate>;
    };
  };
}
