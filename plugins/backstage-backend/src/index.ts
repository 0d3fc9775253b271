/**
 * AI-CloudOps for Backstage's backend: the `aicloudops` plugin and a search module indexing the engine's
 * knowledge base.
 *
 * @packageDocumentation
 */
export { aiCloudOpsPlugin } from './plugin';
export { aiCloudOpsSearchModule } from './search/aiCloudOpsSearchModule';
export { AiCloudOpsKnowledgeCollatorFactory } from './search/AiCloudOpsKnowledgeCollatorFactory';
export type { KnowledgeDocument } from './search/AiCloudOpsKnowledgeCollatorFactory';
export type { ClusterWorkloads, EntityWorkloadsResponse } from './service/listEntityWorkloads';
// `backend.add(import('@ai-cloudops/backstage-plugin-backend'))` loads a package's default export.
export { aiCloudOpsPlugin as default } from './plugin';
