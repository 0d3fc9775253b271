import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { jobRecordSchema } from '../../schemas/core.js';
import { streamSse } from '../sse.js';
import { isFinalJob } from '../../jobs/JobRunner.js';
import { jobKindSchema } from '../../jobs/jobKinds.js';
import { jobViewFor } from '../../jobs/jobViewFor.js';
import { pageQuerySchema, pageResponseFields, paginateIndexed, pageQueryOf } from '../pagination.js';

const idParams = z.object({ id: z.string().min(1).max(128) });

/**
 * Job routes under /api/v1: list (paginated, newest first), show, follow over SSE until the job is final, cancel.
 * Statuses: queued → running → succeeded | failed | cancelled | interrupted (its engine stopped before it finished).
 */
export const jobRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const { jobs } = engine.context;
  // Viewers read jobs without their params (see jobViewFor); an anonymous engine's caller is an admin.
  const roleOf = (request: FastifyRequest) => request.principal?.role ?? 'viewer';

  app.get(
    '/jobs',
    {
      schema: {
        tags: ['jobs'],
        querystring: pageQuerySchema(engine.config.pagination).extend({ kind: jobKindSchema.optional() }),
        response: { 200: z.object({ items: z.array(jobRecordSchema), ...pageResponseFields }) },
      },
    },
    async (request) => {
      const { kind } = request.query;
      return paginateIndexed(pageQueryOf(request, request.query), async (after, limit) =>
        (
          await jobs.page({ limit, ...(kind ? { kind } : {}), ...(after === undefined ? {} : { after }) })
        ).map(({ record, key }) => ({
          item: jobViewFor(record, roleOf(request)),
          key,
        })),
      );
    },
  );

  app.get(
    '/jobs/:id',
    { schema: { tags: ['jobs'], params: idParams, response: { 200: jobRecordSchema } } },
    async (request) => jobViewFor(await jobs.get(request.params.id), roleOf(request)),
  );

  app.get(
    '/jobs/:id/events',
    {
      schema: {
        tags: ['jobs'],
        summary:
          'Server-sent events: `progress` with the job record on each update, then `done` when it is final',
        params: idParams,
      },
    },
    async (request, reply) => {
      // Unknown ids are a 404 before the stream opens; a final job gets one `done` event and the stream ends.
      const current = await jobs.get(request.params.id);
      await streamSse(request, reply, (signal) => ({
        async *[Symbol.asyncIterator]() {
          for await (const record of jobs.watch(current.id, signal, current)) {
            yield {
              event: isFinalJob(record) ? 'done' : 'progress',
              data: jobViewFor(record, roleOf(request)),
            };
          }
        },
      }));
    },
  );

  app.delete(
    '/jobs/:id',
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['jobs'],
        summary:
          'Cancel a queued or running job; `cancelled: false` when it had already ended, 404 when unknown. The job ends ' +
          '`cancelled` with `error.code` CANCELLED and a message saying who cancelled it and at what stage',
        params: idParams,
        response: { 200: z.object({ cancelled: z.boolean() }) },
      },
    },
    async (request) => ({
      cancelled: await jobs.cancel(
        request.params.id,
        `${request.principal?.name ?? 'anonymous'} (DELETE /jobs/:id)`,
      ),
    }),
  );
};
