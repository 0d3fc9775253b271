import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Engine } from '../../engine.js';
import { assistantRoutes } from './assistantRoutes.js';
import { rcaRoutes } from './rcaRoutes.js';
import { forecastRoutes } from './forecastRoutes.js';
import { alertRoutes } from './alertRoutes.js';
import { repairRoutes } from './repairRoutes.js';

/** The capabilities' route plugins, each under /api/v1. */
export const capabilityRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  await app.register(rcaRoutes, { engine });
  await app.register(forecastRoutes, { engine });
  await app.register(assistantRoutes, { engine });
  await app.register(alertRoutes, { engine });
  await app.register(repairRoutes, { engine });
};
