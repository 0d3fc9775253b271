import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { rangeQuerySchema, rangeSeriesSchema, signalInfoSchema, timeInputSchema } from '../../schemas/core.js';

/** PromQL through the configured metrics source, so the plugins chart what the engine sees (Prometheus or demo). */
export const metricsRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const { metrics } = engine.context;

  app.get(
    '/metrics/query_range',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Range query through the configured metrics source',
        querystring: rangeQuerySchema,
        response: { 200: z.object({ series: z.array(rangeSeriesSchema) }) },
      },
    },
    async (request) => {
      const { query, start, end, step } = request.query;
      return { series: await metrics.rangeQuery({ query, start, end, stepSeconds: step }) };
    },
  );

  app.get(
    '/metrics/query',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Instant query through the configured metrics source',
        querystring: z.object({ query: z.string().min(1), time: timeInputSchema.optional() }),
        response: {
          200: z.object({
            samples: z.array(z.object({ labels: z.record(z.string(), z.string()), timestamp: z.number(), value: z.number() })),
          }),
        },
      },
    },
    async (request) => ({ samples: await metrics.instantQuery(request.query.query, request.query.time) }),
  );

  app.get(
    '/signals',
    {
      schema: {
        tags: ['metrics'],
        summary: 'The configured signals (named PromQL templates)',
        response: { 200: z.object({ serviceLabel: z.string(), window: z.string(), items: z.array(signalInfoSchema) }) },
      },
    },
    async () => ({
      serviceLabel: engine.config.signals.serviceLabel,
      window: engine.config.signals.window,
      items: engine.config.signals.list,
    }),
  );
};
