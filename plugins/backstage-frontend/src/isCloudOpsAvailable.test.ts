import type { Entity } from '@backstage/catalog-model';
import { isCloudOpsAvailable, namespaceOf, serviceOf } from './isCloudOpsAvailable';

// Annotation names are spelled out, as catalogs write them: the shared constants must keep reading these.
function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'cart-component', namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'shop-team' },
  };
}

describe('isCloudOpsAvailable', () => {
  it('needs a kubernetes-id or a label selector, as the backend does to find workloads', () => {
    expect(isCloudOpsAvailable(entity({ 'backstage.io/kubernetes-id': 'cart' }))).toBe(true);
    expect(isCloudOpsAvailable(entity({ 'backstage.io/kubernetes-label-selector': 'app=cart' }))).toBe(true);
    expect(isCloudOpsAvailable(entity({ 'backstage.io/kubernetes-namespace': 'shop' }))).toBe(false);
  });
});

describe('serviceOf', () => {
  it('prefers the ai-cloudops service annotation, then the kubernetes-id, then the entity name', () => {
    expect(serviceOf(entity({ 'ai-cloudops.io/service': 'cartservice', 'backstage.io/kubernetes-id': 'cart' }))).toBe(
      'cartservice',
    );
    expect(serviceOf(entity({ 'backstage.io/kubernetes-id': 'cart' }))).toBe('cart');
    expect(serviceOf(entity({}))).toBe('cart-component');
  });
});

describe('namespaceOf', () => {
  it('reads the kubernetes-namespace annotation, leaving the engine default otherwise', () => {
    expect(namespaceOf(entity({ 'backstage.io/kubernetes-namespace': 'shop' }))).toBe('shop');
    expect(namespaceOf(entity({}))).toBeUndefined();
  });
});
