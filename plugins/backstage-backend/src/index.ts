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
// Kept for code that imported these from here before they moved to the common package.
export type { ClusterWorkloads, EntityWorkloadsResponse } from '@ai-cloudops/backstage-plugin-common';
// `backend.add(import('@ai-cloudops/backstage-plugin-backend'))` loads a package's default export.
export { aiCloudOpsPlugin as default } from './plugin';
