import { roleAtLeast } from '../auth.js';
import { EngineError } from '../../errors.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Engine } from '../../engine.js';
import { pageQuerySchema, pageResponseFields, paginate, pageQueryOf } from '../pagination.js';
import { jobRecordSchema } from '../../schemas/core.js';
import {
  backtestRequestSchema,
  forecastRequestSchema,
  forecastResponseSchema,
  modelListSchema,
  scalePlanRequestSchema,
  scalePlanResponseSchema,
  trainRequestSchema,
} from '../../forecast/schemas.js';

/**
 * Forecast routes under /api/v1: POST /forecast answers at once (stored model, or baselines on a cold start);
 * POST /forecast/train and /forecast/backtest start jobs (202; progress on /jobs/:id/events); POST /scale-plan plans,
 * renders manifests or applies (operator, policy permitting); GET /forecast/models lists stored versions.
 * Retraining runs on the engine's scheduler (started by startServer).
 */
export const forecastRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const service = engine.services.forecast;

  // The body schemas are validated again inside the service (one source of truth, field names prefixed `body.`);
  // here they document the API and let fastify reject non-JSON early.
  app.post(
    '/forecast',
    {
      schema: {
        tags: ['forecast'],
        summary: 'Forecast a series with prediction intervals, and say which model and why',
        body: forecastRequestSchema,
        response: { 200: forecastResponseSchema },
      },
    },
    async (request) => service.forecast(request.body),
  );

  app.post(
    '/forecast/train',
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['forecast'],
        summary:
          'Train (and, if it passes validation, promote) a model in a worker; the job result is the version',
        body: trainRequestSchema,
        response: { 202: jobRecordSchema },
      },
    },
    async (request, reply) => reply.status(202).send(await service.train(request.body)),
  );

  app.post(
    '/forecast/backtest',
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['forecast'],
        summary:
          'Rolling-origin backtest of every model on the last testDays; the job result holds the metrics',
        body: backtestRequestSchema,
        response: { 202: jobRecordSchema },
      },
    },
    async (request, reply) => reply.status(202).send(await service.backtest(request.body)),
  );

  app.get(
    '/forecast/models',
    {
      schema: {
        tags: ['forecast'],
        summary:
          'Stored model versions by series key, one page at a time (`limit`, `cursor` from `nextCursor`)',
        querystring: pageQuerySchema(engine.config.pagination),
        response: { 200: modelListSchema.extend(pageResponseFields) },
      },
    },
    async (request) =>
      paginate(await service.models(), (m) => m.seriesKey, pageQueryOf(request, request.query)),
  );

  app.post(
    '/scale-plan',
    {
      // Reading a plan is harmless, but `mode: apply` changes the cluster: operators only, and policy decides.
      config: { minRole: 'operator' },
      schema: {
        tags: ['forecast'],
        summary:
          'Replica plan from the forecast: recommendation, HPA/KEDA manifests, or apply (dry-run first)',
        body: scalePlanRequestSchema,
        response: { 200: scalePlanResponseSchema },
      },
    },
    async (request) => {
      // Planning is an operator's analysis; changing a cluster is an admin's act (Grafana's Admin route and the
      // Backstage apply permission send an admin token; the operator token they use for analyses cannot scale).
      if (request.body.mode === 'apply' && !roleAtLeast(request.principal?.role ?? 'viewer', 'admin')) {
        throw new EngineError('FORBIDDEN', 'body.mode: apply changes a cluster and needs the admin role');
      }
      return service.scalePlan(request.body);
    },
  );
};
