import * as k8s from '@kubernetes/client-node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterTools } from '../../src/assistant/answer/clusterTools.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';

/** The assistant's get_logs on a workload whose pods run a sidecar, against the demo's in-process API server. */
let engine: Engine;

beforeAll(async () => {
  engine = await createEngine(
    parseConfig({ profile: 'demo', logLevel: 'silent', cluster: { kind: 'simulated', injectFaults: false } }),
    {
      logger: pino({ level: 'silent' }),
    },
  );
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

describe('get_logs on a pod with a sidecar', () => {
  it('reads the application container (a read without a container name is a 400 there)', async () => {
    const demo = engine.demo!;
    const labels = { app: 'meshed' };
    const containers = [
      { name: 'app', image: 'meshed:1' },
      { name: 'istio-proxy', image: 'proxyv2:1' },
    ];
    await demo.cluster
      .kubeConfig()
      .makeApiClient(k8s.AppsV1Api)
      .createNamespacedDeployment({
        namespace: demo.namespace,
        body: {
          metadata: { name: 'meshed', labels },
          spec: {
            replicas: 1,
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: { containers } },
          },
        },
      });
    demo.cluster.step(6);
    const [pod] = await engine.context.clusters
      .get()
      .listPods(demo.namespace, { labelSelector: 'app=meshed' });
    demo.cluster.controller.logs.append(demo.namespace, pod!.name, 'app', {
      time: new Date().toISOString(),
      text: 'level=error msg="payment declined"',
    });
    const tools = new ClusterTools(engine.context, engine.config.assistant.answer, {
      namespace: demo.namespace,
    });
    const result = await tools.run('get_logs', { workload: 'meshed' });
    expect(result.record.ok).toBe(true);
    expect(result.record.summary).toMatch(/^logs of pod meshed-\S+ container app: last \d+ lines/);
    expect(result.output).toContain('payment declined');
  }, 60_000);
});
