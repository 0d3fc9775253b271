import { CoreV1Api, PolicyV1Api, type V1LabelSelector } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { FAST_VERIFY, driveUntilFinal, findingOf, plannedFor, replica } from './support.js';

/**
 * drain-node through the whole executor against the simulated cluster: it evicts (pods/eviction) rather than deletes,
 * so PodDisruptionBudgets hold it back exactly as they hold back `kubectl drain`.
 */
let cluster: SimulatedCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const NODE = 'sim-node-2';
const VERIFY = { ...FAST_VERIFY, kubernetes: ['nodeCordoned' as const] };

async function drain(budget?: { selector: V1LabelSelector; maxUnavailable?: number; minAvailable?: number }) {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  if (budget) {
    await cluster
      .kubeConfig()
      .makeApiClient(PolicyV1Api)
      .createNamespacedPodDisruptionBudget({
        namespace: 'shop',
        body: {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'shop-pdb' },
          spec: budget,
        },
      });
  }
  cluster.setNodePressure(NODE, 'MemoryPressure', true, 0);
  const { finding } = await findingOf(cluster, 'NodePressure', NODE);
  const before = await podsOn(core, NODE);
  const r = replica(cluster);
  const record = await r.executor.submit(
    plannedFor(
      finding,
      'drain-node',
      'auto',
      { gracePeriodSeconds: 0 },
      { kind: 'Node', namespace: '', name: NODE },
    ),
    finding,
    VERIFY,
  );
  const state = await driveUntilFinal(cluster, r, record.id);
  const done = await r.actions.require(record.id);
  const node = await core.readNode({ name: NODE });
  const entries = await r.audit.query({ actionId: record.id });
  return { state, done, node, before, after: await podsOn(core, NODE), core, entries };
}

async function podsOn(core: CoreV1Api, node: string): Promise<string[]> {
  const pods = await core.listNamespacedPod({ namespace: 'shop', fieldSelector: `spec.nodeName=${node}` });
  return pods.items.map((p) => p.metadata?.name ?? '');
}

describe('drain-node evicts through the eviction API', () => {
  it('without a budget every pod is evicted and rescheduled on the other nodes; the node stays cordoned', async () => {
    const { state, done, node, before, after, core } = await drain();
    expect(state).toBe('verified');
    expect(before.length).toBeGreaterThan(0);
    expect(done.plan!.requests.filter((q) => q.verb === 'evict')).toHaveLength(before.length);
    expect(after).toEqual([]);
    expect(node.spec?.unschedulable).toBe(true);
    const pods = (await core.listNamespacedPod({ namespace: 'shop' })).items;
    expect(pods.every((p) => p.spec?.nodeName && p.spec.nodeName !== NODE)).toBe(true);
    expect(
      pods.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
    ).toBe(true);
  }, 60_000);

  it('a budget that allows one disruption stops the drain at the second eviction; it is rolled back (uncordoned)', async () => {
    const { state, done, node, before, after, entries } = await drain({
      selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
      maxUnavailable: 1,
    });
    expect(state).toBe('rolled-back');
    expect(done.dryRun?.ok).toBe(true);
    const failedStep = entries.find((e) => e.kind === 'failed')!;
    expect(failedStep.data).toMatchObject({ step: 2 });
    expect(String(failedStep.data['error'])).toMatch(/disruption budget/);
    expect(done.reason).toMatch(/write 3 of \d+ failed/);
    expect(node.spec?.unschedulable).toBeFalsy();
    // The first eviction went through (its pod is replaced elsewhere); the rest stay where they were.
    expect(after.length).toBe(before.length - 1);
  }, 60_000);

  it('a budget that allows no disruption fails the dry-run: nothing is cordoned or evicted', async () => {
    const { state, done, node, before, after } = await drain({
      selector: { matchLabels: { app: 'frontend' } },
      minAvailable: 3,
    });
    expect(state).toBe('dry-run-failed');
    expect(done.reason).toMatch(/Cannot evict pod as it would violate the pod's disruption budget/);
    expect(node.spec?.unschedulable).toBeFalsy();
    expect(after).toEqual(before);
  }, 60_000);
});
