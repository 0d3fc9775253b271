import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import type { HealthCheck } from '../../health/HealthCheck.js';
import { readinessSchema } from '../../schemas/core.js';
import { redactChecks } from '../../util/redact.js';

const withoutDetail = (check: HealthCheck): HealthCheck => ({
  name: check.name,
  ok: check.ok,
  detail: check.ok ? 'ok' : 'not ready (details for authenticated callers: Authorization: Bearer <token>)',
});

/**
 * Probes and metrics are public: kubelets and Prometheus scrape them without tokens. /readyz shows each source's
 * details (secrets masked) only to a caller with a valid token, or to everyone when auth is off.
 */
export const healthRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: { tags: ['health'], response: { 200: readinessSchema, 503: readinessSchema } },
    },
    async (request, reply) => {
      const checks = await engine.readiness();
      const ready = checks.every((c) => c.ok);
      // Anonymous callers (kubelets, load balancers) need the verdict per source, not internal hosts and errors.
      const shown = request.principal ? redactChecks(checks) : checks.map(withoutDetail);
      return reply.status(ready ? 200 : 503).send({ ready, profile: engine.config.profile, checks: shown });
    },
  );

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const body = await engine.metrics.registry.metrics();
    return reply.header('content-type', engine.metrics.registry.contentType).send(body);
  });
};
