import {
  ApiException,
  ApisApi,
  AutoscalingV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  DiscoveryV1Api,
  EventsV1Api,
  NodeV1Api,
  SchedulingV1Api,
  StorageV1Api,
  Watch,
  type KubeConfig,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '../../src/sim/apiserver/ObjectStore.js';
import type { ControllerContext } from '../../src/sim/controller/ControllerContext.js';
import { EndpointsController } from '../../src/sim/controller/EndpointsController.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';

/**
 * The kinds real clients expect besides the workload ones, through @kubernetes/client-node's typed APIs:
 * EndpointSlices kept by the control plane, events.k8s.io/v1 and autoscaling/v1 as views over the one stored object,
 * and the stored-only PriorityClass, CSIDriver and RuntimeClass with their validation.
 */
const NS = 'shop';
let cluster: SimulatedCluster;
let kc: KubeConfig;

beforeAll(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0, seed: 7 });
  kc = cluster.kubeConfig();
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

async function refusal(promise: Promise<unknown>): Promise<{ code: number; body: Record<string, any> }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const e = error as ApiException<string>;
    return { code: e.code, body: JSON.parse(e.body) as Record<string, any> };
  }
  throw new Error('the request was not refused');
}

describe('discovery.k8s.io/v1 EndpointSlices', () => {
  const readyIps = async (app: string) => {
    const pods = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: NS, labelSelector: `app=${app}` });
    return pods.items
      .filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .map((p) => p.status!.podIP!)
      .sort();
  };
  const sliceOf = async (service: string) => {
    const slices = await kc.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({
      namespace: NS,
      labelSelector: `kubernetes.io/service-name=${service}`,
    });
    expect(slices.items).toHaveLength(1);
    return slices.items[0]!;
  };

  it("a Service's slice lists its ready pods' IPs, owned by the Service, labelled as the controller's", async () => {
    const service = await kc.makeApiClient(CoreV1Api).readNamespacedService({ namespace: NS, name: 'cart' });
    const ips = await readyIps('cart');
    expect(ips.length).toBeGreaterThan(0);
    const slice = await sliceOf('cart');
    expect(slice.addressType).toBe('IPv4');
    expect(slice.metadata?.name).toMatch(/^cart-[a-z0-9]{5}$/);
    expect(slice.metadata?.labels).toMatchObject({
      'kubernetes.io/service-name': 'cart',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata?.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Service',
        name: 'cart',
        uid: service.metadata!.uid,
        controller: true,
      }),
    ]);
    const ready = (slice.endpoints ?? []).filter((e) => e.conditions?.ready);
    expect(ready.flatMap((e) => e.addresses).sort()).toEqual(ips);
    for (const e of ready) {
      expect(e.conditions).toEqual({ ready: true, serving: true, terminating: false });
      expect(e.nodeName).toMatch(/^sim-node-\d$/);
      expect(e.zone).toMatch(/^sim-zone-/);
      expect(e.targetRef).toMatchObject({ kind: 'Pod', namespace: NS });
    }
    const port = service.spec!.ports![0]!;
    expect(slice.ports).toEqual([
      expect.objectContaining({ port: Number(port.targetPort ?? port.port), protocol: 'TCP' }),
    ]);
  });

  it('the slice follows the pods: not ready under failing-readiness, as the Endpoints say', async () => {
    const before = await sliceOf('shipping');
    expect((before.endpoints ?? []).some((e) => e.conditions?.ready)).toBe(true);
    const fault = cluster.ledger.inject({ type: 'failing-readiness', namespace: NS, service: 'shipping' });
    try {
      cluster.step(3);
      const after = await sliceOf('shipping');
      expect(after.metadata?.resourceVersion).not.toBe(before.metadata?.resourceVersion);
      expect(after.endpoints?.length).toBe(before.endpoints?.length);
      expect(
        after.endpoints?.every((e) => e.conditions?.ready === false && e.conditions.serving === false),
      ).toBe(true);
      const endpoints = await kc
        .makeApiClient(CoreV1Api)
        .readNamespacedEndpoints({ namespace: NS, name: 'shipping' });
      const notReady = endpoints.subsets?.[0]?.notReadyAddresses?.map((a) => a.ip).sort();
      expect(after.endpoints?.flatMap((e) => e.addresses).sort()).toEqual(notReady);
    } finally {
      cluster.ledger.resolve(fault.id);
      cluster.step(3);
    }
    expect((await sliceOf('shipping')).endpoints?.some((e) => e.conditions?.ready)).toBe(true);
  });

  // The simulated kubelet finishes a graceful delete within the tick, so a terminating pod is never seen through the
  // cluster; the controller is driven directly to check what it does with one.
  it('a terminating pod leaves the Endpoints but stays in the slice, serving, terminating and not ready', () => {
    const store = new ObjectStore();
    store.create('/nodes', { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } });
    store.create('/services', {
      metadata: { name: 'web', namespace: NS },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const pod = (name: string, ip: string, terminating: boolean) => {
      const created = store.create('/pods', {
        metadata: { name, namespace: NS, labels: { app: 'web' } },
        spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
        status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
      });
      // The store clears deletionTimestamp on create, as kube-apiserver does; a graceful delete sets it by update.
      if (terminating)
        store.update('/pods', {
          ...created,
          metadata: { ...created.metadata, deletionTimestamp: new Date().toISOString() },
        });
    };
    pod('web-a', '10.0.0.1', false);
    pod('web-b', '10.0.0.2', true);
    new EndpointsController().reconcile({ store } as unknown as ControllerContext);
    const [slice] = store.list('discovery.k8s.io/endpointslices', NS);
    expect(slice!['endpoints']).toEqual([
      expect.objectContaining({
        addresses: ['10.0.0.1'],
        conditions: { ready: true, serving: true, terminating: false },
        zone: 'z1',
      }),
      expect.objectContaining({
        addresses: ['10.0.0.2'],
        conditions: { ready: false, serving: true, terminating: true },
      }),
    ]);
    expect(slice!['ports']).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    const endpoints = store.get('/endpoints', NS, 'web')!;
    expect(endpoints['subsets']).toEqual([
      expect.objectContaining({ addresses: [expect.objectContaining({ ip: '10.0.0.1' })] }),
    ]);
  });

  it("a deleted Service's slice goes with it; a slice without addressType is 422", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedService({
      namespace: NS,
      body: {
        metadata: { name: 'slice-probe' },
        spec: { selector: { app: 'cart' }, ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] },
      },
    });
    cluster.step(1);
    const slice = await sliceOf('slice-probe');
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    await core.deleteNamespacedService({ namespace: NS, name: 'slice-probe' });
    cluster.step(1);
    const left = await kc.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({
      namespace: NS,
      labelSelector: 'kubernetes.io/service-name=slice-probe',
    });
    expect(left.items).toEqual([]);
    const { code, body } = await refusal(
      kc.makeApiClient(DiscoveryV1Api).createNamespacedEndpointSlice({
        namespace: NS,
        body: { metadata: { name: 'hand-made' }, endpoints: [] } as never,
      }),
    );
    expect(code).toBe(422);
    expect(body['details'].causes).toEqual([expect.objectContaining({ field: 'addressType' })]);
  });
});

