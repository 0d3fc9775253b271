import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createScheduler } from '../../src/scheduler/createScheduler.js';
import { Scheduler } from '../../src/scheduler/Scheduler.js';
import { ApiServer } from '../../src/sim/apiserver/ApiServer.js';
import { createClusterRegistry } from '../../src/sources/cluster/createClusterRegistry.js';
import { KubernetesLeaderLease } from '../../src/sources/cluster/KubernetesLeaderLease.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';

/**
 * The scheduler guarded by a coordination.k8s.io Lease (what a cluster deployment uses), against the in-process API
 * server over HTTP: with a cluster configured createScheduler takes the Lease, and on a moved clock two replicas run
 * each tick once, the second taking over within the lease once the first stops renewing.
 */
const logger = pino({ level: 'silent' });
let server: ApiServer;
let kubeConfig: KubeConfig;

beforeAll(async () => {
  server = new ApiServer();
  const url = await server.listen();
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'test' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'u' }],
    currentContext: 'sim',
  });
  await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'aicloudops' } } });
});

afterAll(() => server?.close());

describe('scheduler on a Kubernetes Lease', () => {
  it('createScheduler holds the Lease of the configured cluster', async () => {
    const file = join(tmpdir(), `aicloudops-lease-kubeconfig-${process.pid}.yaml`);
    writeFileSync(file, kubeConfig.exportConfig());
    const config = configSchema.parse({
      cluster: { kind: 'kubernetes', kubeconfig: file },
      scheduler: { leaseNamespace: 'aicloudops', leaseName: 'engine-scheduler' },
    });
    const store = new MemoryStore();
    const clusters = createClusterRegistry(config.cluster, { logger });
    const scheduler = createScheduler(config, { store, clusters, logger, instance: 'replica-a' });
    await scheduler.poll();
    expect(scheduler.isLeader).toBe(true);
    const lease = await kubeConfig
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ namespace: 'aicloudops', name: 'engine-scheduler' });
    expect(lease.spec?.holderIdentity).toBe('replica-a');
    expect(lease.spec?.leaseDurationSeconds).toBe(15);
  });

  it('two replicas run each tick once; the second takes over within the lease when the first stops', async () => {
    const LEASE = 15;
    const POLL_MS = (LEASE * 1000) / 6;
    let now = Math.ceil(Date.now() / 60_000) * 60_000;
    const clock = () => now;
    const store = new MemoryStore(clock);
    const runs: Array<{ instance: string; tick: number; at: number }> = [];
    const replica = (instance: string) => {
      const lease = new KubernetesLeaderLease(kubeConfig, {
        namespace: 'aicloudops',
        name: 'ticks',
        identity: instance,
        leaseDurationSeconds: LEASE,
        now: clock,
      });
      const scheduler = new Scheduler({ store, lease, logger, instance, leaseSeconds: LEASE, now: clock });
      scheduler.register({
        name: 'probe',
        intervalSeconds: 10,
        run: async ({ tick }) => void runs.push({ instance, tick, at: now }),
      });
      return scheduler;
    };
    const a = replica('a');
    const b = replica('b');
    for (let i = 0; i < 24; i++) {
      await a.poll();
      await b.poll();
      now += POLL_MS;
    }
    expect(a.isLeader).toBe(true);
    expect(b.isLeader).toBe(false);
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(new Set(runs.map((r) => r.instance))).toEqual(new Set(['a']));

    // a stops renewing (killed); b keeps polling.
    const stoppedAt = now;
    const before = runs.length;
    for (let i = 0; i < 24; i++) {
      await b.poll();
      now += POLL_MS;
    }
    const takeover = runs.slice(before).find((r) => r.instance === 'b')!;
    expect(takeover).toBeDefined();
    // The Lease expires LEASE s after a's last renewal; b sees it at its next poll and runs the tick then due.
    expect(takeover.at - stoppedAt).toBeLessThanOrEqual(LEASE * 1000 + POLL_MS + 10_000);
    const ticks = runs.map((r) => r.tick);
    expect(new Set(ticks).size).toBe(ticks.length);
    // Each leader ran every tick of its term; a tick that began and ended while no one led is not replayed (at most
    // ceil((lease + poll) / interval) = 2 of them).
    for (const instance of ['a', 'b']) {
      const own = runs.filter((r) => r.instance === instance).map((r) => r.tick);
      expect(own.at(-1)! - own[0]!, instance).toBe(own.length - 1);
    }
    expect(takeover.tick - runs[before - 1]!.tick).toBeLessThanOrEqual(
      1 + Math.ceil((LEASE * 1000 + POLL_MS) / 10_000),
    );
  });
});
