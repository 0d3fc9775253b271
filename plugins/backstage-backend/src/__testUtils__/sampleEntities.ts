import type { Entity } from '@backstage/catalog-model';

export function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:default/shop-team', system: 'shop' },
  };
}

/** The demo shop as a catalog would describe it: annotated the way Backstage's Kubernetes plugin expects. */
export const SAMPLE_ENTITIES: Entity[] = [
  component('cart', { 'backstage.io/kubernetes-id': 'cart', 'backstage.io/kubernetes-namespace': 'shop' }),
  component('checkout', { 'backstage.io/kubernetes-id': 'checkout', 'backstage.io/kubernetes-namespace': 'shop' }),
  component('payment-by-selector', {
    'backstage.io/kubernetes-label-selector': 'app=payment',
    'backstage.io/kubernetes-namespace': 'shop',
  }),
  component('docs-site', {}),
  component('bad-namespace', { 'backstage.io/kubernetes-id': 'cart', 'backstage.io/kubernetes-namespace': 'Not_A_Namespace' }),
];
