import { ApiException, CoreV1Api, PolicyV1Api, type V1PodDisruptionBudget } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { simulatedClusterPerTest } from '../support/simulatedClusterPerTest.js';
import { kubectlConfig } from '../support/kubectlConfig.js';

/**
 * The eviction subresource and PodDisruptionBudgets of the simulated API server, through @kubernetes/client-node as
 * kubectl drain and the repair loop use them. Budgets are checked against the status the disruption controller
 * computes on each tick.
 */
const startCluster = simulatedClusterPerTest();

async function start() {
  const cluster = await startCluster();
  const kc = cluster.kubeConfig();
  return { c: cluster, core: kc.makeApiClient(CoreV1Api), policy: kc.makeApiClient(PolicyV1Api) };
}

const budget = (
  name: string,
  app: string,
  spec: Partial<V1PodDisruptionBudget['spec']>,
): V1PodDisruptionBudget => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace: 'shop' },
  spec: { selector: { matchLabels: { app } }, ...spec },
});

const eviction = (name: string) => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name, namespace: 'shop' },
});

async function podsOf(core: CoreV1Api, app: string) {
  return (await core.listNamespacedPod({ namespace: 'shop', labelSelector: `app=${app}` })).items.filter(
    (p) => !p.metadata?.deletionTimestamp,
  );
}

async function refusal(promise: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const e = error as ApiException<string>;
    return { code: e.code, body: JSON.parse(e.body) as Record<string, unknown> };
  }
  throw new Error('the request was not refused');
}