describe('events.k8s.io/v1 Events over the core/v1 ones', () => {
  it('a core event reads as events.k8s.io: note = message, regarding = involvedObject, same uid', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedEvent({
      namespace: NS,
      body: {
        metadata: { name: 'cart.probe' },
        involvedObject: { kind: 'Pod', namespace: NS, name: 'cart-x', apiVersion: 'v1' },
        reason: 'Probe',
        message: 'written through core/v1',
        type: 'Warning',
        count: 4,
        source: { component: 'kubelet', host: 'sim-node-1' },
        firstTimestamp: new Date('2026-01-01T00:00:00Z'),
        lastTimestamp: new Date('2026-01-01T00:05:00Z'),
      },
    });
    const events = kc.makeApiClient(EventsV1Api);
    const event = await events.readNamespacedEvent({ namespace: NS, name: 'cart.probe' });
    expect(event.apiVersion).toBe('events.k8s.io/v1');
    expect(event.note).toBe('written through core/v1');
    expect(event.regarding).toMatchObject({ kind: 'Pod', name: 'cart-x' });
    expect(event.deprecatedCount).toBe(4);
    expect(event.deprecatedSource).toEqual({ component: 'kubelet', host: 'sim-node-1' });
    expect(event.deprecatedLastTimestamp?.toISOString()).toBe('2026-01-01T00:05:00.000Z');
    expect(event.metadata?.uid).toBe(created.metadata?.uid);
    expect(event.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    const listed = await events.listNamespacedEvent({
      namespace: NS,
      fieldSelector: 'regarding.name=cart-x',
    });
    expect(listed.items.map((e) => e.metadata?.name)).toEqual(['cart.probe']);
  });

  it('an event created as events.k8s.io is one stored object, read back in core/v1', async () => {
    const events = kc.makeApiClient(EventsV1Api);
    await events.createNamespacedEvent({
      namespace: NS,
      body: {
        metadata: { name: 'cart.new-api' },
        eventTime: new Date() as never,
        reportingController: 'example.com/operator',
        reportingInstance: 'operator-0',
        action: 'Reconcile',
        reason: 'Reconciled',
        type: 'Normal',
        note: 'written through events.k8s.io',
        regarding: { kind: 'Deployment', namespace: NS, name: 'cart', apiVersion: 'apps/v1' },
      },
    });
    const core = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedEvent({ namespace: NS, name: 'cart.new-api' });
    expect(core.message).toBe('written through events.k8s.io');
    expect(core.involvedObject).toMatchObject({ kind: 'Deployment', name: 'cart' });
    expect(core.reportingComponent).toBe('example.com/operator');
    await kc.makeApiClient(CoreV1Api).deleteNamespacedEvent({ namespace: NS, name: 'cart.new-api' });
    const gone = await refusal(events.readNamespacedEvent({ namespace: NS, name: 'cart.new-api' }));
    expect(gone.code).toBe(404);
    expect(gone.body['message']).toBe('events.events.k8s.io "cart.new-api" not found');
  });

  it('new events.k8s.io events must say when, who and what (422 naming the fields)', async () => {
    const { code, body } = await refusal(
      kc.makeApiClient(EventsV1Api).createNamespacedEvent({
        namespace: NS,
        body: { metadata: { name: 'bare' }, note: 'x', type: 'Normal' } as never,
      }),
    );
    expect(code).toBe(422);
    expect(body['details'].causes.map((c: { field: string }) => c.field).sort()).toEqual(
      ['action', 'eventTime', 'reason', 'reportingController', 'reportingInstance'].sort(),
    );
  });

  it('a watch on events.k8s.io sees core events in the new shape', async () => {
    const seen: Array<{ type: string; obj: Record<string, any> }> = [];
    const req = await new Watch(kc).watch(
      `/apis/events.k8s.io/v1/namespaces/${NS}/events`,
      { fieldSelector: 'regarding.name=watched-pod' },
      (type, obj) => seen.push({ type, obj }),
      () => {},
    );
    try {
      await kc.makeApiClient(CoreV1Api).createNamespacedEvent({
        namespace: NS,
        body: {
          metadata: { name: 'watched.1' },
          involvedObject: { kind: 'Pod', namespace: NS, name: 'watched-pod' },
          reason: 'Seen',
          message: 'through the watch',
        },
      });
      await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(1);
    } finally {
      req.abort();
    }
    expect(seen[0]).toMatchObject({
      type: 'ADDED',
      obj: { apiVersion: 'events.k8s.io/v1', note: 'through the watch', regarding: { name: 'watched-pod' } },
    });
  });
});

