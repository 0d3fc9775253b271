import express from 'express';
import Router from 'express-promise-router';
import type { HttpAuthService, LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createEngineClient } from '@ai-cloudops/engine-client';
import {
  aiCloudOpsCancelAnyJobPermission,
  aiCloudOpsReadPermission,
  CLUSTER_CHANGES_SETTING,
  permissionDeniedMessage,
  resolveWorkloadTarget,
  type PortalSettings,
} from '@ai-cloudops/backstage-plugin-common';
import { EngineProxy } from './EngineProxy';
import { engineCallPermission } from './engineCallPermission';
import type { JobOwners } from './JobOwners';
import { listEntityWorkloads } from './listEntityWorkloads';
import { StreamQuota, wantsEventStream } from './StreamQuota';
import type { EngineSettings } from './readEngineSettings';
import { engineToken, TokenRefusalLog } from './engineTokenRefusal';
import { timedFetch } from './timedFetch';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  /** Who started which job through the portal; needed with `settings`. */
  jobOwners?: JobOwners;
  /** Undefined when the `aicloudops` config section is missing: only /health answers. */
  settings?: EngineSettings;
}

// Catalog names: kind and namespace are simple tokens, names allow dots and underscores too.
const REF_PART = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/;

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, httpAuth, permissions, catalog, settings, jobOwners } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', engine: settings ? 'configured' : 'unconfigured' });
  });
  if (!settings) return router;
  if (!jobOwners) throw new Error('createRouter: jobOwners is required when the engine is configured');

  const engine = createEngineClient({
    baseUrl: settings.baseUrl,
    ...(settings.token ? { token: settings.token } : {}),
    fetchApi: timedFetch(settings.timeoutMs),
  });
  const refusals = new TokenRefusalLog(logger);
  const proxy = EngineProxy.create(settings, logger, refusals);
  const streams = new StreamQuota(settings.maxStreamsPerUser);

  // What the entity tab needs to offer only the calls the pass-through forwards (Approve stays disabled while cluster
  // changes are off). Signed-in people only, as /engine; no token and no engine address in it.
  router.get('/settings', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    const body: PortalSettings = { clusterChanges: settings.allowClusterChanges };
    res.json(body);
  });

  router.get('/entity/:namespace/:kind/:name/workloads', async (req, res) => {
    const { namespace, kind, name } = req.params;
    for (const [field, value] of Object.entries({ namespace, kind, name })) {
      if (!REF_PART.test(value)) throw new InputError(`${field}: '${value}' is not a valid entity ${field}`);
    }
    const credentials = await httpAuth.credentials(req);
    // The engine's view of the cluster (pods, restarts, health) is what aicloudops.read guards on the proxy; seeing
    // the entity in the catalog is not enough.
    const [decision] = await permissions.authorize([{ permission: aiCloudOpsReadPermission }], { credentials });
    if (decision?.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(permissionDeniedMessage(aiCloudOpsReadPermission.name));
    }
    const entityRef = stringifyEntityRef({ kind, namespace, name });
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`entity ${entityRef} not found`);
    const target = resolveWorkloadTarget(entity);
    const result = await listEntityWorkloads(
      engine,
      entityRef,
      target,
      (cluster, reason) => logger.warn(`workloads of ${entityRef} from ${cluster}: ${reason}`),
      refusals,
    );
    res.json(result);
  });

  // Only signed-in people: a service-to-service caller has no business driving the engine through a user's portal.
  // Authorized before anything is forwarded, as Backstage's Kubernetes proxy does; calls that change a cluster need
  // the config opt-in as well, so a portal whose permission framework is off (everything ALLOWed) cannot scale or
  // repair anything.
  router.all('/engine/*', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const path = req.path.slice('/engine'.length);
    EngineProxy.checkPath(path);
    const call = engineCallPermission(req.method, path, req.body);
    if (!call) throw new NotAllowedError(`${req.method} ${path} is not forwarded to the engine through Backstage`);
    if (call.changesCluster && !settings.allowClusterChanges) {
      throw new NotAllowedError(
        `${req.method} ${path} changes a cluster; it is off unless ${CLUSTER_CHANGES_SETTING} is true`,
      );
    }
    const [decision] = await permissions.authorize([{ permission: call.permission }], { credentials });
    if (decision?.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(permissionDeniedMessage(call.permission.name));
    }
    const user = credentials.principal.userEntityRef;
    // The permission above lets a user cancel jobs at all; whose job it is decides which (anyone's needs an admin's
    // permission). Checked here, before forwarding: the engine sees one token for every portal user.
    if (call.jobId !== undefined && (await jobOwners.ownerOf(call.jobId)) !== user) {
      const [anyJob] = await permissions.authorize([{ permission: aiCloudOpsCancelAnyJobPermission }], { credentials });
      if (anyJob?.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `job ${call.jobId} was not started by you through the portal; cancelling it needs permission ${aiCloudOpsCancelAnyJobPermission.name}`,
        );
      }
    }
    const token = engineToken(settings, call.changesCluster);
    const forward = () => proxy.forward(path, req, res, token, user, (jobId) => jobOwners.record(jobId, user));
    if (!wantsEventStream(req.get('accept'))) {
      await forward();
      return;
    }
    if (!streams.tryAcquire(user)) {
      refuseStream(res, req, streams.maxPerUser);
      return;
    }
    try {
      await forward();
    } finally {
      streams.release(user);
    }
  });

  return router;
}

/**
 * 429 in Backstage's error shape with Retry-After, which the engine client honours (as it does the engine's own
 * per-caller cap). Written here: @backstage/errors has no error that maps to 429.
 */
function refuseStream(res: express.Response, req: express.Request, max: number): void {
  const message = `you have ${max} event streams open through the portal (aicloudops.proxy.maxStreamsPerUser: ${max}); close one or try again later`;
  res
    .status(429)
    .set('retry-after', '5')
    .json({
      error: { name: 'TooManyRequestsError', message },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 429 },
    });
}
