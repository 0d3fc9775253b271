/**
 * What the AI-CloudOps Backstage plugins share: the catalog annotations they read, how an entity maps to its
 * workloads, and the shape of the entity-workloads response.
 *
 * @packageDocumentation
 */
export {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  SERVICE_ANNOTATION,
} from './annotations';
export { resolveWorkloadTarget, type WorkloadTarget } from './resolveWorkloadTarget';
export type { ClusterWorkloads, EntityWorkloadsResponse } from './EntityWorkloadsResponse';
export {
  aiCloudOpsReadPermission,
  aiCloudOpsRunAnalysisPermission,
  aiCloudOpsApproveRepairPermission,
  aiCloudOpsApplyPermission,
  aiCloudOpsCancelAnyJobPermission,
  aiCloudOpsPermissions,
} from './permissions';
export { KNOWLEDGE_PAGE_PATH, knowledgePageLocation } from './knowledgePage';
export { ENGINE_UNREACHABLE, isEngineUnreachable } from './engineUnreachable';
export { CLUSTER_CHANGES_SETTING, type PortalSettings } from './portalSettings';
export { ENGINE_TOKEN_REFUSED, isEngineTokenRefused } from './engineTokenRefused';
export { deniedPermission, permissionDeniedMessage } from './permissionDenied';