describe('autoscaling/v1 HorizontalPodAutoscalers over the stored autoscaling/v2 ones', () => {
  it('an HPA created in v2 reads in v1 with its CPU target; a v1 write keeps the v2-only metric', async () => {
    const v2 = kc.makeApiClient(AutoscalingV2Api);
    const v1 = kc.makeApiClient(AutoscalingV1Api);
    await v2.createNamespacedHorizontalPodAutoscaler({
      namespace: NS,
      body: {
        metadata: { name: 'cart-hpa' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart' },
          minReplicas: 2,
          maxReplicas: 5,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } },
            },
            {
              type: 'Resource',
              resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '300Mi' } },
            },
          ],
        },
      },
    });
    cluster.step(1);
    const read = await v1.readNamespacedHorizontalPodAutoscaler({ namespace: NS, name: 'cart-hpa' });
    expect(read.apiVersion).toBe('autoscaling/v1');
    expect(read.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 65 });
    expect(read.status?.currentReplicas).toBeGreaterThan(0);
    const kept = JSON.parse(read.metadata!.annotations!['autoscaling.alpha.kubernetes.io/metrics']!);
    expect(kept).toEqual([
      expect.objectContaining({ resource: expect.objectContaining({ name: 'memory' }) }),
    ]);

    read.spec!.targetCPUUtilizationPercentage = 80;
    await v1.replaceNamespacedHorizontalPodAutoscaler({ namespace: NS, name: 'cart-hpa', body: read });
    const stored = await v2.readNamespacedHorizontalPodAutoscaler({ namespace: NS, name: 'cart-hpa' });
    expect(stored.metadata?.generation).toBe(2);
    expect(stored.metadata?.annotations ?? {}).not.toHaveProperty('autoscaling.alpha.kubernetes.io/metrics');
    expect(stored.spec?.metrics?.map((m) => m.resource?.name)).toEqual(['cpu', 'memory']);
    expect(stored.spec?.metrics?.[0]?.resource?.target.averageUtilization).toBe(80);
    expect(stored.spec?.metrics?.[1]?.resource?.target.averageValue).toBe('300Mi');
  });

  it('an HPA created in v1 is stored in v2 with a CPU utilisation metric; discovery prefers v2', async () => {
    const v1 = kc.makeApiClient(AutoscalingV1Api);
    await v1.createNamespacedHorizontalPodAutoscaler({
      namespace: NS,
      body: {
        metadata: { name: 'ads-hpa' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ads' },
          maxReplicas: 4,
          targetCPUUtilizationPercentage: 75,
        },
      },
    });
    const stored = await kc
      .makeApiClient(AutoscalingV2Api)
      .readNamespacedHorizontalPodAutoscaler({ namespace: NS, name: 'ads-hpa' });
    expect(stored.spec).toMatchObject({
      minReplicas: 1,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } },
        },
      ],
    });
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    const autoscaling = groups.groups.find((g) => g.name === 'autoscaling')!;
    expect(autoscaling.preferredVersion?.version).toBe('v2');
    expect(autoscaling.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
    const invalid = await refusal(
      v1.createNamespacedHorizontalPodAutoscaler({
        namespace: NS,
        body: {
          metadata: { name: 'bad' },
          spec: { scaleTargetRef: { kind: 'Deployment', name: 'ads' }, maxReplicas: 0 },
        },
      }),
    );
    expect(invalid.code).toBe(422);
  });
});

