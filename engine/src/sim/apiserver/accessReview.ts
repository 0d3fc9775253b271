import { ApiError } from './ApiError.js';
import type { HandlerResult } from './ResourceHandlers.js';

/**
 * authorization.k8s.io/v1 reviews, which `kubectl auth can-i` posts. The simulated server has no RBAC enforcement
 * (anyone holding the token may do anything, see README), so the truthful answer is "allowed" for every question,
 * with the reason saying why. They are answered, never stored, as on a real server.
 */
export const AUTHORIZATION_GROUP = 'authorization.k8s.io';

export const AUTHORIZATION_RESOURCES = [
  { name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview' },
  { name: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview' },
];

const REASON = 'the simulated API server does not enforce RBAC: every authenticated request is allowed';

/** The answer to a POST on an authorization review path, or undefined when the path is not one. */
export function answerReview(method: string, path: string, body: unknown): HandlerResult | undefined {
  const match =
    /^\/apis\/authorization\.k8s\.io\/v1\/(selfsubjectaccessreviews|selfsubjectrulesreviews)\/?$/.exec(path);
  if (!match) return undefined;
  if (method !== 'POST') {
    throw new ApiError(
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${method} ${match[1]})`,
    );
  }
  const review = (body ?? {}) as { spec?: Record<string, unknown>; metadata?: Record<string, unknown> };
  if (typeof review.spec !== 'object' || review.spec === null) {
    throw new ApiError('Invalid', `${match[1]} is invalid: spec: Required value`, {
      kind: match[1],
      group: AUTHORIZATION_GROUP,
      causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec' }],
    });
  }
  const kind = AUTHORIZATION_RESOURCES.find((r) => r.name === match[1])!.kind;
  const status =
    kind === 'SelfSubjectAccessReview'
      ? { allowed: true, reason: REASON }
      : {
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          incomplete: false,
        };
  return {
    status: 201,
    body: {
      kind,
      apiVersion: `${AUTHORIZATION_GROUP}/v1`,
      metadata: { creationTimestamp: null, ...(review.metadata ?? {}) },
      spec: review.spec,
      status,
    },
  };
}
