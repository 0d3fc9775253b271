import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../config/schema.js';
import { EngineError } from '../errors.js';

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export interface Principal {
  name: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role a caller needs; routes under /api/v1 default to viewer. */
    minRole?: Role;
    /** Probes and the OpenAPI document are open. */
    public?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface AuthOptions {
  enabled: boolean;
  tokens: Array<{ name: string; token: string; role: Role }>;
}

// Tokens are compared by digest in constant time so response timing does not leak how much of a guess matched.
const digest = (value: string) => createHash('sha256').update(value).digest();

/** Bearer-token auth with roles, applied to every route that is not marked public. */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthOptions) => {
    const known = options.tokens.map((t) => ({ ...t, digest: digest(t.token) }));

    app.addHook('onRequest', async (request: FastifyRequest) => {
      const routeConfig = request.routeOptions.config;
      if (routeConfig?.public) return;
      const needed = routeConfig?.minRole ?? 'viewer';
      if (!options.enabled) {
        request.principal = { name: 'anonymous', role: 'admin' };
        return;
      }
      const header = request.headers.authorization;
      const match = header?.match(/^Bearer\s+(.+)$/i);
      if (!match) throw new EngineError('UNAUTHORIZED', 'missing bearer token (Authorization: Bearer <token>)');
      const presented = digest(match[1]!.trim());
      const found = known.find((t) => timingSafeEqual(t.digest, presented));
      if (!found) throw new EngineError('UNAUTHORIZED', 'unknown bearer token');
      request.principal = { name: found.name, role: found.role };
      if (ROLE_RANK[found.role] < ROLE_RANK[needed]) {
        throw new EngineError('FORBIDDEN', `role ${found.role} may not do this; it needs ${needed}`);
      }
    });
  },
  { name: 'aicloudops-auth' },
);