describe('stored without a controller: PriorityClass, CSIDriver, RuntimeClass', () => {
  it('a PriorityClass is stored cluster-wide with its defaults; without value it is 422 naming the field', async () => {
    const scheduling = kc.makeApiClient(SchedulingV1Api);
    const created = await scheduling.createPriorityClass({
      body: { metadata: { name: 'shop-critical' }, value: 100_000, description: 'checkout path' },
    });
    expect(created.metadata?.namespace).toBeUndefined();
    expect(created.preemptionPolicy).toBe('PreemptLowerPriority');
    expect((await scheduling.listPriorityClass()).items.map((p) => p.metadata?.name)).toContain(
      'shop-critical',
    );
    const missing = await refusal(
      scheduling.createPriorityClass({ body: { metadata: { name: 'no-value' } } as never }),
    );
    expect(missing.code).toBe(422);
    expect(missing.body['reason']).toBe('Invalid');
    expect(missing.body['details'].causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'value' },
    ]);
    expect(missing.body['message']).toBe(
      'PriorityClass.scheduling.k8s.io "no-value" is invalid: value: Required value',
    );
    const tooHigh = await refusal(
      scheduling.createPriorityClass({ body: { metadata: { name: 'too-high' }, value: 2_000_000_000 } }),
    );
    expect(tooHigh.body['details'].causes[0].field).toBe('value');
  });

  it('a CSIDriver gets kube-apiserver defaults; a RuntimeClass needs a handler', async () => {
    const driver = await kc.makeApiClient(StorageV1Api).createCSIDriver({
      body: { metadata: { name: 'ebs.csi.example.com' }, spec: {} },
    });
    expect(driver.spec).toMatchObject({
      attachRequired: true,
      podInfoOnMount: false,
      fsGroupPolicy: 'ReadWriteOnceWithFSType',
      volumeLifecycleModes: ['Persistent'],
    });
    const node = kc.makeApiClient(NodeV1Api);
    const noHandler = await refusal(
      node.createRuntimeClass({ body: { metadata: { name: 'gvisor' } } as never }),
    );
    expect(noHandler.code).toBe(422);
    expect(noHandler.body['details'].causes).toEqual([expect.objectContaining({ field: 'handler' })]);
    await node.createRuntimeClass({ body: { metadata: { name: 'gvisor' }, handler: 'runsc' } });
    expect((await node.readRuntimeClass({ name: 'gvisor' })).handler).toBe('runsc');
  });

  it('discovery lists the new resources with their kinds, scope and short names', async () => {
    const res = await fetch(`${cluster.url}/apis/scheduling.k8s.io/v1`);
    const list = (await res.json()) as { resources: Array<Record<string, unknown>> };
    expect(list.resources).toEqual([
      expect.objectContaining({
        name: 'priorityclasses',
        kind: 'PriorityClass',
        namespaced: false,
        shortNames: ['pc'],
        verbs: expect.arrayContaining(['create', 'get', 'list', 'watch', 'patch']),
      }),
    ]);
    for (const gv of ['discovery.k8s.io/v1', 'events.k8s.io/v1', 'autoscaling/v1', 'node.k8s.io/v1']) {
      expect((await fetch(`${cluster.url}/apis/${gv}`)).status).toBe(200);
      expect((await fetch(`${cluster.url}/openapi/v3/apis/${gv}`)).status).toBe(200);
    }
  });
});
