import { basename } from 'node:path';
import { roleAtLeast } from '../auth.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  answerSchema,
  askRequestSchema,
  conversationSchema,
  documentsQuerySchema,
  documentsResponseSchema,
  feedbackRecordSchema,
  feedbackRequestSchema,
  ingestRequestSchema,
  removedSourceSchema,
  searchQuerySchema,
  searchResponseSchema,
} from '../../assistant/schemas.js';
import type { Engine } from '../../engine.js';
import { jobRecordSchema } from '../../schemas/core.js';
import { streamSse } from '../sse.js';
import { redactChecks } from '../../util/redact.js';
import { pageQuerySchema, pageResponseFields, paginate, pageQueryOf } from '../pagination.js';
import { ANONYMOUS_OWNER } from '../../assistant/answer/ConversationStore.js';
import type { FastifyRequest } from 'fastify';
import { errorBodySchema } from '../../schemas/core.js';

/** Conversations belong to the caller's token name; with auth off every caller is the one anonymous identity. */
const ownerOf = (request: FastifyRequest) => request.principal?.name ?? ANONYMOUS_OWNER;

/**
 * Assistant routes under /api/v1: POST /assistant/ask (SSE with `Accept: text/event-stream` or `stream: true`:
 * events token, citation, tool, done; JSON otherwise), GET /assistant/search (also Backstage portal search),
 * POST /assistant/feedback, POST /assistant/ingest (202 job), DELETE /assistant/sources/:name,
 * GET /assistant/conversations/:id, GET /assistant/status.
 */
export const assistantRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const service = await engine.services.assistant();

  app.post(
    '/assistant/ask',
    {
      schema: {
        tags: ['assistant'],
        summary:
          'Ask the ops assistant; streams server-sent events when the client accepts text/event-stream',
        body: askRequestSchema,
        response: { 200: answerSchema },
      },
    },
    async (request, reply) => {
      const wantsStream =
        request.body.stream === true || (request.headers.accept ?? '').includes('text/event-stream');
      const owner = ownerOf(request);
      if (!wantsStream) return service.askOnce(request.body, owner);
      // Refused before the stream opens, with the JSON form's status and body (AssistantService.startAsk).
      const events = await service.startAsk(request.body, owner);
      await streamSse(request, reply, {
        async *[Symbol.asyncIterator]() {
          for await (const event of events) {
            const { type, ...data } = event;
            yield {
              event: type,
              data: type === 'done' ? event.answer : type === 'token' ? { text: event.text } : data,
            };
          }
        },
      });
      return reply;
    },
  );

  app.get(
    '/assistant/search',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Hybrid search over the knowledge base',
        querystring: searchQuerySchema,
        response: { 200: searchResponseSchema },
      },
    },
    async (request) => ({ results: await service.search(request.query) }),
  );

  app.get(
    '/assistant/documents',
    {
      schema: {
        tags: ['assistant'],
        summary:
          'Knowledge-base pages with their text, by path, one page at a time (for portal search indexers)',
        querystring: documentsQuerySchema.extend(pageQuerySchema(engine.config.pagination).shape),
        response: { 200: documentsResponseSchema.extend(pageResponseFields) },
      },
    },
    async (request) => {
      const { source, maxChars, path, ...page } = request.query;
      return paginate(
        service.documents({ source, maxChars, path }),
        (d) => `${d.path}\u0000${d.source}`,
        pageQueryOf(request, page),
      );
    },
  );

  app.post(
    '/assistant/feedback',
    { schema: { tags: ['assistant'], body: feedbackRequestSchema, response: { 201: feedbackRecordSchema } } },
    async (request, reply) => reply.status(201).send(await service.feedback(request.body, ownerOf(request))),
  );

  app.post(
    '/assistant/ingest',
    {
      // Reads folders on the engine host: admin only, and only inside assistant.ingest.roots (400 naming the path).
      config: { minRole: 'admin' },
      schema: {
        tags: ['assistant'],
        summary: 'Ingest folders inside assistant.ingest.roots into the knowledge base (a job)',
        body: ingestRequestSchema,
        response: { 202: jobRecordSchema },
      },
    },
    async (request, reply) => reply.status(202).send(await service.ingest(request.body)),
  );

  app.delete(
    '/assistant/sources/:name',
    {
      // Who may add a source may take one out: admin, as for POST /assistant/ingest.
      config: { minRole: 'admin' },
      schema: {
        tags: ['assistant'],
        summary:
          'Remove one knowledge-base source (a name from GET /assistant/status): its pages leave search and answers at ' +
          'once, on every replica sharing the store, and stay out after a restart; 404 when unknown; 409 for a source ' +
          'the config ingests at start (the runbooks with `assistant.includeRunbooks`, `assistant.sources`): edit the config',
        params: z.object({ name: z.string().min(1).max(4096) }),
        response: { 200: removedSourceSchema, 409: errorBodySchema },
      },
    },
    async (request) => service.removeSource(request.params.name),
  );

  app.get(
    '/assistant/conversations/:id',
    {
      schema: {
        tags: ['assistant'],
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: conversationSchema },
      },
    },
    async (request) => service.conversation(request.params.id, ownerOf(request)),
  );

  app.get(
    '/assistant/status',
    { schema: { tags: ['assistant'], summary: 'Knowledge base and model status' } },
    async (request) => {
      // Another replica's ingest or removal shows here as in search (the stored version, checked at most every 2 s).
      await service.kb.refresh();
      const stats = service.kb.stats();
      // A source's root is a folder on the engine host: operators, who may ingest, see it; viewers see the rest, and
      // a source named by its path (ingested without a name) by the folder's last segment.
      const sources = roleAtLeast(request.principal?.role ?? 'viewer', 'operator')
        ? stats.sources
        : stats.sources.map(({ root, ...rest }) => ({
            ...rest,
            name: rest.name === root ? basename(root) : rest.name,
          }));
      return { ...stats, sources, mode: service.mode, check: redactChecks([await service.check()])[0] };
    },
  );
};
