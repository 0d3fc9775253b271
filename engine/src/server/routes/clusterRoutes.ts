import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { EngineError } from '../../errors.js';
import type { ClusterRegistry, ClusterSource } from '../../sources/cluster/ClusterSource.js';
import { clusterQuerySchema, eventInfoSchema, workloadHealthSchema } from '../../schemas/core.js';
import { describeWorkloadHealth } from '../../cluster/describeWorkloadHealth.js';
import { pageQuerySchema, pageResponseFields, paginate, pageQueryOf } from '../pagination.js';

export const clusterRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const { clusters } = engine.context;
  const page = pageQuerySchema(engine.config.pagination).shape;

  app.get(
    '/clusters',
    {
      schema: {
        tags: ['cluster'],
        summary: 'Configured clusters (kubeconfig contexts, or the simulated one)',
        response: { 200: z.object({ items: z.array(z.object({ name: z.string(), default: z.boolean() })) }) },
      },
    },
    async () => {
      const names = clusters.names();
      return { items: names.map((name, i) => ({ name, default: i === 0 })) };
    },
  );

  app.get(
    '/workloads',
    {
      schema: {
        tags: ['cluster'],
        summary: 'Workloads of a namespace (optionally by label selector) with their pods and health',
        querystring: clusterQuerySchema.extend(page),
        response: { 200: z.object({ items: z.array(workloadHealthSchema), ...pageResponseFields }) },
      },
    },
    async (request) => {
      const cluster = clusterOf(clusters, request.query.cluster);
      const namespace = request.query.namespace ?? engine.config.defaultNamespace;
      const { labelSelector } = request.query;
      const items = await describeWorkloadHealth(cluster, namespace, labelSelector).catch(
        (error: unknown) => {
          throw selectorRefused(error, labelSelector && 'querystring.labelSelector');
        },
      );
      return paginate(items, (w) => `${w.kind}/${w.name}`, pageQueryOf(request, request.query));
    },
  );

  app.get(
    '/events',
    {
      schema: {
        tags: ['cluster'],
        summary: 'Kubernetes events of a namespace, newest first',
        querystring: clusterQuerySchema.extend({ fieldSelector: z.string().min(1).optional(), ...page }),
        response: { 200: z.object({ items: z.array(eventInfoSchema), ...pageResponseFields }) },
      },
    },
    async (request) => {
      const cluster = clusterOf(clusters, request.query.cluster);
      const namespace = request.query.namespace ?? engine.config.defaultNamespace;
      const { fieldSelector } = request.query;
      const events = await cluster
        .listEvents(namespace, { ...(fieldSelector ? { fieldSelector } : {}) })
        .catch((error: unknown) => {
          throw selectorRefused(error, fieldSelector && 'querystring.fieldSelector');
        });
      // Events carry no uid here; time, object, reason, first time and count together tell them apart.
      const keyOf = (e: (typeof events)[number]) =>
        [
          e.lastTimestamp ?? '',
          `${e.involvedKind}/${e.involvedName}`,
          e.reason,
          e.firstTimestamp ?? '',
          e.count,
        ].join('|');
      return paginate(events, keyOf, pageQueryOf(request, request.query), 'desc');
    },
  );
};

/**
 * The cluster a query names, or a 400 naming `querystring.cluster` (as `body.cluster` is for an RCA). The registry's
 * own error is a 404 naming a bare `cluster`, which read as "no such route" and named no query parameter.
 */
function clusterOf(clusters: ClusterRegistry, name: string | undefined): ClusterSource {
  if (name !== undefined && !clusters.names().includes(name)) {
    const configured = clusters.names().join(', ');
    throw new EngineError('INVALID_INPUT', `unknown cluster "${name}"; configured: ${configured}`, {
      issues: [{ field: 'querystring.cluster', message: `must be one of ${configured}` }],
    });
  }
  return clusters.get(name);
}

/**
 * The API server parses selectors; its 400 for one (`unable to parse requirement: ...`) came back as BAD_REQUEST with
 * no field. The route passes no other user input the server could refuse (namespace and cluster are checked first),
 * so a 400 there is the selector's: INVALID_INPUT naming it, with the server's message.
 */
function selectorRefused(error: unknown, field: string | undefined): unknown {
  if (!field || !(error instanceof EngineError) || error.code !== 'BAD_REQUEST') return error;
  return new EngineError('INVALID_INPUT', `invalid request: ${field}: ${error.message}`, {
    issues: [{ field, message: error.message }],
  });
}
