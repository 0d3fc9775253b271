import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Engine } from '../../engine.js';

/** The capabilities' route plugins, each under /api/v1. */
export const capabilityRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (_app, _options) => {};
