import { afterEach, describe, expect, it } from 'vitest';
import { FaultLedger, type FaultType } from '../../src/sim/faults.js';
import { SimulatedCluster, type SimulatedClusterOptions } from '../../src/sim/SimulatedCluster.js';
import type { PodInfo } from '../../src/sources/cluster/ClusterSource.js';
import { KubernetesClusterSource } from '../../src/sources/cluster/KubernetesClusterSource.js';

/** Each fault type injected through the FaultLedger shows the Kubernetes symptoms a real cluster would show. */
const NS = 'shop';
let cluster: SimulatedCluster | undefined;

async function start(options: Partial<SimulatedClusterOptions> = {}) {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0, seed: 11, ...options });
  return { cluster, source: new KubernetesClusterSource('simulated', cluster.kubeConfig()) };
}

function inject(type: FaultType, service: string, node?: string) {
  return cluster!.ledger.inject({ type, namespace: NS, service, ...(node ? { node } : {}) });
}

/** Steps one tick at a time and collects what the pods of a service looked like after each. */
async function observe(
  source: KubernetesClusterSource,
  service: string,
  ticks: number,
): Promise<PodInfo[][]> {
  const seen: PodInfo[][] = [];
  for (let i = 0; i < ticks; i++) {
    cluster!.step();
    seen.push(await source.listPods(NS, { labelSelector: `app=${service}` }));
  }
  return seen;
}

const reasons = (history: PodInfo[][]) =>
  new Set(history.flat().flatMap((p) => p.containers.map((c) => c.reason).filter(Boolean)));

afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('fault symptoms', () => {
  it('crash-loop: restarts, CrashLoopBackOff, lastState Error, BackOff events, panic in previous logs; heals when resolved', async () => {
    const { source } = await start();
    const fault = inject('crash-loop', 'cart');
    // 23 one-second ticks: killed at once, restarted after the kubelet's 10 s back-off, killed again, 20 s back-off.
    const history = await observe(source, 'cart', 23);
    expect(reasons(history)).toContain('CrashLoopBackOff');
    const pods = history.at(-1)!;
    expect(pods.map((p) => p.restarts)).toEqual(pods.map(() => 2));
    expect(pods.every((p) => p.containers[0]!.lastTerminationReason === 'Error')).toBe(true);
    const backoff = await source.listEvents(NS, {
      fieldSelector: `involvedObject.name=${pods[0]!.name},reason=BackOff`,
    });
    expect(backoff[0]!.type).toBe('Warning');
    // One BackOff at each kill, one at the kubelet's retry 10 s into the 20 s back-off.
    expect(backoff[0]!.count).toBe(3);
    const previous = await source.podLogs(NS, pods[0]!.name, { previous: true });
    expect(previous).toContain('panic: runtime error');
    expect(previous).toContain('connection refused');
    // callers of cart log errors about it
    const [frontend] = await source.listPods(NS, { labelSelector: 'app=frontend' });
    expect(await source.podLogs(NS, frontend!.name)).toContain('upstream=cart');

    cluster!.ledger.resolve(fault.id);
    const healed = await observe(source, 'cart', 14);
    expect(healed.at(-1)!.every((p) => p.ready && p.containers[0]!.state === 'running')).toBe(true);
    expect(
      (await source.getWorkload({ kind: 'Deployment', namespace: NS, name: 'cart' })).readyReplicas,
    ).toBe(2);
  });

  it('oom-killed: terminated reason OOMKilled, restarts and an OOMKilling event', async () => {
    const { source } = await start();
    inject('oom-killed', 'catalog');
    const pods = (await observe(source, 'catalog', 5)).at(-1)!;
    expect(pods.every((p) => p.containers[0]!.lastTerminationReason === 'OOMKilled' && p.restarts >= 1)).toBe(
      true,
    );
    const events = await source.listEvents(NS, { fieldSelector: 'reason=OOMKilling' });
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]!.message).toContain('Memory cgroup out of memory');
  });

  it('image-pull-error: a rollout to an unpullable tag, ErrImagePull/ImagePullBackOff, old ReplicaSet keeps serving', async () => {
    const { source } = await start();
    const ref = { kind: 'Deployment' as const, namespace: NS, name: 'ads' };
    const fault = inject('image-pull-error', 'ads');
    const history = await observe(source, 'ads', 6);
    expect(reasons(history)).toEqual(new Set(['ErrImagePull', 'ImagePullBackOff']));
    const revisions = await source.rolloutHistory(ref);
    expect(revisions.map((r) => r.revision)).toEqual(['1', '2']);
    expect(revisions[1]!.images[0]).toBe('ghcr.io/ai-cloudops/shop-ads:v1.4.3');
    const pods = history.at(-1)!;
    const serving = pods.filter((p) => p.ready);
    expect(serving).toHaveLength(2);
    expect(serving.every((p) => p.containers[0]!.image.endsWith(':1.4.2'))).toBe(true);
    const failed = await source.listEvents(NS, { fieldSelector: 'reason=Failed' });
    expect(
      failed.some((e) => e.message.includes('Failed to pull image "ghcr.io/ai-cloudops/shop-ads:v1.4.3"')),
    ).toBe(true);
    const workload = await source.getWorkload(ref);
    expect(workload.conditions.find((c) => c.type === 'Available')?.status).toBe('True');
    expect(workload.updatedReplicas).toBe(1);

    cluster!.ledger.resolve(fault.id);
    const healed = await observe(source, 'ads', 6);
    expect(healed.at(-1)!.every((p) => p.ready && p.containers[0]!.image.endsWith(':1.4.2'))).toBe(true);
    expect((await source.rolloutHistory(ref)).map((r) => [r.revision, r.replicas])).toEqual([
      ['2', 0],
      ['3', 2],
    ]);
  });

  it('unschedulable: new pods stay Pending with FailedScheduling (Insufficient memory)', async () => {
    const { source } = await start();
    const fault = inject('unschedulable', 'payment');
    const pods = (await observe(source, 'payment', 4)).at(-1)!;
    const pending = pods.filter((p) => p.phase === 'Pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]!.nodeName).toBeUndefined();
    expect(pending[0]!.conditions.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
    });
    const events = await source.listEvents(NS, {
      fieldSelector: `involvedObject.name=${pending[0]!.name},reason=FailedScheduling`,
    });
    expect(events[0]!.message).toMatch(/^0\/3 nodes are available: 3 Insufficient memory/);
    expect(pods.filter((p) => p.ready)).toHaveLength(2);
    cluster!.ledger.resolve(fault.id);
    const healed = (await observe(source, 'payment', 6)).at(-1)!;
    expect(healed.every((p) => p.ready)).toBe(true);
    expect(healed).toHaveLength(2);
  });

  it('failing-readiness: containers run but are not ready, Unhealthy events, Deployment unavailable', async () => {
    const { source } = await start();
    const fault = inject('failing-readiness', 'shipping');
    const pods = (await observe(source, 'shipping', 3)).at(-1)!;
    expect(pods.every((p) => !p.ready && p.containers[0]!.state === 'running' && p.restarts === 0)).toBe(
      true,
    );
    const unhealthy = await source.listEvents(NS, { fieldSelector: 'reason=Unhealthy' });
    expect(unhealthy[0]!.message).toContain('Readiness probe failed');
    const workload = await source.getWorkload({ kind: 'Deployment', namespace: NS, name: 'shipping' });
    expect(workload.readyReplicas).toBe(0);
    expect(workload.conditions.find((c) => c.type === 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });
    cluster!.ledger.resolve(fault.id);
    expect((await observe(source, 'shipping', 4)).at(-1)!.every((p) => p.ready)).toBe(true);
  });

  it('node-not-ready: node Ready=False, its pods not ready, nothing new scheduled there, eviction later', async () => {
    const { source } = await start({ tuning: { evictAfterTicks: 5 } });
    const fault = inject('node-not-ready', 'frontend', 'sim-node-2');
    cluster!.step();
    const node = (await source.listNodes()).find((n) => n.name === 'sim-node-2')!;
    expect(node.ready).toBe(false);
    expect(node.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'KubeletNotReady',
    });
    const onNode = await source.listPods(NS, { fieldSelector: 'spec.nodeName=sim-node-2' });
    expect(onNode.length).toBeGreaterThan(0);
    expect(onNode.every((p) => !p.ready)).toBe(true);
    expect(
      (await source.listEvents('default', { fieldSelector: 'reason=NodeNotReady' }))[0]!.involvedName,
    ).toBe('sim-node-2');
    cluster!.step(8);
    // evicted and replaced on the healthy nodes
    expect(await source.listPods(NS, { fieldSelector: 'spec.nodeName=sim-node-2' })).toEqual([]);
    const all = await source.listPods(NS);
    expect(all.every((p) => p.ready)).toBe(true);
    cluster!.ledger.resolve(fault.id);
    cluster!.step();
    expect((await source.listNodes()).every((n) => n.ready)).toBe(true);
  });

  it('bad-rollout: a new revision whose pods crash, visible in rollout history; progress deadline exceeded', async () => {
    const { source } = await start({ tuning: { progressDeadlineTicks: 6 } });
    const ref = { kind: 'Deployment' as const, namespace: NS, name: 'recommendation' };
    // backdated, as the demo scheduler does: the new ReplicaSet is dated at the fault's start
    const startedAt = Math.floor(Date.now() / 1000) - 900;
    cluster!.ledger.inject({ type: 'bad-rollout', namespace: NS, service: 'recommendation', startedAt });
    const history = await observe(source, 'recommendation', 10);
    expect(reasons(history)).toContain('CrashLoopBackOff');
    const revisions = await source.rolloutHistory(ref);
    expect(revisions.map((r) => r.images[0])).toEqual([
      'ghcr.io/ai-cloudops/shop-recommendation:1.4.2',
      'ghcr.io/ai-cloudops/shop-recommendation:1.4.3',
    ]);
    expect(revisions[1]!.createdAt).toBe(new Date(startedAt * 1000).toISOString());
    const pods = history.at(-1)!;
    const crashing = pods.filter((p) => p.containers[0]!.image.endsWith(':1.4.3'));
    expect(crashing.length).toBeGreaterThan(0);
    expect(crashing.every((p) => p.restarts > 0)).toBe(true);
    expect(pods.filter((p) => p.ready && p.containers[0]!.image.endsWith(':1.4.2'))).toHaveLength(2);
    const workload = await source.getWorkload(ref);
    expect(workload.revision).toBe('2');
    expect(workload.annotations['kubernetes.io/change-cause']).toBe('deploy recommendation 1.4.3');
    expect(workload.conditions.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
  });

  it('a crash loop under way when the cluster starts does not make a Deployment nobody changed time out', async () => {
    // As the demo opens: the fault began 15 minutes before the cluster, whose shop was rolled out days before that.
    const ledger = new FaultLedger();
    ledger.inject({
      type: 'crash-loop',
      namespace: NS,
      service: 'shipping',
      startedAt: Date.now() / 1000 - 900,
    });
    const { source } = await start({ ledger });
    cluster!.step(60);
    const workload = await source.getWorkload({ kind: 'Deployment', namespace: NS, name: 'shipping' });
    expect(workload.conditions.find((c) => c.type === 'Available')).toMatchObject({ status: 'False' });
    expect(workload.conditions.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    });
  });

  it('cpu-hog and latency: no Kubernetes symptom, only warnings in the logs', async () => {
    const { source } = await start();
    inject('cpu-hog', 'currency');
    inject('latency', 'email');
    cluster!.step(3);
    for (const service of ['currency', 'email']) {
      const pods = await source.listPods(NS, { labelSelector: `app=${service}` });
      expect(pods.every((p) => p.ready && p.restarts === 0)).toBe(true);
      for (const pod of pods) {
        const warnings = await source.listEvents(NS, {
          fieldSelector: `involvedObject.name=${pod.name},type=Warning`,
        });
        expect(warnings).toEqual([]);
      }
    }
    const [currency] = await source.listPods(NS, { labelSelector: 'app=currency' });
    expect(await source.podLogs(NS, currency!.name, { tailLines: 4 })).toContain('event loop lag high');
    // checkout calls email: its logs show the slow upstream
    const checkoutLogs = await Promise.all(
      (await source.listPods(NS, { labelSelector: 'app=checkout' })).map((p) => source.podLogs(NS, p.name)),
    );
    expect(checkoutLogs.join('\n')).toMatch(/msg="upstream call slow" upstream=(email|currency)/);
    const [email] = await source.listPods(NS, { labelSelector: 'app=email' });
    expect(await source.podLogs(NS, email!.name, { tailLines: 4 })).toContain('slow request');
  });
});

describe('determinism', () => {
  it('the same seed gives the same pod names and logs', async () => {
    const snapshot = async () => {
      const c = await SimulatedCluster.start({ seedShop: true, tickMs: 0, seed: 99 });
      try {
        const s = new KubernetesClusterSource('simulated', c.kubeConfig());
        const pods = (await s.listPods(NS, { labelSelector: 'app=checkout' })).map((p) => p.name);
        const logs = await s.podLogs(NS, pods[0]!);
        return { pods, logs };
      } finally {
        await c.stop();
      }
    };
    const a = await snapshot();
    const b = await snapshot();
    expect(a.pods).toEqual(b.pods);
    expect(a.logs).toBe(b.logs);
  });
});
