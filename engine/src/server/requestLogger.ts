import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';

const { chindingsSym } = pino.symbols;
type Bindings = Record<string, unknown>;
type WithChindings = FastifyBaseLogger & { [chindingsSym]: string };

/** Per parent logger: whether it renders a child's string bindings as plain JSON (checked on its first request). */
const plainBindings = new WeakMap<FastifyBaseLogger, boolean>();

/**
 * Fastify's per-request logger (`request.log`, bound to the request id). pino passes a child's bindings through the
 * logger's redaction, and the engine's wildcard paths (`*.url`, util/redact.ts) made that ~1.4 µs a request (a
 * child with no bindings: ~0.3 µs), 2.5% of the engine's CPU in the alert-ingest storm's profile, to print an id that
 * holds nothing to redact. Here the child gets no bindings of its own (pino's cheap path) and the id is appended as
 * the JSON pino would have written (pino.symbols is pino's interface for integrations; fastify's own logger setup uses
 * it too). Only for a parent whose ordinary child renders the same text, checked on its first request; a route with
 * its own log level or serializers, or a binding that is not a string, goes fastify's way.
 */
export function requestChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: object,
): FastifyBaseLogger {
  if (Object.keys(options).length > 0 || !Object.values(bindings).every((v) => typeof v === 'string'))
    return logger.child(bindings, options);
  let plain = plainBindings.get(logger);
  if (plain === undefined) {
    const ordinary = logger.child(bindings, options) as WithChindings;
    plain = withBindings(logger, bindings)[chindingsSym] === ordinary[chindingsSym];
    plainBindings.set(logger, plain);
    if (!plain) return ordinary;
  }
  return plain ? withBindings(logger, bindings) : logger.child(bindings, options);
}

function withBindings(logger: FastifyBaseLogger, bindings: Bindings): WithChindings {
  const child = logger.child({}) as WithChindings;
  for (const key in bindings)
    child[chindingsSym] += `,${JSON.stringify(key)}:${JSON.stringify(bindings[key])}`;
  return child;
}
