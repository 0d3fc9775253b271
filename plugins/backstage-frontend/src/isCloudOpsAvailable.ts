import type { Entity } from '@backstage/catalog-model';

export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION = 'backstage.io/kubernetes-label-selector';
export const KUBERNETES_NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';
/** Names the service in the engine's metrics when it differs from the kubernetes-id. */
export const SERVICE_ANNOTATION = 'ai-cloudops.io/service';

/** For `<EntitySwitch.Case if={isCloudOpsAvailable}>`: the same annotations Backstage's Kubernetes plugin reads. */
export function isCloudOpsAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(annotations[KUBERNETES_ID_ANNOTATION] || annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]);
}

/** The service name RCA, forecasts and the assistant use for this entity. */
export function serviceOf(entity: Entity): string {
  const annotations = entity.metadata.annotations ?? {};
  return annotations[SERVICE_ANNOTATION] || annotations[KUBERNETES_ID_ANNOTATION] || entity.metadata.name;
}

export function namespaceOf(entity: Entity): string | undefined {
  return entity.metadata.annotations?.[KUBERNETES_NAMESPACE_ANNOTATION] || undefined;
}
