import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiServer } from '../../sim/apiserver/ApiServer.js';
import type { KubeObject } from '../../sim/apiserver/KubeObject.js';
import { apiVersionOf, resourceKey } from '../../sim/apiserver/ResourceType.js';
import { scanSnapshot } from '../detectors/index.js';
import { NOW, ago, event, node, rollout, rsPod } from '../../../test/fixtures/repair/kubeObjects.js';
import type { ClusterSnapshot } from '../types.js';
import { SNAPSHOT_KINDS } from './kinds.js';
import { readClusterSnapshot } from './readClusterSnapshot.js';
import { KubernetesActuator } from '../executor/KubernetesActuator.js';

/** A crash-looping rollout plus one object of every other kind the snapshot reads, as kubectl prints them. */
function objects(): KubeObject[] {
  const s: ClusterSnapshot = rollout('shop', 'checkout', (rs, x) =>
    rsPod(rs, x, {
      state: { waiting: 'CrashLoopBackOff' },
      restarts: 7,
      lastTerminated: { reason: 'Error', exitCode: 1, finishedAgo: 30 },
    }),
  );
  const extra = [
    node('cp-1', { controlPlane: true }),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' }, status: { phase: 'Active' } },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gp3' },
      provisioner: 'ebs.csi.aws.com',
      volumeBindingMode: 'WaitForFirstConsumer',
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'redis-5zp9', namespace: 'shop', creationTimestamp: ago(86_400) },
      revision: 3,
      data: {},
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'shop',
        // What `kubectl apply` leaves on a Secret: the whole object, values included.
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"apiVersion":"v1","data":{"password":"c2VjcmV0"},"kind":"Secret"}',
        },
      },
      type: 'Opaque',
      data: { password: 'c2VjcmV0' },
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'sched', namespace: 'shop' },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'checkout-newhash-b1' },
      reason: 'FailedScheduling',
      type: 'Warning',
      message: 'x',
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: '2025-03-01T11:40:00.123456Z',
      series: { count: 4, lastObservedTime: '2025-03-01T11:58:00.000000Z' },
    },
    event(
      { kind: 'Pod', namespace: 'shop', name: 'checkout-newhash-b1' },
      'BackOff',
      'Back-off restarting failed container',
      { count: 30, firstAgo: 1500 },
    ),
  ];
  return [
    ...SNAPSHOT_KINDS.flatMap((k) => (s[k.key] ?? []) as unknown as KubeObject[]),
    ...(extra as unknown as KubeObject[]),
  ];
}

describe('readClusterSnapshot against the simulated API server', () => {
  const server = new ApiServer();
  const kc = new KubeConfig();
  let plain: ClusterSnapshot;

  beforeAll(async () => {
    plain = {};
    for (const obj of objects()) {
      const type = server.registry.types.find(
        (t) => t.kind === obj.kind && apiVersionOf(t) === obj.apiVersion,
      )!;
      // Straight into the store: POST would default the status away, and the snapshot must stay as kubectl printed it.
      server.store.create(resourceKey(type), structuredClone(obj));
      const key = SNAPSHOT_KINDS.find((k) => k.kind === obj.kind)!.key;
      ((plain as Record<string, unknown[]>)[key] ??= []).push(obj);
    }
    const url = await server.listen(0, '127.0.0.1');
    kc.loadFromOptions({
      clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
      users: [{ name: 'sim' }],
      contexts: [{ name: 'sim', cluster: 'sim', user: 'sim' }],
      currentContext: 'sim',
    });
  });
  afterAll(() => server.close());

  it('reads every kind, keeps statuses, and never returns a secret value', async () => {
    const { snapshot, errors } = await readClusterSnapshot(kc);
    expect(errors).toEqual([]);
    for (const { key } of SNAPSHOT_KINDS)
      expect(snapshot[key]?.length ?? 0, key).toBe(plain[key]?.length ?? 0);
    expect(snapshot.secrets![0]!.data).toEqual({ password: '' });
    expect(JSON.stringify(snapshot.secrets)).not.toContain('c2VjcmV0');
    expect(snapshot.secrets![0]!.metadata).toMatchObject({ name: 'db', namespace: 'shop' });
    expect(snapshot.controllerRevisions![0]!.revision).toBe(3);
    const crashing = snapshot.pods!.find((p) => p.metadata?.name === 'checkout-newhash-b1')!;
    expect(crashing.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(snapshot.events!.find((e) => e.reason === 'FailedScheduling')!.series?.count).toBe(4);
  }, 30_000);

  it('the repair actuator reads Secrets the same way: key names, no values, no annotations', async () => {
    const snapshot = await new KubernetesActuator('sim', kc).snapshot('shop');
    expect(snapshot.secrets![0]!.data).toEqual({ password: '' });
    expect(JSON.stringify(snapshot.secrets)).not.toContain('c2VjcmV0');
  }, 30_000);

  it('gives the same findings as the objects it was loaded from (Date timestamps vs strings, new uids)', async () => {
    const { snapshot } = await readClusterSnapshot(kc);
    const strip = (fs: ReturnType<typeof scanSnapshot>) =>
      fs.map((f) => ({
        ...f,
        object: { ...f.object, uid: undefined },
        owners: f.owners.map((o) => ({ ...o, uid: undefined })),
        workload: { ...f.workload, uid: undefined },
      }));
    const fromServer = strip(scanSnapshot(snapshot, NOW));
    expect(fromServer.map((f) => f.type)).toEqual(['CrashLoopBackOff', 'RolloutStuck']);
    expect(fromServer).toEqual(strip(scanSnapshot(plain, NOW)));
  }, 30_000);
});
