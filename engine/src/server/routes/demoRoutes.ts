import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { faultSchema, timeInputSchema } from '../../schemas/core.js';
import { FAULT_TYPES } from '../../sim/faults.js';
import { SHOP_NAMESPACE, SHOP_SERVICES } from '../../sim/shop.js';
import { EngineError } from '../../errors.js';
import { nodeOfFirstPod } from '../../sim/controller/faultNode.js';

/** Demo-only: the shop's metrics for a real Prometheus to scrape, and fault injection by hand. */
export const demoRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const demo = engine.demo;
  if (!demo) return;

  app.get('/demo/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
      .send(demo.renderExposition(Date.now() / 1000)),
  );

  app.get(
    '/api/v1/demo/faults',
    { schema: { tags: ['demo'], response: { 200: z.object({ items: z.array(faultSchema) }) } } },
    async () => ({ items: demo.ledger.all() }),
  );

  app.post(
    '/api/v1/demo/faults',
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['demo'],
        summary: 'Inject a fault into the simulated shop',
        body: z.object({
          type: z.enum(FAULT_TYPES),
          service: z.string().min(1).max(253),
          node: z.string().max(253).optional(),
          /** Backdates the fault (unix seconds or ISO-8601), so an incident can already be under way. */
          startedAt: timeInputSchema.optional(),
        }),
        response: { 201: faultSchema },
      },
    },
    async (request, reply) => {
      const { type, service, node, startedAt } = request.body;
      if (startedAt !== undefined && startedAt > Date.now() / 1000 + 1) {
        throw new EngineError('INVALID_INPUT', 'startedAt is in the future', {
          issues: [{ field: 'body.startedAt', message: 'must not be in the future' }],
        });
      }
      const historyStart = demo.cluster.historyStart();
      if (startedAt !== undefined && startedAt < historyStart) {
        const since = new Date(historyStart * 1000).toISOString();
        throw new EngineError(
          'INVALID_INPUT',
          `startedAt is before the cluster's history (it begins ${since})`,
          {
            issues: [
              { field: 'body.startedAt', message: `must not be before ${since}, when the cluster began` },
            ],
          },
        );
      }
      if (!SHOP_SERVICES.some((s) => s.name === service)) {
        throw new EngineError('INVALID_INPUT', `unknown service "${service}"`, {
          issues: [
            {
              field: 'body.service',
              message: `must be one of ${SHOP_SERVICES.map((s) => s.name).join(', ')}`,
            },
          ],
        });
      }
      if (node) {
        const nodes = demo.cluster.nodeNames();
        if (!nodes.includes(node)) {
          throw new EngineError('INVALID_INPUT', `unknown node "${node}"`, {
            issues: [{ field: 'body.node', message: `must be one of ${nodes.join(', ')}` }],
          });
        }
      }
      // A node-not-ready fault naming no node takes down the node the service's first pod runs on. Chosen here, not
      // left to the controller's next tick, so the answer (and GET) says which node went down, and the metrics hit
      // that node's pods as the cluster does (with no node they took half the service's pods, wherever they ran).
      const downNode =
        node ||
        (type === 'node-not-ready' ? nodeOfFirstPod(demo.cluster.store, SHOP_NAMESPACE, service) : undefined);
      const fault = demo.ledger.inject({
        type,
        service,
        namespace: SHOP_NAMESPACE,
        ...(downNode ? { node: downNode } : {}),
        ...(startedAt !== undefined ? { startedAt } : {}),
      });
      return reply.status(201).send(fault);
    },
  );

  app.delete(
    '/api/v1/demo/faults/:id',
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['demo'],
        params: z.object({ id: z.string().min(1).max(128) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      if (!demo.ledger.all().some((f) => f.id === request.params.id)) {
        throw new EngineError('NOT_FOUND', `no fault ${request.params.id}`, {
          issues: [{ field: 'params.id', message: 'unknown fault' }],
        });
      }
      demo.ledger.resolve(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
