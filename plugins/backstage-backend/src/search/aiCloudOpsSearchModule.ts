import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { AiCloudOpsKnowledgeCollatorFactory } from './AiCloudOpsKnowledgeCollatorFactory';

const DEFAULT_REFRESH_MINUTES = 60;

/** Registers the knowledge-base collator with the search plugin: `backend.add(aiCloudOpsSearchModule)`. */
export const aiCloudOpsSearchModule = createBackendModule({
  pluginId: 'search',
  moduleId: 'aicloudops-knowledge',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({ config, logger, scheduler, indexRegistry }) {
        if (!config.has('aicloudops.engine')) {
          logger.warn('No aicloudops.engine config: AI-CloudOps knowledge is not indexed for search');
          return;
        }
        if (config.getOptionalBoolean('aicloudops.search.enabled') === false) return;
        const minutes = config.getOptionalNumber('aicloudops.search.refreshMinutes') ?? DEFAULT_REFRESH_MINUTES;
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner({
            frequency: { minutes },
            timeout: { minutes: 10 },
            initialDelay: { seconds: 10 },
          }),
          factory: AiCloudOpsKnowledgeCollatorFactory.fromConfig(config, { logger }),
        });
      },
    });
  },
});
