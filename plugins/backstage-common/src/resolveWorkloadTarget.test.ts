import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { resolveWorkloadTarget } from './resolveWorkloadTarget';

// Annotation names are spelled out, not taken from the constants: a renamed constant would break existing catalogs.
function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:default/shop-team' },
  };
}

describe('resolveWorkloadTarget', () => {
  it('turns a kubernetes-id into a label selector, with the namespace when annotated', () => {
    expect(resolveWorkloadTarget(component('a', { 'backstage.io/kubernetes-id': 'cart' }))).toEqual({
      labelSelector: 'backstage.io/kubernetes-id=cart',
    });
    expect(
      resolveWorkloadTarget(
        component('a', { 'backstage.io/kubernetes-id': 'cart', 'backstage.io/kubernetes-namespace': 'shop' }),
      ),
    ).toEqual({ namespace: 'shop', labelSelector: 'backstage.io/kubernetes-id=cart' });
  });

  it('prefers an explicit label selector and accepts set-based terms', () => {
    const entity = component('a', {
      'backstage.io/kubernetes-id': 'cart',
      'backstage.io/kubernetes-label-selector': 'app in (cart, checkout),tier!=cache,!canary',
    });
    expect(resolveWorkloadTarget(entity).labelSelector).toBe('app in (cart, checkout),tier!=cache,!canary');
  });

  it.each([
    [{}, 'backstage.io/kubernetes-id'],
    [{ 'backstage.io/kubernetes-id': 'has space' }, 'backstage.io/kubernetes-id'],
    [{ 'backstage.io/kubernetes-id': 'x'.repeat(64) }, 'backstage.io/kubernetes-id'],
    [{ 'backstage.io/kubernetes-label-selector': 'app=cart;rm -rf' }, 'backstage.io/kubernetes-label-selector'],
    [{ 'backstage.io/kubernetes-id': 'cart', 'backstage.io/kubernetes-namespace': 'Shop' }, 'kubernetes-namespace'],
  ])('rejects %j with an InputError naming the annotation', (annotations, named) => {
    const run = () => resolveWorkloadTarget(component('a', annotations));
    expect(run).toThrow(InputError);
    expect(run).toThrow(named);
  });
});
