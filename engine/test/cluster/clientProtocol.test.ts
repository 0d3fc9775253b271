import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import type { PodInfo, WatchEvent } from '../../src/sources/cluster/ClusterSource.js';
import { KubernetesClusterSource } from '../../src/sources/cluster/KubernetesClusterSource.js';

/** client-node and KubernetesClusterSource against the simulated API server: the real REST protocol end to end. */
let cluster: SimulatedCluster;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let source: KubernetesClusterSource;

const NS = 'shop';
const cart = { kind: 'Deployment' as const, namespace: NS, name: 'cart' };

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function engineError(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected an EngineError');
}

beforeAll(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0, seed: 7, bookmarkIntervalMs: 100 });
  kc = cluster.kubeConfig();
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  source = new KubernetesClusterSource('simulated', kc);
});

afterAll(async () => {
  await cluster?.stop();
});

describe('discovery and health', () => {
  it('answers /version and reports a healthy check with latency', async () => {
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(version.major).toBe('1');
    const check = await source.check();
    expect(check.ok).toBe(true);
    expect(check.detail).toContain(version.gitVersion);
    expect(check.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('lists the APIs a client discovers', async () => {
    const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(['apps', 'autoscaling', 'coordination.k8s.io']),
    );
  });
});

describe('list and get with selectors', () => {
  it('lists the seeded namespace, nodes and workloads', async () => {
    expect(await source.listNamespaces()).toContain(NS);
    const nodes = await source.listNodes();
    expect(nodes.map((n) => n.name)).toEqual(['sim-node-1', 'sim-node-2', 'sim-node-3']);
    expect(nodes.every((n) => n.ready)).toBe(true);
    const workloads = await source.listWorkloads(NS);
    expect(workloads).toHaveLength(11);
    const cartWorkload = workloads.find((w) => w.name === 'cart')!;
    expect(cartWorkload).toMatchObject({
      kind: 'Deployment',
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      revision: '1',
      selector: 'app=cart',
    });
    expect(cartWorkload.labels['backstage.io/kubernetes-id']).toBe('cart');
  });

  it('filters pods by label selectors (=, !=, in, notin, exists, !exists)', async () => {
    const names = async (labelSelector: string) =>
      (await source.listPods(NS, { labelSelector })).map((p) => p.labels['app']).sort();
    expect(new Set(await names('app=cart'))).toEqual(new Set(['cart']));
    expect(await names('app==cart')).toHaveLength(2);
    expect((await names('app in (cart,frontend)')).length).toBe(5);
    expect(await names('app notin (cart,frontend),app.kubernetes.io/part-of=shop')).not.toContain('cart');
    expect((await names('app!=cart')).length).toBe((await names('app')).length - 2);
    expect(await names('!app')).toEqual([]);
  });

  it('filters by field selectors on pods and events', async () => {
    const pods = await source.listPods(NS, { fieldSelector: 'spec.nodeName=sim-node-1' });
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((p) => p.nodeName === 'sim-node-1')).toBe(true);
    const running = await core.listNamespacedPod({
      namespace: NS,
      fieldSelector: 'status.phase=Running,metadata.namespace=shop',
    });
    expect(running.items.length).toBe((await source.listPods(NS)).length);
    // The seeded pods' startup events are two days old, past the event TTL: select the Deployment's own events.
    const events = await source.listEvents(NS, {
      fieldSelector: 'involvedObject.name=cart,involvedObject.kind=Deployment',
    });
    expect(events.map((e) => e.reason)).toContain('ScalingReplicaSet');
    expect(events.every((e) => e.involvedName === 'cart')).toBe(true);
    const scaling = await source.listEvents(NS, { fieldSelector: 'reason=ScalingReplicaSet,type=Normal' });
    expect(scaling.length).toBeGreaterThanOrEqual(11);
  });

  it('rejects an unsupported field selector with a 400 turned into BAD_REQUEST', async () => {
    const error = await engineError(source.listPods(NS, { fieldSelector: 'spec.bogus=1' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('field label not supported: spec.bogus');
  });

  it('pages a list with limit and continue', async () => {
    const first = await core.listNamespacedPod({ namespace: NS, limit: 5 });
    expect(first.items).toHaveLength(5);
    expect(first.metadata?._continue).toBeTruthy();
    const second = await core.listNamespacedPod({
      namespace: NS,
      limit: 5,
      _continue: first.metadata!._continue,
    });
    expect(second.items[0]!.metadata!.name).not.toBe(first.items[0]!.metadata!.name);
  });
});

describe('logs', () => {
  it('reads container logs with tailLines and timestamps', async () => {
    const [pod] = await source.listPods(NS, { labelSelector: 'app=cart' });
    const text = await source.podLogs(NS, pod!.name, { tailLines: 3, timestamps: true });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\S+Z level=/);
    const plain = await source.podLogs(NS, pod!.name, { container: 'cart', sinceSeconds: 3600 });
    expect(plain).toContain('service=cart');
    expect(plain.split('\n')[0]).not.toMatch(/^\d{4}-/);
  });

  it('follows a log stream (client-node Log with follow) until the pod is deleted', async () => {
    const [pod] = await source.listPods(NS, { labelSelector: 'app=ads' });
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const ended = new Promise<void>((resolve) => stream.on('end', () => resolve()));
    await new k8s.Log(kc).log(NS, pod!.name, 'ads', stream, { follow: true, tailLines: 1 });
    await until('the backlog line', () => (text.split('\n').length >= 2 ? true : undefined));
    const backlog = text.trimEnd().split('\n').length;
    expect(backlog).toBe(1);
    cluster.step(2);
    await until('new lines while following', () =>
      text.trimEnd().split('\n').length > backlog ? true : undefined,
    );
    await core.deleteNamespacedPod({ namespace: NS, name: pod!.name, gracePeriodSeconds: 0 });
    await ended;
  });

  it('404s for a missing pod and 400s for an unknown container or missing previous instance', async () => {
    expect((await engineError(source.podLogs(NS, 'no-such-pod'))).code).toBe('NOT_FOUND');
    const [pod] = await source.listPods(NS, { labelSelector: 'app=ads' });
    expect((await engineError(source.podLogs(NS, pod!.name, { container: 'nope' }))).code).toBe(
      'BAD_REQUEST',
    );
    expect((await engineError(source.podLogs(NS, pod!.name, { previous: true }))).message).toContain(
      'previous terminated container',
    );
  });
});

describe('patches, scale, delete and dry run', () => {
  it('applies a merge patch', async () => {
    const patched = await source.patchWorkload(
      cart,
      { metadata: { labels: { team: 'payments' } } },
      'merge',
      { dryRun: false },
    );
    expect(patched.labels['team']).toBe('payments');
    expect(patched.labels['app']).toBe('cart');
  });

  it('applies a strategic merge patch that merges containers by name', async () => {
    const patched = await source.patchWorkload(
      cart,
      {
        spec: {
          template: {
            spec: { containers: [{ name: 'cart', env: [{ name: 'LOG_LEVEL', value: 'debug' }] }] },
          },
        },
      },
      'strategic',
      { dryRun: false },
    );
    const d = await apps.readNamespacedDeployment({ namespace: NS, name: 'cart' });
    const container = d.spec!.template.spec!.containers[0]!;
    expect(container.image).toBe('ghcr.io/ai-cloudops/shop-cart:1.4.2');
    expect(container.env!.map((e) => e.name)).toEqual(['SERVICE_NAME', 'LOG_LEVEL']);
    expect(container.readinessProbe?.httpGet?.path).toBe('/ready');
    expect(patched.generation).toBe(d.metadata!.generation);
  });

  it('applies a json patch (the client default content type) and fails a failed test op with INVALID_INPUT', async () => {
    const patched = await source.patchWorkload(
      cart,
      [{ op: 'add', path: '/metadata/annotations/owner', value: 'sre' }],
      'json',
      { dryRun: false },
    );
    expect(patched.annotations['owner']).toBe('sre');
    const error = await engineError(
      source.patchWorkload(cart, [{ op: 'test', path: '/spec/replicas', value: 99 }], 'json', {
        dryRun: false,
      }),
    );
    expect(error.code).toBe('INVALID_INPUT');
  });

  it('scales through the scale subresource and the controller follows', async () => {
    const scaled = await source.scaleWorkload({ kind: 'Deployment', namespace: NS, name: 'email' }, 3, {
      dryRun: false,
    });
    expect(scaled.replicas).toBe(3);
    const scale = await apps.readNamespacedDeploymentScale({ namespace: NS, name: 'email' });
    expect(scale.spec?.replicas).toBe(3);
    expect(scale.status?.selector).toBe('app=email');
    cluster.step(4);
    const pods = await source.listPods(NS, { labelSelector: 'app=email' });
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.ready)).toBe(true);
  });

  it('leaves state unchanged on dryRun=All for patch, scale, delete and create', async () => {
    const before = await apps.readNamespacedDeployment({ namespace: NS, name: 'ads' });
    const dry = await source.patchWorkload(
      { kind: 'Deployment', namespace: NS, name: 'ads' },
      { spec: { replicas: 7 } },
      'merge',
      { dryRun: true },
    );
    expect(dry.replicas).toBe(7);
    expect(
      (await source.scaleWorkload({ kind: 'Deployment', namespace: NS, name: 'ads' }, 9, { dryRun: true }))
        .replicas,
    ).toBe(9);
    const [pod] = await source.listPods(NS, { labelSelector: 'app=ads' });
    await source.deletePod(NS, pod!.name, { dryRun: true });
    await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'dry' }, data: { a: '1' } },
      dryRun: 'All',
    });
    const after = await apps.readNamespacedDeployment({ namespace: NS, name: 'ads' });
    expect(after.metadata!.resourceVersion).toBe(before.metadata!.resourceVersion);
    expect(after.spec!.replicas).toBe(2);
    expect((await source.listPods(NS, { labelSelector: 'app=ads' })).map((p) => p.name)).toContain(pod!.name);
    await expect(core.readNamespacedConfigMap({ namespace: NS, name: 'dry' })).rejects.toMatchObject({
      code: 404,
    });
  });

  it('deletes a pod gracefully and the ReplicaSet replaces it', async () => {
    const [pod] = await source.listPods(NS, { labelSelector: 'app=shipping' });
    await source.deletePod(NS, pod!.name, { dryRun: false });
    const marked = await core.readNamespacedPod({ namespace: NS, name: pod!.name });
    expect(marked.metadata?.deletionTimestamp).toBeTruthy();
    cluster.step(4);
    const pods = await source.listPods(NS, { labelSelector: 'app=shipping' });
    expect(pods.map((p) => p.name)).not.toContain(pod!.name);
    expect(pods).toHaveLength(2);
    const killing = await source.listEvents(NS, {
      fieldSelector: `involvedObject.name=${pod!.name},reason=Killing`,
    });
    expect(killing).toHaveLength(1);
  });

  it('deletes immediately with gracePeriodSeconds=0', async () => {
    const [pod] = await source.listPods(NS, { labelSelector: 'app=currency' });
    await core.deleteNamespacedPod({ namespace: NS, name: pod!.name, gracePeriodSeconds: 0 });
    expect((await engineError(source.podLogs(NS, pod!.name))).code).toBe('NOT_FOUND');
  });
});

