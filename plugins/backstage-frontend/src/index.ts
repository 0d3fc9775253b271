/**
 * AI-CloudOps for Backstage: an entity tab with workload health, root-cause analysis, forecasts and an assistant.
 *
 * @packageDocumentation
 */
export { aiCloudOpsPlugin, AiCloudOpsKnowledgePage, EntityCloudOpsContent } from './plugin';
export { isCloudOpsAvailable, serviceOf } from './isCloudOpsAvailable';
export { aiCloudOpsTranslationRef, aiCloudOpsTranslations } from './translation';
export { cloudOpsApiRef, type CloudOpsApi } from './api/CloudOpsApi';
export { CloudOpsClient, type CloudOpsClientOptions } from './api/CloudOpsClient';
export type * from './api/types';
