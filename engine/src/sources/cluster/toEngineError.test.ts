import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { toEngineError } from './toEngineError.js';

const status = (code: number, reason: string, message: string, causes?: unknown[]) =>
  new ApiException(
    code,
    'Unknown API Status Code!',
    JSON.stringify({
      kind: 'Status',
      status: 'Failure',
      reason,
      message,
      code,
      details: causes ? { causes } : {},
    }),
    {},
  );

describe('toEngineError', () => {
  it('maps Status codes to engine codes and keeps the server message', () => {
    expect(toEngineError(status(404, 'NotFound', 'pods "x" not found'), 'prod', 'get pod')).toMatchObject({
      code: 'NOT_FOUND',
      message: 'cluster prod: pods "x" not found',
    });
    expect(toEngineError(status(409, 'Conflict', 'modified'), 'prod', 'x').code).toBe('CONFLICT');
    // The API server refusing the engine's service account is not the caller's 403: an upstream failure.
    const denied = toEngineError(status(403, 'Forbidden', 'no'), 'prod', 'list pods in shop');
    expect(denied.code).toBe('UPSTREAM_ERROR');
    expect(denied.message).toBe(
      "cluster prod: the engine's service account lacks a Kubernetes permission needed to list pods in shop; check the engine's RBAC (its Roles, ClusterRoles and their bindings) on that cluster",
    );
    expect(toEngineError(status(500, 'InternalError', 'boom'), 'prod', 'x').code).toBe('UPSTREAM_ERROR');
    expect(
      toEngineError(new ApiException(401, 'Unauthorized', undefined, {}), 'prod', 'list nodes').message,
    ).toContain('rejected the credentials');
  });

  it('turns 422 causes into field issues', () => {
    const error = toEngineError(
      status(422, 'Invalid', 'Deployment.apps "a" is invalid', [
        { field: 'spec.replicas', message: 'must be >= 0' },
      ]),
      'prod',
      'patch',
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues).toEqual([{ field: 'spec.replicas', message: 'must be >= 0' }]);
  });

  it('recognises refused connections through error causes', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(toEngineError(refused, 'prod', 'list').code).toBe('UPSTREAM_UNAVAILABLE');
    const engine = new EngineError('NOT_FOUND', 'x');
    expect(toEngineError(engine, 'prod', 'list')).toBe(engine);
  });
});