describe('Status errors become EngineErrors', () => {
  it('maps 404 to NOT_FOUND with the server message', async () => {
    const error = await engineError(source.getWorkload({ kind: 'Deployment', namespace: NS, name: 'nope' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('deployments.apps "nope" not found');
  });

  it('maps 409 (stale resourceVersion on replace) to CONFLICT', async () => {
    const d = await apps.readNamespacedDeployment({ namespace: NS, name: 'payment' });
    await apps.replaceNamespacedDeployment({ namespace: NS, name: 'payment', body: d });
    const stale = apps.replaceNamespacedDeployment({ namespace: NS, name: 'payment', body: d });
    await expect(stale).rejects.toMatchObject({ code: 409 });
    const error = await engineError(
      source.patchWorkload(
        { kind: 'Deployment', namespace: NS, name: 'payment' },
        { metadata: { resourceVersion: '1' } },
        'merge',
        { dryRun: false },
      ),
    );
    expect(error.code).toBe('CONFLICT');
  });

  it('maps 422 to INVALID_INPUT with the Status causes as field issues', async () => {
    const error = await engineError(
      source.patchWorkload(
        { kind: 'Deployment', namespace: NS, name: 'payment' },
        { spec: { replicas: -1 } },
        'merge',
        { dryRun: false },
      ),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('spec.replicas');
    expect(error.issues).toEqual([expect.objectContaining({ field: 'spec.replicas' })]);
  });

  it('validates create and reports AlreadyExists as 409', async () => {
    const body = {
      metadata: { name: 'bad' },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      },
    };
    await expect(apps.createNamespacedDeployment({ namespace: NS, body })).rejects.toMatchObject({
      code: 422,
    });
    await expect(core.createNamespace({ body: { metadata: { name: NS } } })).rejects.toMatchObject({
      code: 409,
    });
  });

  it('maps a refused connection to UPSTREAM_UNAVAILABLE and reports the check as failed', async () => {
    const dead = new k8s.KubeConfig();
    dead.loadFromOptions({
      clusters: [{ name: 'dead', server: 'http://127.0.0.1:1', skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'dead', cluster: 'dead', user: 'u' }],
      currentContext: 'dead',
    });
    const unreachable = new KubernetesClusterSource('dead', dead);
    expect((await engineError(unreachable.listNodes())).code).toBe('UPSTREAM_UNAVAILABLE');
    const check = await unreachable.check();
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('cannot reach the API server');
  });

  it('rejects bad input before calling the cluster, naming the field', async () => {
    const error = await engineError(source.scaleWorkload(cart, -2, { dryRun: false }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues[0]!.field).toBe('replicas');
  });
});

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED and resumes from a resourceVersion', async () => {
    const events: WatchEvent[] = [];
    const handle = await source.watch('pods', NS, { labelSelector: 'app=recommendation' }, (e) =>
      events.push(e),
    );
    await until('initial ADDED events', () =>
      events.filter((e) => e.type === 'ADDED').length >= 2 ? true : undefined,
    );
    const victim = (events[0]!.object as PodInfo).name;
    await core.deleteNamespacedPod({ namespace: NS, name: victim, gracePeriodSeconds: 0 });
    cluster.step(3);
    await until('DELETED', () =>
      events.find((e) => e.type === 'DELETED' && (e.object as PodInfo).name === victim),
    );
    await until('a replacement ADDED', () =>
      events.find(
        (e) => e.type === 'ADDED' && (e.object as PodInfo).name !== victim && events.indexOf(e) > 1,
      ),
    );
    await until('MODIFIED', () => events.find((e) => e.type === 'MODIFIED'));
    handle.stop();

    // Resume from the version of the DELETED event: only what happened after it is replayed.
    const deleted = events.find((e) => e.type === 'DELETED')!;
    const resumed: WatchEvent[] = [];
    const again = await source.watch(
      'pods',
      NS,
      { labelSelector: 'app=recommendation', resourceVersion: deleted.resourceVersion },
      (e) => resumed.push(e),
    );
    await until('replayed events', () => (resumed.some((e) => e.type === 'ADDED') ? true : undefined));
    expect(resumed.some((e) => e.type === 'DELETED')).toBe(false);
    expect(
      resumed.every(
        (e) => e.type === 'BOOKMARK' || Number(e.resourceVersion) > Number(deleted.resourceVersion),
      ),
    ).toBe(true);
    again.stop();
  });

  it('sends bookmarks and answers a too-old resourceVersion with an ERROR 410 event', async () => {
    const events: WatchEvent[] = [];
    const handle = await source.watch('events', NS, { fieldSelector: 'reason=Nothing' }, (e) =>
      events.push(e),
    );
    await until('a BOOKMARK', () => events.find((e) => e.type === 'BOOKMARK'));
    handle.stop();
    cluster.store.hub.compact(cluster.store.resourceVersion - 1);
    const expired: WatchEvent[] = [];
    const ended: unknown[] = [];
    const old = await source.watch(
      'deployments',
      NS,
      { resourceVersion: '1' },
      (e) => expired.push(e),
      (e) => ended.push(e),
    );
    const error = await until('ERROR', () => expired.find((e) => e.type === 'ERROR'));
    expect(error.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    // the server closes the stream after the ERROR: the caller is told to watch again
    const closed = await until('the end of the watch', () => ended[0]);
    expect(closed).toBeInstanceOf(EngineError);
    expect((closed as EngineError).message).toContain('ended by the API server');
    old.stop();
  });

  it('turns a label change into DELETED for a selector-filtered watch', async () => {
    const events: WatchEvent[] = [];
    const handle = await source.watch('deployments', NS, { labelSelector: 'tier=edge' }, (e) =>
      events.push(e),
    );
    const ref = { kind: 'Deployment' as const, namespace: NS, name: 'frontend' };
    await source.patchWorkload(ref, { metadata: { labels: { tier: 'edge' } } }, 'merge', { dryRun: false });
    await until('ADDED on entering the selection', () => events.find((e) => e.type === 'ADDED'));
    await source.patchWorkload(ref, { metadata: { labels: { tier: null } } }, 'merge', { dryRun: false });
    await until('DELETED on leaving it', () => events.find((e) => e.type === 'DELETED'));
    handle.stop();
  });
});

describe('leases for leader election', () => {
  it('creates, reads and updates a lease, refusing a stale update with 409', async () => {
    const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
    const now = new k8s.V1MicroTime();
    const created = await coordination.createNamespacedLease({
      namespace: NS,
      body: {
        metadata: { name: 'repair-leader' },
        spec: { holderIdentity: 'engine-a', leaseDurationSeconds: 15, acquireTime: now, renewTime: now },
      },
    });
    const read = await coordination.readNamespacedLease({ namespace: NS, name: 'repair-leader' });
    expect(read.spec?.holderIdentity).toBe('engine-a');
    read.spec!.holderIdentity = 'engine-b';
    const updated = await coordination.replaceNamespacedLease({
      namespace: NS,
      name: 'repair-leader',
      body: read,
    });
    expect(updated.spec?.holderIdentity).toBe('engine-b');
    // engine-a still holds the old version: its takeover must fail
    created.spec!.holderIdentity = 'engine-a';
    await expect(
      coordination.replaceNamespacedLease({ namespace: NS, name: 'repair-leader', body: created }),
    ).rejects.toMatchObject({ code: 409 });
    await expect(
      coordination.createNamespacedLease({
        namespace: NS,
        body: { metadata: { name: 'repair-leader' }, spec: {} },
      }),
    ).rejects.toMatchObject({ code: 409 });
  });
});

describe('HPAs', () => {
  it('lists the HPAs of frontend and checkout with their targets', async () => {
    const hpas = await source.listHorizontalPodAutoscalers(NS);
    expect(hpas.map((h) => h.name).sort()).toEqual(['checkout', 'frontend']);
    const frontend = hpas.find((h) => h.name === 'frontend')!;
    expect(frontend).toMatchObject({
      target: { kind: 'Deployment', name: 'frontend' },
      minReplicas: 3,
      maxReplicas: 10,
      currentReplicas: 3,
    });
  });
});

describe('auth', () => {
  it('demands the configured token and answers 401 otherwise', async () => {
    const secured = await SimulatedCluster.start({ tickMs: 0, token: 'sekret-token-123' });
    try {
      const good = new KubernetesClusterSource('secured', secured.kubeConfig());
      expect((await good.check()).ok).toBe(true);
      const wrong = new k8s.KubeConfig();
      wrong.loadFromOptions({
        clusters: [{ name: 's', server: secured.url, skipTLSVerify: true }],
        users: [{ name: 'u', token: 'wrong' }],
        contexts: [{ name: 's', cluster: 's', user: 'u' }],
        currentContext: 's',
      });
      await expect(wrong.makeApiClient(k8s.CoreV1Api).listNamespace()).rejects.toMatchObject({ code: 401 });
    } finally {
      await secured.stop();
    }
  });
});
