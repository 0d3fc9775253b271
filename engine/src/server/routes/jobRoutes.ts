import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { jobRecordSchema } from '../../schemas/core.js';
import { iterateSubscription, streamSse } from '../sse.js';
import type { JobRecord } from '../../jobs/JobRunner.js';

const idParams = z.object({ id: z.string().min(1).max(128) });

export const jobRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const { jobs } = engine.context;

  app.get(
    '/jobs',
    {
      schema: {
        tags: ['jobs'],
        querystring: z.object({ kind: z.string().min(1).optional() }),
        response: { 200: z.object({ items: z.array(jobRecordSchema) }) },
      },
    },
    async (request) => ({ items: await jobs.list(request.query.kind) }),
  );

  app.get(
    '/jobs/:id',
    { schema: { tags: ['jobs'], params: idParams, response: { 200: jobRecordSchema } } },
    async (request) => jobs.get(request.params.id),
  );

  app.get(
    '/jobs/:id/events',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Server-sent events: `progress` with the job record on each update, then `done`',
        params: idParams,
      },
    },
    async (request, reply) => {
      const current = await jobs.get(request.params.id);
      const finished = (r: JobRecord) => r.status !== 'running';
      const updates = iterateSubscription<JobRecord>((push) => jobs.subscribe(current.id, push), finished, current);
      await streamSse(request, reply, {
        async *[Symbol.asyncIterator]() {
          for await (const record of updates) {
            yield { event: finished(record) ? 'done' : 'progress', data: record };
          }
        },
      });
    },
  );

  app.delete(
    '/jobs/:id',
    {
      config: { minRole: 'operator' },
      schema: { tags: ['jobs'], params: idParams, response: { 200: z.object({ cancelled: z.boolean() }) } },
    },
    async (request) => ({ cancelled: jobs.cancel(request.params.id) }),
  );
};
