import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { aiCloudOpsPermissions } from '@ai-cloudops/backstage-plugin-common';
import { JobOwners } from './service/JobOwners';
import { createRouter } from './service/router';
import { readEngineSettings } from './service/readEngineSettings';

/** The `aicloudops` backend plugin: entity workloads and health, and the engine API for signed-in users. */
export const aiCloudOpsPlugin = createBackendPlugin({
  pluginId: 'aicloudops',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        database: coreServices.database,
      },
      async init({ logger, config, httpRouter, httpAuth, permissions, permissionsRegistry, catalog, database }) {
        permissionsRegistry.addPermissions(aiCloudOpsPermissions);
        const settings = readEngineSettings(config);
        if (!settings) {
          logger.warn('No aicloudops config section: the AI-CloudOps plugin is off (only /health answers)');
        }
        const jobOwners = settings ? await JobOwners.create(database) : undefined;
        httpRouter.use(
          await createRouter({ logger, httpAuth, permissions, catalog, ...(settings && jobOwners ? { settings, jobOwners } : {}) }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