describe('pods/eviction and PodDisruptionBudgets', () => {
  it('a budget that allows no disruption answers 429 TooManyRequests with a DisruptionBudget cause', async () => {
    const { c, core, policy } = await start();
    await policy.createNamespacedPodDisruptionBudget({
      namespace: 'shop',
      body: budget('payment-pdb', 'payment', { minAvailable: 2 }),
    });
    c.step(1);
    const pdb = await policy.readNamespacedPodDisruptionBudget({ namespace: 'shop', name: 'payment-pdb' });
    expect(pdb.status).toMatchObject({
      currentHealthy: 2,
      desiredHealthy: 2,
      disruptionsAllowed: 0,
      expectedPods: 2,
      observedGeneration: 1,
    });
    expect(pdb.status?.conditions?.[0]).toMatchObject({
      type: 'DisruptionAllowed',
      status: 'False',
      reason: 'InsufficientPods',
    });
    const [pod] = await podsOf(core, 'payment');
    const refused = await refusal(
      core.createNamespacedPodEviction({
        namespace: 'shop',
        name: pod!.metadata!.name!,
        body: eviction(pod!.metadata!.name!),
      }),
    );
    expect(refused.code).toBe(429);
    expect(refused.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget payment-pdb needs 2 healthy pods and has 2 currently',
          },
        ],
      },
      code: 429,
    });
    expect(await podsOf(core, 'payment')).toHaveLength(2);
  }, 30_000);

  it('an eviction within the budget deletes the pod and spends the budget until the replacement is Ready', async () => {
    const { c, core, policy } = await start();
    await policy.createNamespacedPodDisruptionBudget({
      namespace: 'shop',
      body: budget('frontend-pdb', 'frontend', { maxUnavailable: 1 }),
    });
    c.step(1);
    const [first, second] = await podsOf(core, 'frontend');
    // Dry-run: checked, nothing changes.
    await core.createNamespacedPodEviction({
      namespace: 'shop',
      name: first!.metadata!.name!,
      body: eviction(first!.metadata!.name!),
      dryRun: 'All',
    });
    expect(await podsOf(core, 'frontend')).toHaveLength(3);
    expect(
      (await policy.readNamespacedPodDisruptionBudget({ namespace: 'shop', name: 'frontend-pdb' })).status
        ?.disruptionsAllowed,
    ).toBe(1);

    await core.createNamespacedPodEviction({
      namespace: 'shop',
      name: first!.metadata!.name!,
      body: eviction(first!.metadata!.name!),
    });
    const spent = await policy.readNamespacedPodDisruptionBudget({ namespace: 'shop', name: 'frontend-pdb' });
    expect(spent.status?.disruptionsAllowed).toBe(0);
    expect(Object.keys(spent.status?.disruptedPods ?? {})).toEqual([first!.metadata!.name]);
    expect(
      (await core.readNamespacedPod({ namespace: 'shop', name: first!.metadata!.name! })).metadata
        ?.deletionTimestamp,
    ).toBeDefined();
    const second429 = await refusal(
      core.createNamespacedPodEviction({
        namespace: 'shop',
        name: second!.metadata!.name!,
        body: eviction(second!.metadata!.name!),
      }),
    );
    expect(second429.code).toBe(429);

    c.step(8);
    const replaced = await podsOf(core, 'frontend');
    expect(replaced.map((p) => p.metadata?.name)).not.toContain(first!.metadata!.name);
    expect(
      replaced.filter((p) => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')),
    ).toHaveLength(3);
    const healed = await policy.readNamespacedPodDisruptionBudget({
      namespace: 'shop',
      name: 'frontend-pdb',
    });
    expect(healed.status).toMatchObject({ disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2 });
    expect(healed.status?.disruptedPods).toBeUndefined();
    await core.createNamespacedPodEviction({
      namespace: 'shop',
      name: second!.metadata!.name!,
      body: eviction(second!.metadata!.name!),
    });
  }, 30_000);

  it('without a budget the pod is evicted and replaced; an unknown pod is 404, a mismatched name 400', async () => {
    const { c, core } = await start();
    const [pod] = await podsOf(core, 'ads');
    const answer = await core.createNamespacedPodEviction({
      namespace: 'shop',
      name: pod!.metadata!.name!,
      body: eviction(pod!.metadata!.name!),
    });
    // client-node reads the Status into a V1Eviction: only apiVersion/kind/metadata survive.
    expect(answer).toMatchObject({ kind: 'Status', apiVersion: 'v1' });
    c.step(6);
    const after = await podsOf(core, 'ads');
    expect(after).toHaveLength(2);
    expect(after.map((p) => p.metadata?.name)).not.toContain(pod!.metadata!.name);
    const missing = await refusal(
      core.createNamespacedPodEviction({ namespace: 'shop', name: 'nope', body: eviction('nope') }),
    );
    expect(missing.code).toBe(404);
    const mismatch = await refusal(
      core.createNamespacedPodEviction({
        namespace: 'shop',
        name: after[0]!.metadata!.name!,
        body: eviction('other'),
      }),
    );
    expect(mismatch).toMatchObject({
      code: 400,
      body: { message: 'name in URL does not match name in Eviction object' },
    });
  }, 30_000);

  it('two budgets over one pod are refused as the real server refuses them; a stale budget status answers 429 with Retry-After', async () => {
    const { c, core, policy } = await start();
    await policy.createNamespacedPodDisruptionBudget({
      namespace: 'shop',
      body: budget('a', 'cart', { maxUnavailable: 1 }),
    });
    await policy.createNamespacedPodDisruptionBudget({
      namespace: 'shop',
      body: budget('b', 'cart', { maxUnavailable: 1 }),
    });
    c.step(1);
    const [pod] = await podsOf(core, 'cart');
    const twice = await refusal(
      core.createNamespacedPodEviction({
        namespace: 'shop',
        name: pod!.metadata!.name!,
        body: eviction(pod!.metadata!.name!),
      }),
    );
    expect(twice.code).toBe(500);
    expect(twice.body['message']).toMatch(/more than one PodDisruptionBudget/);

    await policy.deleteNamespacedPodDisruptionBudget({ namespace: 'shop', name: 'b' });
    await policy.patchNamespacedPodDisruptionBudget({
      namespace: 'shop',
      name: 'a',
      body: [{ op: 'replace', path: '/spec/maxUnavailable', value: 2 }],
    });
    const response = await fetch(`${c.url}/api/v1/namespaces/shop/pods/${pod!.metadata!.name}/eviction`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer simulated-token' },
      body: JSON.stringify(eviction(pod!.metadata!.name!)),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('10');
    expect(await response.json()).toMatchObject({
      details: { causes: [{ message: 'The disruption budget a is still being processed by the server.' }] },
    });
  }, 30_000);

  it('a not-Ready pod is evicted only while its budget is met (IfHealthyBudget), or always with AlwaysAllow; an Evicted pod goes regardless', async () => {
    const { c, core, policy } = await start();
    await policy.createNamespacedPodDisruptionBudget({
      namespace: 'shop',
      body: budget('payment-pdb', 'payment', { minAvailable: 1 }),
    });
    c.ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'payment' });
    c.step(4);
    const status = (
      await policy.readNamespacedPodDisruptionBudget({ namespace: 'shop', name: 'payment-pdb' })
    ).status;
    expect(status).toMatchObject({ currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0 });
    const [crashing] = await podsOf(core, 'payment');
    const name = crashing!.metadata!.name!;
    expect(
      (await refusal(core.createNamespacedPodEviction({ namespace: 'shop', name, body: eviction(name) })))
        .code,
    ).toBe(429);
    await policy.patchNamespacedPodDisruptionBudget({
      namespace: 'shop',
      name: 'payment-pdb',
      body: [{ op: 'add', path: '/spec/unhealthyPodEvictionPolicy', value: 'AlwaysAllow' }],
    });
    await core.createNamespacedPodEviction({ namespace: 'shop', name, body: eviction(name) });
    expect(
      (await core.readNamespacedPod({ namespace: 'shop', name })).metadata?.deletionTimestamp,
    ).toBeDefined();

    await policy.createNamespacedPodDisruptionBudget({
      namespace: 'shop',
      body: budget('ads-pdb', 'ads', { minAvailable: 2 }),
    });
    c.evictPods('shop', 'ads', 1);
    c.step(1);
    const evicted = (
      await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=ads' })
    ).items.find((p) => p.status?.reason === 'Evicted')!;
    await core.createNamespacedPodEviction({
      namespace: 'shop',
      name: evicted.metadata!.name!,
      body: eviction(evicted.metadata!.name!),
    });
    c.step(1);
    const left = (await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=ads' })).items;
    expect(left.map((p) => p.metadata?.name)).not.toContain(evicted.metadata!.name);
  }, 30_000);

  it('discovery announces pods/eviction as policy/v1 Eviction, so kubectl drain evicts instead of deleting', async () => {
    const { c } = await start();
    const list = (await (await fetch(`${c.url}/api/v1`)).json()) as {
      resources: Array<Record<string, unknown>>;
    };
    expect(list.resources.find((r) => r['name'] === 'pods/eviction')).toMatchObject({
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
  }, 30_000);
});

const kubectlFound = await promisify(execFile)('kubectl', ['version', '--client'])
  .then(() => true)
  .catch(() => false);

describe.skipIf(!kubectlFound)('kubectl drain against the simulated cluster', () => {
  it('evicts through pods/eviction and stops at a PodDisruptionBudget, leaving the node cordoned', async () => {
    const cluster = await startCluster({ seedShop: true, tickMs: 100 });
    const policy = cluster.kubeConfig().makeApiClient(PolicyV1Api);
    const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    await policy.createNamespacedPodDisruptionBudget({
      namespace: 'shop',
      body: budget('payment-pdb', 'payment', { minAvailable: 2 }),
    });
    const { dir } = kubectlConfig(cluster.url, 'kubectl-drain-');
    const [payment] = await podsOf(core, 'payment');
    const node = payment!.spec!.nodeName!;
    const result = await promisify(execFile)(
      'kubectl',
      ['drain', node, '--ignore-daemonsets', '--timeout=3s'],
      {
        env: { ...process.env, KUBECONFIG: join(dir, 'config'), HOME: dir },
        timeout: 30_000,
      },
    ).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(result.code).not.toBe(0);
    expect(result.out).toContain(`node/${node} cordoned`);
    expect(result.out).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(result.out).toMatch(/pod\/\S+ evicted/);
    expect((await core.readNode({ name: node })).spec?.unschedulable).toBe(true);
    const left = (await core.listNamespacedPod({ namespace: 'shop', fieldSelector: `spec.nodeName=${node}` }))
      .items;
    expect(left.map((p) => p.metadata?.labels?.['app'])).toEqual(['payment']);
  }, 60_000);
});
