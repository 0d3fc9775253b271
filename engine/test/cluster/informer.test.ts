import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';

/** client-node's informer (list, then watch from the list's resourceVersion) keeps a cache in step. */
let cluster: SimulatedCluster;

beforeAll(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
});

afterAll(async () => {
  await cluster?.stop();
});

describe('informer', () => {
  it('lists, then receives updates and deletions through a watch that starts quiet', async () => {
    const kc = cluster.kubeConfig();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(
      kc,
      '/api/v1/namespaces/shop/pods',
      () => core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=cart' }),
      'app=cart',
    );
    const seen: string[] = [];
    informer.on('update', (p) => seen.push(`update ${p.metadata?.name}`));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name}`));
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name}`));
    // Nothing changes between the list and the watch: the watch response must still start (headers flushed).
    await informer.start();
    try {
      expect(informer.list('shop')).toHaveLength(2);
      seen.length = 0;
      cluster.ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'cart' });
      cluster.step(3);
      const victim = informer.list('shop')[0]!.metadata!.name!;
      await core.deleteNamespacedPod({ namespace: 'shop', name: victim, gracePeriodSeconds: 0 });
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && !seen.includes(`delete ${victim}`))
        await new Promise((r) => setTimeout(r, 20));
      expect(seen.some((s) => s.startsWith('update '))).toBe(true);
      expect(seen).toContain(`delete ${victim}`);
      const cached = informer.list('shop').find((p) => p.metadata?.name !== victim)!;
      expect(cached.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThan(0);
    } finally {
      await informer.stop();
    }
  });
});
