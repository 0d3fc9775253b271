import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { jobRecordSchema } from '../../schemas/core.js';
import { rcaRequestBodySchema, rcaResultSchema } from '../../rca/schemas.js';
import { pageQuerySchema, pageResponseFields, paginateIndexed, pageQueryOf } from '../pagination.js';

const idParams = z.object({ id: z.string().min(1).max(128) });

/**
 * RCA routes under /api/v1: POST /rca starts an analysis as a job (202; progress on /jobs/:id/events), GET /rca lists
 * stored results, GET /rca/:id shows one, POST /rca/:id/rerun analyses the same request again.
 */
export const rcaRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const service = engine.services.rca;

  app.post(
    '/rca',
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['rca'],
        summary: 'Start a root-cause analysis; the job result is the RCA result',
        body: rcaRequestBodySchema.optional(),
        response: { 202: jobRecordSchema },
      },
    },
    async (request, reply) => reply.status(202).send(await service.start(request.body ?? {})),
  );

  app.get(
    '/rca',
    {
      schema: {
        tags: ['rca'],
        summary: 'Stored results, newest first, one page at a time (`limit`, `cursor` from `nextCursor`)',
        querystring: pageQuerySchema(engine.config.pagination),
        response: { 200: z.object({ items: z.array(rcaResultSchema), ...pageResponseFields }) },
      },
    },
    async (request) =>
      paginateIndexed(pageQueryOf(request, request.query), async (after, limit) =>
        (await service.page({ limit, after })).map(({ record, key }) => ({ item: record, key })),
      ),
  );

  app.get(
    '/rca/:id',
    { schema: { tags: ['rca'], params: idParams, response: { 200: rcaResultSchema } } },
    async (request) => service.get(request.params.id),
  );

  app.post(
    '/rca/:id/rerun',
    {
      config: { minRole: 'operator' },
      schema: { tags: ['rca'], params: idParams, response: { 202: jobRecordSchema } },
    },
    async (request, reply) => reply.status(202).send(await service.rerun(request.params.id)),
  );
};
