import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { alertsOf, startAlerting } from '../../alerts/alertsOf.js';
import {
  alertDtoSchema,
  alertListQuerySchema,
  alertStatsSchema,
  alertmanagerWebhookSchema,
  genericAlertsBodySchema,
  incidentDtoSchema,
  incidentEventsQuerySchema,
  incidentListQuerySchema,
  ingestResultSchema,
  MAX_SUPPRESSION_DAYS,
  suppressionBodySchema,
  type IngestResult,
  suppressionDtoSchema,
} from '../../alerts/schemas.js';
import { parseWebhookFast } from '../../alerts/ingest/parseWebhookFast.js';
import { assertSseCapacity, iterateSubscription, streamSse } from '../sse.js';
import type { IncidentEvent } from '../../alerts/IncidentBus.js';
import { errorBodySchema } from '../../schemas/core.js';

const idParams = z.object({ id: z.string().min(1).max(128) });

/** The webhook's body: the fast path first; zod decides (and names the failing fields) whatever it is not sure of. */
function webhookValidatorCompiler<S>(
  route: Parameters<FastifySchemaCompiler<S>>[0],
): ReturnType<FastifySchemaCompiler<S>> {
  // Fastify hands a route's compiler the part's schema (here zod's), whatever the route's schema object is typed as.
  const zod = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
  if (route.httpPart !== 'body') return zod;
  return (data) => {
    const value = parseWebhookFast(data);
    return value ? { value } : zod(data);
  };
}

/**
 * The webhook's 200 as JSON without zod's check: AlertService builds it, typed as the schema's output, with only its
 * fields; the check cost 1.5-1.8% of the engine's samples in an alert-noise storm (one reply per delivery).
 */
const ingestReplySerializer = () => (data: IngestResult) => JSON.stringify(data);

/**
 * Unified alerting under /api/v1: ingest (Alertmanager webhook v4, the generic form), incidents with their alerts and
 * merge reasons, ack/resolve, the live incident stream (SSE), suppression windows and the compression figures.
 * Ingest answers 200 only after the delivery is durable in the store.
 */
export const alertRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const service = alertsOf(engine);
  const stop = await startAlerting(engine);
  app.addHook('onClose', async () => stop());

  app.post(
    '/alerts/webhook/alertmanager',
    {
      // scope: an Alertmanager's token (server.auth.tokens[].scopes) may only send alerts.
      config: { minRole: 'operator', scope: 'alerts:ingest' },
      validatorCompiler: webhookValidatorCompiler,
      serializerCompiler: ingestReplySerializer,
      schema: {
        tags: ['alerts'],
        summary:
          'Alertmanager webhook receiver (payload version 4); idempotent on the label set + startsAt; an alert over the per-alert limits (labels, startsAt ahead) is skipped and listed in `skipped`, the rest ingested',
        body: alertmanagerWebhookSchema,
        response: { 200: ingestResultSchema },
      },
    },
    async (request) => service.ingestAlertmanager(request.body, { validated: true }),
  );

  app.post(
    '/alerts',
    {
      // scope: an Alertmanager's token (server.auth.tokens[].scopes) may only send alerts.
      config: { minRole: 'operator', scope: 'alerts:ingest' },
      schema: {
        tags: ['alerts'],
        summary:
          'Generic JSON alerts; an alert over the per-alert limits is skipped and listed in `skipped`, the rest ingested',
        body: genericAlertsBodySchema,
        response: { 200: ingestResultSchema },
      },
    },
    async (request) => service.ingestGeneric(request.body, { validated: true }),
  );

  app.get(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        querystring: alertListQuerySchema,
        response: { 200: z.object({ items: z.array(alertDtoSchema) }) },
      },
    },
    async (request) => ({ items: await service.listAlerts(request.query) }),
  );

  app.get(
    '/alerts/stats',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Compression, dedup ratio and added notification delay',
        response: { 200: alertStatsSchema },
      },
    },
    async () => service.stats(),
  );

  app.get(
    '/alerts/suppressions',
    { schema: { tags: ['alerts'], response: { 200: z.object({ items: z.array(suppressionDtoSchema) }) } } },
    async () => ({ items: await service.suppressions() }),
  );

  app.post(
    '/alerts/suppressions',
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['alerts'],
        summary: `A maintenance or rollout window: at least one matcher that an alert without the label does not match, endsAt in the future and at most ${MAX_SUPPRESSION_DAYS} days after startsAt, startsAt at most ${MAX_SUPPRESSION_DAYS} days ahead`,
        body: suppressionBodySchema,
        response: { 201: suppressionDtoSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await service.addSuppression(request.body)),
  );

  app.delete(
    '/alerts/suppressions/:id',
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['alerts'],
        summary:
          'End a suppression window now (as Alertmanager expires a silence): it stays listed as `expired` for 120 h after its end; ending one already over changes nothing; 404 when unknown; 409 for a window defined in the config (`alerts.suppressions`)',
        params: idParams,
        response: { 200: suppressionDtoSchema, 409: errorBodySchema },
      },
    },
    async (request) => service.expireSuppression(request.params.id),
  );

  app.get(
    '/incidents',
    {
      schema: {
        tags: ['alerts'],
        querystring: incidentListQuerySchema,
        response: { 200: z.object({ items: z.array(incidentDtoSchema) }) },
      },
    },
    async (request) => ({ items: await service.listIncidents(request.query) }),
  );

  app.get(
    '/incidents/events',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Server-sent events: `incident` on every change, from every replica sharing the store',
        querystring: incidentEventsQuerySchema,
      },
    },
    async (request, reply) => {
      // Before the subscription: a refused stream must leave no listener behind.
      assertSseCapacity(request);
      const services = request.query.service ? new Set(request.query.service) : undefined;
      let unsubscribe: (() => Promise<void>) | undefined;
      const pending: IncidentEvent[] = [];
      let push: ((event: IncidentEvent) => void) | undefined;
      unsubscribe = await service.bus.subscribe((event) => (push ? push(event) : pending.push(event)));
      const events = iterateSubscription<IncidentEvent>(
        (p) => {
          push = p;
          pending.splice(0).forEach(p);
          return () => void unsubscribe?.();
        },
        () => false,
      );
      try {
        await streamSse(
          request,
          reply,
          {
            async *[Symbol.asyncIterator]() {
              yield { event: 'ready', data: { at: new Date().toISOString() } };
              for await (const event of events) {
                if (involves(event, services)) yield { event: 'incident', data: event };
              }
            },
          },
          { subscription: true },
        );
      } finally {
        await unsubscribe();
        unsubscribe = undefined;
      }
    },
  );

  app.get(
    '/incidents/:id',
    { schema: { tags: ['alerts'], params: idParams, response: { 200: incidentDtoSchema } } },
    async (request) => service.getIncident(request.params.id),
  );

  app.post(
    '/incidents/:id/ack',
    {
      config: { minRole: 'operator' },
      schema: { tags: ['alerts'], params: idParams, response: { 200: incidentDtoSchema } },
    },
    async (request) => service.acknowledge(request.params.id, request.principal?.name ?? 'anonymous'),
  );

  app.post(
    '/incidents/:id/resolve',
    {
      config: { minRole: 'operator' },
      schema: { tags: ['alerts'], params: idParams, response: { 200: incidentDtoSchema } },
    },
    async (request) => service.resolve(request.params.id, request.principal?.name ?? 'anonymous'),
  );
};

/** Whether a stream filtered to these services (none: every incident) carries the event. */
function involves(event: IncidentEvent, services: ReadonlySet<string> | undefined): boolean {
  return !services || event.incident.services.some((service) => services.has(service));
}
