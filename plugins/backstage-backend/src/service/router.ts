import express from 'express';
import Router from 'express-promise-router';
import type { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createEngineClient } from '@ai-cloudops/engine/client';
import { resolveWorkloadTarget } from '@ai-cloudops/backstage-plugin-common';
import { EngineProxy } from './EngineProxy';
import { listEntityWorkloads } from './listEntityWorkloads';
import type { EngineSettings } from './readEngineSettings';
import { timedFetch } from './timedFetch';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  /** Undefined when the `aicloudops` config section is missing: only /health answers. */
  settings?: EngineSettings;
}

// Catalog names: kind and namespace are simple tokens, names allow dots and underscores too.
const REF_PART = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/;

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, httpAuth, catalog, settings } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', engine: settings ? 'configured' : 'unconfigured' });
  });
  if (!settings) return router;

  const engine = createEngineClient({
    baseUrl: settings.baseUrl,
    ...(settings.token ? { token: settings.token } : {}),
    fetchApi: timedFetch(settings.timeoutMs),
  });
  const proxy = EngineProxy.create(settings);

  router.get('/entity/:namespace/:kind/:name/workloads', async (req, res) => {
    const { namespace, kind, name } = req.params;
    for (const [field, value] of Object.entries({ namespace, kind, name })) {
      if (!REF_PART.test(value)) throw new InputError(`${field}: '${value}' is not a valid entity ${field}`);
    }
    const credentials = await httpAuth.credentials(req);
    const entityRef = stringifyEntityRef({ kind, namespace, name });
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`entity ${entityRef} not found`);
    const target = resolveWorkloadTarget(entity);
    const result = await listEntityWorkloads(engine, entityRef, target);
    for (const item of result.items) {
      if (item.error) logger.warn(`workloads of ${entityRef} from ${item.cluster}: ${item.error.message}`);
    }
    res.json(result);
  });

  // Only signed-in people: a service-to-service caller has no business driving the engine through a user's portal.
  router.all('/engine/*', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    await proxy.forward(req.path.slice('/engine'.length), req, res);
  });

  return router;
}
