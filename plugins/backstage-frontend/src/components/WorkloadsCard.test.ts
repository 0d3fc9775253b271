import { workloadsSample } from './WorkloadsCard';

describe('workloadsSample', () => {
  it('keeps the kubernetes-id annotation and labels the Deployment with it', () => {
    const sample = workloadsSample({ namespace: 'shop', labelSelector: 'backstage.io/kubernetes-id=cart' }, 'cart-service');
    expect(sample.entity.split('\n')).toEqual([
      'metadata:',
      '  annotations:',
      '    backstage.io/kubernetes-id: cart',
      '    backstage.io/kubernetes-namespace: shop',
    ]);
    expect(sample.workload).toContain("  labels:\n    backstage.io/kubernetes-id: 'cart'");
    expect(sample.workload).toContain('  name: cart-service\n  namespace: shop');
  });

  it("turns a label selector's equality terms into the labels and leaves set terms out", () => {
    const sample = workloadsSample({ labelSelector: 'app=cart, tier==web,env in (prod,staging),!legacy' }, 'cart');
    expect(sample.entity).toContain("    backstage.io/kubernetes-label-selector: 'app=cart, tier==web,env in (prod,staging),!legacy'");
    // No namespace annotation: the engine's default namespace, shown as a placeholder to fill in.
    expect(sample.entity).toContain('    backstage.io/kubernetes-namespace: <namespace>');
    expect(sample.workload.split('\n').slice(-3)).toEqual(['  labels:', "    app: 'cart'", "    tier: 'web'"]);
  });

  it('falls back to the kubernetes-id label when the selector has no equality term', () => {
    const sample = workloadsSample({ namespace: 'shop', labelSelector: 'app in (cart)' }, 'cart');
    expect(sample.workload.split('\n').slice(-2)).toEqual(['  labels:', "    backstage.io/kubernetes-id: 'cart'"]);
  });
});
