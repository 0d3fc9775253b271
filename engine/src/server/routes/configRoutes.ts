import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { serviceGraphEdgesSchema } from '../../schemas/core.js';
import { redactDeep } from '../../util/redact.js';

/**
 * A graph an admin sends: no edge from a service to itself, which RCA would read as a callee explaining itself. Only
 * here: the graph as read back (learned or configured before this check) is answered whatever it holds.
 */
const replacementGraphSchema = serviceGraphEdgesSchema.superRefine((graph, ctx) => {
  graph.edges.forEach((edge, i) => {
    if (edge.from === edge.to) {
      ctx.addIssue({
        code: 'custom',
        path: ['edges', i, 'to'],
        message: 'from and to name the same service: a service is not its own caller',
      });
    }
  });
});

/** Reading and changing configuration is for admins; secrets never leave the process. */
export const configRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/config',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['config'],
        summary: 'The effective configuration, secrets redacted',
        response: { 200: z.unknown() },
      },
    },
    async () => redactConfig(engine.config),
  );

  app.get(
    '/config/service-graph',
    {
      schema: {
        tags: ['config'],
        summary: 'Service graph edges the capabilities use',
        response: { 200: serviceGraphEdgesSchema },
      },
    },
    async () => ({ edges: await engine.serviceGraph.edges() }),
  );

  app.put(
    '/config/service-graph',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['config'],
        summary: 'Replace the configured service graph (kept in the store, shared by replicas)',
        body: replacementGraphSchema,
        response: { 200: serviceGraphEdgesSchema },
      },
    },
    async (request) => {
      await engine.serviceGraph.replace(request.body.edges, request.principal?.name ?? 'unknown');
      return { edges: await engine.serviceGraph.edges() };
    },
  );
};

/** The config as an admin may see it: tokens, keys, passwords, header values and URL credentials masked. */
export function redactConfig(config: Engine['config']): unknown {
  return redactDeep(config);
}
