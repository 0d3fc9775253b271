import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EngineConfig } from '../config/schema.js';
import { EngineError } from '../errors.js';

/**
 * Pagination for every list endpoint: `?limit=` (default and ceiling from `pagination` in the config) and the opaque
 * `?cursor=` a previous page returned as `nextCursor`. The cursor holds the sort key of the last item served, not an
 * offset, so items added or removed between pages neither repeat nor shift the rest. It also names the route that made
 * it: a `/jobs` cursor given to `/workloads` is refused instead of silently serving another list's page.
 */
export interface Page<T> {
  items: T[];
  /** Present when more items follow; pass it back as `cursor`. */
  nextCursor?: string;
}

export function pageQuerySchema(config: EngineConfig['pagination']) {
  // One message for every way a limit is wrong: `?limit=abc` was "expected number, received NaN" (coercion runs first).
  const wrong = `must be a whole number from 1 to ${config.maxLimit}`;
  return z.object({
    limit: z.coerce
      .number({ error: wrong })
      .int(wrong)
      .min(1, wrong)
      .max(config.maxLimit, wrong)
      .default(config.defaultLimit),
    cursor: z.string().min(1).max(1024).optional(),
  });
}

export const pageResponseFields = { nextCursor: z.string().optional() };

/** The page a list route was asked for, with the route its cursor must come from. */
export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
  /** The route's URL pattern (`/api/v1/jobs`). */
  scope: string;
}

export function pageQueryOf(
  request: FastifyRequest,
  query: { limit: number; cursor?: string | undefined },
): PageQuery {
  return {
    limit: query.limit,
    cursor: query.cursor,
    scope: request.routeOptions.url ?? request.url.split('?')[0]!,
  };
}

export function paginate<T>(
  items: T[],
  keyOf: (item: T) => string,
  query: PageQuery,
  order: 'asc' | 'desc' = 'asc',
): Page<T> {
  const sign = order === 'asc' ? 1 : -1;
  const keyed = items
    .map((item) => ({ item, key: keyOf(item) }))
    .sort((a, b) => sign * compare(a.key, b.key));
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.scope);
  const rest = after === undefined ? keyed : keyed.filter((k) => sign * compare(k.key, after) > 0);
  const page = rest.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((k) => k.item),
    ...(rest.length > query.limit && last ? { nextCursor: encodeCursor(last.key, query.scope) } : {}),
  };
}

/**
 * The same pages as `paginate`, read from a sorted index instead of a full list: `read(after, n)` returns up to `n`
 * items that sort after the key `after` (all from the start when undefined), in page order, each with its sort key.
 * Asks for one item more than the limit to know whether a next page exists.
 */
export async function paginateIndexed<T>(
  query: PageQuery,
  read: (after: string | undefined, count: number) => Promise<Array<{ item: T; key: string }>>,
): Promise<Page<T>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.scope);
  const rows = await read(after, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => r.item),
    ...(rows.length > query.limit && last ? { nextCursor: encodeCursor(last.key, query.scope) } : {}),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodeCursor(key: string, scope: string): string {
  return Buffer.from(JSON.stringify({ s: scope, k: key }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, scope: string): string {
  let parsed: { s?: unknown; k?: unknown } = {};
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    // refused below
  }
  if (typeof parsed.k === 'string' && parsed.s === scope) return parsed.k;
  const from =
    typeof parsed.s === 'string' && typeof parsed.k === 'string' ? ` (it came from ${parsed.s})` : '';
  throw new EngineError('INVALID_INPUT', `cursor is not one this endpoint returned as nextCursor${from}`, {
    issues: [
      {
        field: 'querystring.cursor',
        message: `must be a nextCursor value from a previous page of ${scope}${from}`,
      },
    ],
  });
}
