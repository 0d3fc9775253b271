/**
 * The demo shop: a small microservice application modelled on a typical web shop. The simulated cluster runs its
 * Deployments, the synthetic metrics generator produces its traffic, and the demo injects faults into it.
 */

export interface ShopService {
  name: string;
  image: string;
  replicas: number;
  /** Services this one calls (caller → callee edges of the service graph). */
  calls: string[];
  /** Peak requests per second at the daily high, before faults. */
  peakRps: number;
  /** Typical latency of the service's own work, seconds. */
  baseLatencySeconds: number;
  cpuRequestCores: number;
  memoryLimitBytes: number;
  /** Container port, also the port of its Service. */
  port: number;
}

export const SHOP_NAMESPACE = 'shop';

const MiB = 1024 * 1024;

export const SHOP_SERVICES: ShopService[] = [
  svc(
    'frontend',
    3,
    ['cart', 'catalog', 'currency', 'recommendation', 'checkout', 'ads', 'shipping'],
    120,
    0.02,
    256,
  ),
  svc('cart', 2, ['redis-cart'], 60, 0.008, 256),
  svc('catalog', 2, [], 150, 0.005, 256),
  svc('currency', 2, [], 200, 0.003, 128),
  svc('recommendation', 2, ['catalog'], 50, 0.015, 384),
  svc('checkout', 2, ['cart', 'catalog', 'currency', 'payment', 'shipping', 'email'], 12, 0.03, 256),
  svc('payment', 2, [], 12, 0.04, 128),
  svc('shipping', 2, [], 30, 0.01, 128),
  svc('email', 1, [], 12, 0.02, 128),
  svc('ads', 2, [], 80, 0.006, 256),
  svc('redis-cart', 1, [], 70, 0.001, 512),
];

function svc(
  name: string,
  replicas: number,
  calls: string[],
  peakRps: number,
  baseLatencySeconds: number,
  memoryMiB: number,
): ShopService {
  return {
    name,
    image: `ghcr.io/ai-cloudops/shop-${name}:1.4.2`,
    replicas,
    calls,
    peakRps,
    baseLatencySeconds,
    cpuRequestCores: 0.1,
    memoryLimitBytes: memoryMiB * MiB,
    port: name === 'redis-cart' ? 6379 : 8080,
  };
}

export function shopService(name: string): ShopService {
  const found = SHOP_SERVICES.find((s) => s.name === name);
  if (!found) throw new Error(`unknown shop service ${name}`);
  return found;
}

/** Caller → callee edges. */
export function shopEdges(): Array<{ from: string; to: string }> {
  return SHOP_SERVICES.flatMap((s) => s.calls.map((to) => ({ from: s.name, to })));
}
