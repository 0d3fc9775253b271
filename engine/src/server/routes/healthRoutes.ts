import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { readinessSchema } from '../../schemas/core.js';

/** Probes and metrics are public: kubelets and Prometheus scrape them without tokens. */
export const healthRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/healthz',
    { config: { public: true }, schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: { tags: ['health'], response: { 200: readinessSchema, 503: readinessSchema } },
    },
    async (_request, reply) => {
      const checks = await engine.readiness();
      const ready = checks.every((c) => c.ok);
      return reply.status(ready ? 200 : 503).send({ ready, profile: engine.config.profile, checks });
    },
  );

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const body = await engine.metrics.registry.metrics();
    return reply.header('content-type', engine.metrics.registry.contentType).send(body);
  });
};
