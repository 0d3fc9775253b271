/*
 * The catalog annotations both plugins read. The kubernetes ones are those Backstage's own Kubernetes plugin reads, so
 * catalogs annotated for it work unchanged.
 */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION = 'backstage.io/kubernetes-label-selector';
export const KUBERNETES_NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';
/** Names the service in the engine's metrics when it differs from the kubernetes-id. */
export const SERVICE_ANNOTATION = 'ai-cloudops.io/service';
