import { ApiException } from '@kubernetes/client-node';
import { EngineError, type FieldIssue } from '../../errors.js';

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ field?: string; message?: string }> };
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

function parseStatus(body: unknown): StatusBody | undefined {
  if (typeof body === 'object' && body !== null) return body as StatusBody;
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body) as StatusBody;
  } catch {
    return { message: body };
  }
}

function connectionCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
    const errno = (current as { errno?: unknown }).errno;
    if (typeof errno === 'string' && CONNECTION_CODES.has(errno)) return errno;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The pieces of a Kubernetes RBAC denial: `... cannot list resource "pods" in API group "" in the namespace "shop"`. */
const DENIAL =
  /cannot ([a-z]+) resource "([a-z0-9./-]+)" in API group "([a-z0-9.-]*)"(?: in the namespace "([a-z0-9-]+)"| at the cluster scope)/;

/**
 * An API server's 403 is the engine's service account lacking a permission, not the engine's caller: answered as
 * an upstream failure (502), never as the caller's own FORBIDDEN. Only verb, resource, group and namespace are kept
 * (matched against Kubernetes' name grammar); the denial's subject and anything else in the message are dropped.
 */
function forbiddenUpstream(
  message: string | undefined,
  cluster: string,
  what: string,
  cause: unknown,
): EngineError {
  const denial = DENIAL.exec(message ?? '');
  const needed = denial
    ? `the Kubernetes permission to ${denial[1]} ${denial[3] ? `${denial[3]}/` : ''}${denial[2]} ${denial[4] ? `in namespace ${denial[4]}` : 'at the cluster scope'}`
    : `a Kubernetes permission needed to ${what}`;
  return new EngineError(
    'UPSTREAM_ERROR',
    `cluster ${cluster}: the engine's service account lacks ${needed}; check the engine's RBAC (its Roles, ClusterRoles and their bindings) on that cluster`,
    { cause },
  );
}

/** Whether a mapped error is the API server refusing the engine's service account (an RBAC 403). */
export function isRbacDenial(error: EngineError): boolean {
  return error.cause instanceof ApiException && error.cause.code === 403;
}

/**
 * Maps what client-node throws to EngineError: ApiException by HTTP status (the Status message is kept, 422
 * causes become field issues, a 403 is the engine's own RBAC: an upstream failure), network failures to
 * UPSTREAM_UNAVAILABLE.
 */
export function toEngineError(error: unknown, cluster: string, what: string): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof ApiException) {
    const status = parseStatus(error.body);
    const message = status?.message ?? `${what}: HTTP ${error.code}`;
    const prefix = `cluster ${cluster}: `;
    switch (error.code) {
      case 400:
        return new EngineError('BAD_REQUEST', prefix + message, { cause: error });
      case 401:
        return new EngineError(
          'UPSTREAM_ERROR',
          `${prefix}${what}: the API server rejected the credentials (401)`,
          { cause: error },
        );
      case 403:
        return forbiddenUpstream(status?.message, cluster, what, error);
      case 404:
        return new EngineError('NOT_FOUND', prefix + message, { cause: error });
      case 409:
        return new EngineError('CONFLICT', prefix + message, { cause: error });
      case 422: {
        const issues: FieldIssue[] = (status?.details?.causes ?? []).map((c) => ({
          field: c.field ?? '(root)',
          message: c.message ?? 'invalid',
        }));
        return new EngineError('INVALID_INPUT', prefix + message, { issues, cause: error });
      }
      case 410:
        return new EngineError('CONFLICT', prefix + message, { cause: error });
      default:
        if (error.code >= 500) return new EngineError('UPSTREAM_ERROR', prefix + message, { cause: error });
        return new EngineError('UPSTREAM_ERROR', prefix + message, { cause: error });
    }
  }
  const code = connectionCode(error);
  if (code) {
    return new EngineError(
      'UPSTREAM_UNAVAILABLE',
      `cluster ${cluster}: ${what}: cannot reach the API server (${code})`,
      { cause: error },
    );
  }
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number') {
    return new EngineError(
      statusCode === 404 ? 'NOT_FOUND' : 'UPSTREAM_ERROR',
      `cluster ${cluster}: ${what}: HTTP ${statusCode}`,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|fetch failed|socket hang up/i.test(message)) {
    return new EngineError(
      'UPSTREAM_UNAVAILABLE',
      `cluster ${cluster}: ${what}: cannot reach the API server (${message})`,
      { cause: error },
    );
  }
  return new EngineError('UPSTREAM_ERROR', `cluster ${cluster}: ${what}: ${message}`, { cause: error });
}
