import type { RouteOptions } from 'fastify';

/**
 * Writes each route's access rule into its OpenAPI operation, from the same route config the auth hook enforces:
 * public routes get `security: []`, the others `x-min-role` (viewer unless the route says more) and, when a scoped
 * token may call them, `x-scope` (server.auth.tokens[].scopes). Clients, the docs
 * and the auth-matrix test then read one documented rule per operation instead of guessing.
 */
export function documentAccess(route: RouteOptions): void {
  const config = route.config as { public?: boolean; minRole?: string; scope?: string } | undefined;
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  // `x-` keys are OpenAPI extensions @fastify/swagger copies into the operation; FastifySchema does not declare them.
  route.schema = (
    config?.public
      ? { ...schema, security: [] }
      : {
          ...schema,
          'x-min-role': config?.minRole ?? 'viewer',
          ...(config?.scope ? { 'x-scope': config.scope } : {}),
        }
  ) as RouteOptions['schema'];
}
