import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Engine } from '../../engine.js';
import { assistantRoutes } from './assistantRoutes.js';

/** The capabilities' route plugins, each under /api/v1. */
export const capabilityRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  await app.register(assistantRoutes, { engine });
};
