import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCluster, logReads } from '../../src/rca/collect/collectCluster.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { KubernetesClusterSource } from '../../src/sources/cluster/KubernetesClusterSource.js';

/**
 * An RCA of a window that ended an hour and a half ago, on a pod that logged a line every 10 s since: the newest
 * lines (what a tailLines read returns) all lie after the window. Read through client-node from the in-process API
 * server, which answers sinceSeconds, tailLines and limitBytes as a kubelet does.
 */
let cluster: SimulatedCluster;
let source: KubernetesClusterSource;
const NS = 'shop';
const now = Math.floor(Date.now() / 1000);
const window = { baselineStart: now - 9_000, start: now - 5_400, end: now - 4_800 };

beforeAll(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0, seed: 7 });
  source = new KubernetesClusterSource('simulated', cluster.kubeConfig());
  const [pod] = await source.listPods(NS, { labelSelector: 'app=cart' });
  for (let t = now - 9_000; t <= now; t += 10) {
    const text =
      t >= window.start && t <= window.end
        ? `level=error msg="redis timeout after 5000ms" t=${t}`
        : `level=info msg="served GET /cart" t=${t}`;
    cluster.controller.logs.append(NS, pod!.name, pod!.containers[0]!.name, {
      time: new Date(t * 1000).toISOString(),
      text,
    });
  }
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('the logs an RCA reads for a window in the past', () => {
  it('reads forward from the baseline and from the incident, not the newest lines', async () => {
    const evidence = await collectCluster(source, {
      namespace: NS,
      window,
      changeLookbackSeconds: 600,
      tailLines: 100,
      maxPods: 50,
    });
    const cart = evidence.logs.filter((l) => l.service === 'cart');
    const incident = cart.filter((l) => l.timestamp >= window.start && l.timestamp <= window.end);
    expect(incident.length).toBe(61); // every line of the 10-minute window, one every 10 s
    expect(incident.every((l) => l.message.includes('redis timeout'))).toBe(true);
    expect(cart.filter((l) => l.timestamp < window.start).length).toBeGreaterThan(50);
    expect(cart.every((l) => l.timestamp >= window.baselineStart && l.timestamp <= window.end)).toBe(true);
    expect(new Set(cart.map((l) => `${l.timestamp} ${l.message}`)).size).toBe(cart.length);
    expect(evidence.warnings).toEqual([]);
  }, 60_000);

  it('reads every container of a pod with a sidecar (a read without a container name is a 400 there)', async () => {
    const apps = cluster.kubeConfig().makeApiClient(k8s.AppsV1Api);
    const labels = { app: 'meshed' };
    const containers = [
      { name: 'app', image: 'meshed:1' },
      { name: 'istio-proxy', image: 'proxyv2:1' },
    ];
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'meshed', labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers } },
        },
      },
    });
    cluster.step(6);
    const [pod] = await source.listPods(NS, { labelSelector: 'app=meshed' });
    const at = new Date((now - 60) * 1000).toISOString();
    cluster.controller.logs.append(NS, pod!.name, 'app', {
      time: at,
      text: 'level=error msg="payment declined"',
    });
    cluster.controller.logs.append(NS, pod!.name, 'istio-proxy', {
      time: at,
      text: '"POST /charge HTTP/1.1" 503 UF upstream_reset',
    });
    const live = { baselineStart: now - 3_600, start: now - 600, end: now };
    const evidence = await collectCluster(source, {
      namespace: NS,
      window: live,
      changeLookbackSeconds: 600,
      tailLines: 100,
      maxPods: 50,
    });
    const meshed = evidence.logs.filter((l) => l.service === 'meshed').map((l) => l.message);
    expect(meshed).toEqual(
      expect.arrayContaining([
        'level=error msg="payment declined"',
        '"POST /charge HTTP/1.1" 503 UF upstream_reset',
      ]),
    );
    expect(evidence.warnings.filter((w) => w.includes('meshed'))).toEqual([]);
  }, 60_000);

  it('reads the newest lines of a live window, and two byte-bounded reads of a past one', () => {
    expect(logReads({ ...window, end: now - 30 }, 100, now)).toEqual([
      { tailLines: 100, timestamps: true, sinceSeconds: 9_030 },
    ]);
    expect(logReads(window, 100, now)).toEqual([
      { timestamps: true, sinceSeconds: 9_030, limitBytes: 12_800 },
      { timestamps: true, sinceSeconds: 5_430, limitBytes: 12_800 },
    ]);
  });
});
