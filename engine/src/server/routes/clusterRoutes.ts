import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import { clusterQuerySchema, eventInfoSchema, workloadHealthSchema } from '../../schemas/core.js';
import { describeWorkloadHealth } from '../../cluster/describeWorkloadHealth.js';
import { pageQuerySchema, pageResponseFields, paginate } from '../pagination.js';

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
      const cluster = clusters.get(request.query.cluster);
      const namespace = request.query.namespace ?? engine.config.defaultNamespace;
      const items = await describeWorkloadHealth(cluster, namespace, request.query.labelSelector);
      return paginate(items, (w) => `${w.kind}/${w.name}`, request.query);
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
      const cluster = clusters.get(request.query.cluster);
      const namespace = request.query.namespace ?? engine.config.defaultNamespace;
      const events = await cluster.listEvents(namespace, {
        ...(request.query.fieldSelector ? { fieldSelector: request.query.fieldSelector } : {}),
      });
      // Events carry no uid here; time, object, reason, first time and count together tell them apart.
      const keyOf = (e: (typeof events)[number]) =>
        [e.lastTimestamp ?? '', `${e.involvedKind}/${e.involvedName}`, e.reason, e.firstTimestamp ?? '', e.count].join('|');
      return paginate(events, keyOf, request.query, 'desc');
    },
  );
};
