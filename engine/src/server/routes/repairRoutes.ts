import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { EngineError } from '../../errors.js';
import type { ActionFilter, RepairService } from '../../repair/RepairService.js';
import {
  actionListQuerySchema,
  actionRecordSchema,
  auditQuerySchema,
  auditRecordDtoSchema,
  auditVerificationSchema,
  decisionBodySchema,
  killSwitchBodySchema,
  killSwitchSchema,
  planResponseSchema,
  scanResponseSchema,
} from '../../repair/repairSchemas.js';
import { namespaceSchema } from '../../schemas/core.js';
import { pageQuerySchema, pageResponseFields, paginateIndexed, pageQueryOf } from '../pagination.js';
import { streamSse } from '../sse.js';

const idParams = z.object({ id: z.string().min(1).max(128) });
const namespaceQuery = z.object({ namespace: namespaceSchema.optional() });
const items = <T extends z.ZodType>(schema: T) => z.object({ items: z.array(schema) });

/**
 * Repair routes under /api/v1/repair: findings and plans (viewer), actions and pending approvals, approve/reject
 * (operator), the hash-chained audit trail and its verification, the kill switch (admin to change), SSE events.
 */
export const repairRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const repair = (): RepairService => {
    const service = engine.services.repair;
    if (!service)
      throw new EngineError(
        'UPSTREAM_UNAVAILABLE',
        'repair is not available: the default cluster cannot be acted on (no Lease or write access)',
      );
    return service;
  };
  const tags = ['repair'];

  app.get(
    '/repair/findings',
    {
      schema: {
        tags,
        summary: 'What is wrong in the cluster now (a fresh scan)',
        querystring: namespaceQuery,
        response: { 200: scanResponseSchema },
      },
    },
    async (request) => repair().scan(request.query.namespace),
  );

  app.get(
    '/repair/plans',
    {
      schema: {
        tags,
        summary:
          'What the rules in force would do about the current findings, with the rules that matched but held back and why',
        querystring: namespaceQuery,
        response: { 200: planResponseSchema },
      },
    },
    async (request) => repair().plan(request.query.namespace),
  );

  app.get(
    '/repair/actions',
    {
      schema: {
        tags,
        summary:
          'Actions, newest first, one page at a time (`limit`, `cursor` from `nextCursor`); `name` (or `node`) and `since` find the repairs of given workloads (or nodes) since a time; `updatedSince` lists by update time, newest first, what changed since a time',
        querystring: pageQuerySchema(engine.config.pagination).extend(actionListQuerySchema.shape),
        response: { 200: items(actionRecordSchema).extend(pageResponseFields) },
      },
    },
    async (request) => {
      const { state, namespace, name, node, since, updatedSince } = request.query;
      const filter: ActionFilter = {
        ...(state ? { state } : {}),
        ...(namespace ? { namespace } : {}),
        ...(name ? { names: name } : {}),
        ...(node ? { nodes: node } : {}),
        ...(since ? { since: new Date(since) } : {}),
        ...(updatedSince ? { updatedSince: new Date(updatedSince) } : {}),
      };
      return paginateIndexed(pageQueryOf(request, request.query), (after, limit) =>
        repair().pageActions(filter, { limit, ...(after === undefined ? {} : { after }) }),
      );
    },
  );

  app.get(
    '/repair/actions/:id',
    { schema: { tags, params: idParams, response: { 200: actionRecordSchema } } },
    async (request) => repair().getAction(request.params.id),
  );

  app.get(
    '/repair/approvals',
    {
      schema: {
        tags,
        summary: 'Actions waiting for an operator, with their dry-run diff',
        response: { 200: items(actionRecordSchema) },
      },
    },
    async () => ({ items: await repair().listActions({ state: 'awaiting-approval' }) }),
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/repair/approvals/:id/${decision}`,
      {
        config: { minRole: 'operator' },
        schema: {
          tags,
          summary:
            decision === 'approve'
              ? 'Approve a pending action (single use, before it expires)'
              : 'Reject a pending action',
          params: idParams,
          body: decisionBodySchema,
          response: { 200: actionRecordSchema },
        },
      },
      async (request) => {
        const by = request.principal ?? { name: 'anonymous', role: 'viewer' as const };
        const comment = request.body?.comment;
        return decision === 'approve'
          ? repair().approve(request.params.id, by, comment)
          : repair().reject(request.params.id, by, comment);
      },
    );
  }

  app.get(
    '/repair/audit',
    {
      schema: {
        tags,
        summary: 'Audit records by target and time, oldest first',
        querystring: auditQuerySchema,
        response: { 200: items(auditRecordDtoSchema) },
      },
    },
    async (request) => ({ items: await repair().audit(request.query) }),
  );

  app.get(
    '/repair/audit/verify',
    {
      schema: {
        tags,
        summary: 'Re-hash the whole chain; names the first record that was changed or removed',
        response: { 200: auditVerificationSchema },
      },
    },
    async () => repair().verifyAudit(),
  );

  app.get('/repair/kill-switch', { schema: { tags, response: { 200: killSwitchSchema } } }, async () =>
    repair().killSwitch(),
  );

  app.put(
    '/repair/kill-switch',
    {
      config: { minRole: 'admin' },
      schema: {
        tags,
        summary: 'Stop (or resume) all acting on every replica at once',
        body: killSwitchBodySchema,
        response: { 200: killSwitchSchema },
      },
    },
    async (request) => repair().setKillSwitch(request.body.on, request.principal?.name ?? 'anonymous'),
  );

  app.get(
    '/repair/events',
    {
      schema: {
        tags,
        summary:
          'Server-sent events: `action` on every step of an action, `findings`, `escalation`, `notify`, `kill-switch`',
      },
    },
    async (request, reply) => {
      const service = repair();
      await streamSse(
        request,
        reply,
        (signal) => ({
          async *[Symbol.asyncIterator]() {
            yield { event: 'ready', data: { identity: service.identity } };
            for await (const event of service.watch(signal)) {
              yield { event: String((event as { type: string }).type), data: event };
            }
          },
        }),
        { subscription: true },
      );
    },
  );
};
