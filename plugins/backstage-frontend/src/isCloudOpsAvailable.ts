import type { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  SERVICE_ANNOTATION,
} from '@ai-cloudops/backstage-plugin-common';

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
