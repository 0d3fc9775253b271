import { describe, expect, it } from 'vitest';
import type { V1Endpoints, V1Service } from '@kubernetes/client-node';
import { NOW, ago, deployment, pod } from '../../../test/fixtures/repair/kubeObjects.js';
import { serviceNoEndpointsDetector } from './serviceNoEndpointsDetector.js';

const svc = (selector: Record<string, string> | undefined, createdAgo = 3600): V1Service =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'cart', namespace: 'shop', creationTimestamp: ago(createdAgo) },
    spec: { selector, ports: [{ port: 80 }] },
  }) as unknown as V1Service;
const emptyEndpoints = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'cart', namespace: 'shop' },
} as unknown as V1Endpoints;
const cartPod = pod('shop', 'cart-1', { node: 'worker-1', labels: { app: 'cart' } });

describe('serviceNoEndpointsDetector', () => {
  it('finds a Service whose selector matches no pod', () => {
    const [finding] = serviceNoEndpointsDetector.detect(
      { services: [svc({ app: 'cart-v2' })], endpoints: [emptyEndpoints], pods: [cartPod] },
      NOW,
    );
    expect(finding!.type).toBe('ServiceNoEndpoints');
    expect(finding!.object).toMatchObject({ kind: 'Service', name: 'cart' });
    expect(finding!.details['selector']).toBe('app=cart-v2');
  });

  it('ignores a matching selector, no selector, a fresh Service and a workload scaled to zero on purpose', () => {
    expect(
      serviceNoEndpointsDetector.detect({ services: [svc({ app: 'cart' })], pods: [cartPod] }, NOW),
    ).toHaveLength(0);
    expect(serviceNoEndpointsDetector.detect({ services: [svc(undefined)] }, NOW)).toHaveLength(0);
    expect(serviceNoEndpointsDetector.detect({ services: [svc({ app: 'x' }, 30)] }, NOW)).toHaveLength(0);
    const parked = deployment('shop', 'cart', { replicas: 0, available: 0 });
    expect(
      serviceNoEndpointsDetector.detect({ services: [svc({ app: 'cart' })], deployments: [parked] }, NOW),
    ).toHaveLength(0);
  });
});
