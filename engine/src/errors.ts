import { printable } from './util/printable.js';

/**
 * Every failure the engine reports to a caller is an EngineError with a stable code; the HTTP layer maps codes to
 * statuses in one place (server/errorHandler.ts) and the CLI prints `code: message`.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_CONFIG'
  | 'INVALID_INPUT'
  | 'PROMQL_ERROR'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_ERROR'
  | 'POLICY_DENIED'
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'STORE_UNAVAILABLE'
  | 'INTERNAL';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  INVALID_INPUT: 400,
  PROMQL_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  POLICY_DENIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_CONFIG: 500,
  UPSTREAM_ERROR: 502,
  UPSTREAM_UNAVAILABLE: 503,
  TIMEOUT: 504,
  RATE_LIMITED: 429,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `metrics.url` or `body.window.start`. */
  field: string;
  message: string;
}

export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  override readonly cause?: unknown;
  /** Seconds a caller should wait before trying again (429, 503); sent as the Retry-After header. */
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: FieldIssue[]; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.cause = options.cause;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

export const isEngineError = (error: unknown): error is EngineError => error instanceof EngineError;

/**
 * For `.catch` on a read whose record may have expired: NOT_FOUND becomes undefined, any other failure (the store
 * down) stays an error for the caller, not a reason to drop index entries.
 */
export function notFoundAsUndefined(error: unknown): undefined {
  if (isEngineError(error) && error.code === 'NOT_FOUND') return undefined;
  throw error;
}

/** Turns zod issues into field issues with dotted paths, prefixed by where the input came from. */
export function fieldIssuesFromZod(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix = '',
): FieldIssue[] {
  return issues.map((issue) => {
    // A path segment can be a key as sent (a label name): escaped like the CLI prints it, never echoed raw.
    const path = issue.path.map((segment) => printable(String(segment))).join('.');
    return {
      field: [prefix, path].filter(Boolean).join('.') || prefix || '(root)',
      message: fieldMessage(issue.message),
    };
  });
}

/**
 * zod words a missing field as a wrong type ("Invalid input: expected string, received undefined", for `?q=` left
 * out or `{}` to /scale-plan); the field's name already says which, so it is said as missing. Matched on zod's own
 * default wording (its final issues do not carry the input), so a schema's own message is kept; route validation
 * (server/errorHandler.ts) words its issues the same way.
 */
export function fieldMessage(message: string): string {
  return /^Invalid input: expected \w+, received undefined$/.test(message) ? 'required' : message;
}

/** The one wording of a refused request: every field and what is wrong with it. */
export function invalidRequest(issues: FieldIssue[]): EngineError {
  return new EngineError('INVALID_INPUT', `invalid request: ${describeIssues(issues)}`, { issues });
}

export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.message}`).join('; ');
}
