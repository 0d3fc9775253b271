import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';

/** The simulated cluster's repair faults recover under the right action and not under a wrong one. */
let cluster: SimulatedCluster;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeEach(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
  core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  apps = cluster.kubeConfig().makeApiClient(AppsV1Api);
});
afterEach(() => cluster?.stop());

const pods = async (app: string) =>
  (await core.listNamespacedPod({ namespace: 'shop', labelSelector: `app=${app}` })).items;
const oomKilledPods = async (app: string) =>
  (await pods(app)).filter((p) =>
    p.status?.containerStatuses?.some((c) => c.lastState?.terminated?.reason === 'OOMKilled'),
  ).length;

async function setMemoryLimit(app: string, factor: number) {
  const d = await apps.readNamespacedDeployment({ namespace: 'shop', name: app });
  const c = d.spec!.template.spec!.containers[0]!;
  const mib = parseInt(c.resources!.limits!['memory']!, 10);
  await apps.patchNamespacedDeployment(
    {
      namespace: 'shop',
      name: app,
      body: {
        spec: {
          template: {
            spec: {
              containers: [
                { name: c.name, resources: { limits: { memory: `${Math.round(mib * factor)}Mi` } } },
              ],
            },
          },
        },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
}

describe('simulated repair faults', () => {
  it('oom-killed stops once the memory limit is doubled, and not after a 1.2x raise', async () => {
    cluster.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
    cluster.step(6);
    expect(await oomKilledPods('cart')).toBeGreaterThan(0);
    await setMemoryLimit('cart', 1.2);
    cluster.step(20);
    const stillKilled = (await pods('cart')).filter(
      (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0 && !p.metadata?.deletionTimestamp,
    );
    expect(stillKilled.length).toBeGreaterThan(0);
    await setMemoryLimit('cart', 2);
    cluster.step(25);
    const fresh = (await pods('cart')).filter((p) => !p.metadata?.deletionTimestamp);
    expect(fresh.length).toBeGreaterThan(0);
    for (const p of fresh) {
      expect(p.status?.containerStatuses?.[0]?.restartCount ?? 0).toBe(0);
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
  });

  it('evicted pods stay as Failed/Evicted records while replacements run, until deleted', async () => {
    const before = (await pods('catalog')).length;
    cluster.evictPods('shop', 'catalog', 2);
    cluster.step(6);
    const all = await pods('catalog');
    const evicted = all.filter((p) => p.status?.phase === 'Failed' && p.status?.reason === 'Evicted');
    expect(evicted).toHaveLength(2);
    expect(
      all.filter(
        (p) =>
          p.status?.phase === 'Running' &&
          p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      ),
    ).toHaveLength(before);
    const events = await core.listNamespacedEvent({
      namespace: 'shop',
      fieldSelector: `involvedObject.name=${evicted[0]!.metadata!.name}`,
    });
    expect(events.items.map((e) => e.reason)).toContain('Evicted');
    cluster.step(30);
    expect((await pods('catalog')).filter((p) => p.status?.reason === 'Evicted')).toHaveLength(2);
    for (const p of evicted)
      await core.deleteNamespacedPod({ namespace: 'shop', name: p.metadata!.name!, gracePeriodSeconds: 0 });
    cluster.step(1);
    expect((await pods('catalog')).filter((p) => p.status?.reason === 'Evicted')).toHaveLength(0);
  });

  it('node pressure sets the condition and taint, evicts, and lifts', async () => {
    cluster.setNodePressure('sim-node-2', 'MemoryPressure', true, 1);
    cluster.step(2);
    const node = await core.readNode({ name: 'sim-node-2' });
    expect(node.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.status).toBe('True');
    expect(node.spec?.taints?.map((t) => t.key)).toContain('node.kubernetes.io/memory-pressure');
    const evicted = (await core.listNamespacedPod({ namespace: 'shop' })).items.filter(
      (p) => p.status?.reason === 'Evicted',
    );
    expect(evicted).toHaveLength(1);
    expect(evicted[0]!.spec?.nodeName).toBe('sim-node-2');
    cluster.setNodePressure('sim-node-2', 'MemoryPressure', false);
    cluster.step(1);
    const lifted = await core.readNode({ name: 'sim-node-2' });
    expect(lifted.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.status).toBe('False');
    expect(lifted.spec?.taints ?? []).toEqual([]);
  });
});

describe('simulated configuration faults', () => {
  it('a rollout reading a missing ConfigMap waits in CreateContainerConfigError until the ConfigMap exists', async () => {
    cluster.rolloutMissingReference('shop', 'currency', 'ConfigMap', 'currency-settings');
    cluster.step(4);
    const waiting = (await pods('currency')).filter(
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError',
    );
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0]!.status!.containerStatuses![0]!.state!.waiting!.message).toBe(
      'configmap "currency-settings" not found',
    );
    await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { name: 'currency-settings' }, data: { RATE: '1' } },
    });
    cluster.step(8);
    const running = (await pods('currency')).filter((p) => !p.metadata?.deletionTimestamp);
    expect(
      running.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
    ).toBe(true);
  });

  it('keeps Endpoints per Service: addresses of Ready pods, none once the selector matches nothing', async () => {
    cluster.step(1);
    const before = await core.readNamespacedEndpoints({ namespace: 'shop', name: 'cart' });
    expect(before.subsets?.[0]?.addresses?.length).toBeGreaterThan(0);
    cluster.breakServiceSelector('shop', 'cart');
    cluster.step(1);
    const after = await core.readNamespacedEndpoints({ namespace: 'shop', name: 'cart' });
    expect(after.subsets ?? []).toEqual([]);
  });

  it('binds a claim whose StorageClass exists and leaves one on a missing class Pending with ProvisioningFailed', async () => {
    cluster.createClaim('shop', 'data-ok', 'standard', true);
    cluster.createClaim('shop', 'data-missing', 'fast-ssd');
    cluster.step(2);
    expect(
      (await core.readNamespacedPersistentVolumeClaim({ namespace: 'shop', name: 'data-ok' })).status?.phase,
    ).toBe('Bound');
    expect(
      (await core.readNamespacedPersistentVolumeClaim({ namespace: 'shop', name: 'data-missing' })).status
        ?.phase,
    ).toBe('Pending');
    const events = await core.listNamespacedEvent({
      namespace: 'shop',
      fieldSelector: 'involvedObject.name=data-missing',
    });
    expect(events.items.map((e) => e.message)).toContain('storageclass.storage.k8s.io "fast-ssd" not found');
  });
});

describe('simulated Jobs', () => {
  it('runs a Job to Complete, and a failing one to Failed (BackoffLimitExceeded) after backoffLimit + 1 pods', async () => {
    const batch = cluster.kubeConfig().makeApiClient((await import('@kubernetes/client-node')).BatchV1Api);
    cluster.createJob('shop', 'report-ok', 'succeed');
    cluster.createJob('shop', 'report-bad', 'fail', 1);
    cluster.step(20);
    const ok = await batch.readNamespacedJob({ namespace: 'shop', name: 'report-ok' });
    expect(ok.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');
    expect(ok.status?.succeeded).toBe(1);
    const bad = await batch.readNamespacedJob({ namespace: 'shop', name: 'report-bad' });
    expect(bad.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({
      status: 'True',
      reason: 'BackoffLimitExceeded',
    });
    expect(bad.status?.failed).toBe(2);
    const jobPods = (
      await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'job-name=report-bad' })
    ).items;
    expect(jobPods.map((p) => p.status?.containerStatuses?.[0]?.state?.terminated?.reason)).toEqual([
      'Error',
      'Error',
    ]);
  });
});
