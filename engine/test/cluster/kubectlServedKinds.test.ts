import { CoreV1Api } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { kubectlConfig } from '../support/kubectlConfig.js';

/**
 * Real kubectl (each installed version) on the kinds served besides the workload ones: it resolves them through
 * discovery (short names, group-qualified names, a non-preferred version), prints the server's Table columns, and
 * `apply -f` of a PriorityClass passes its OpenAPI-driven validation.
 */
const run = promisify(execFile);
const SDK = '/usr/lib/google-cloud-sdk/bin';
const candidates = [`${SDK}/kubectl.1.31`, `${SDK}/kubectl.1.32`, `${SDK}/kubectl.1.33`, '/usr/bin/kubectl'];
const binaries = candidates.filter((p) => existsSync(p));

const PRIORITY_CLASS = (name: string, value: number) => `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: { name: ${name} }
value: ${value}
globalDefault: false
description: "shop batch work"
`;

describe.skipIf(binaries.length === 0)(
  'kubectl on EndpointSlices, events.k8s.io, autoscaling/v1 and PriorityClasses',
  () => {
    let cluster: SimulatedCluster;
    let dir: string;

    beforeAll(async () => {
      cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
      ({ dir } = kubectlConfig(cluster.url, 'kubectl-kinds-'));
      await cluster
        .kubeConfig()
        .makeApiClient(CoreV1Api)
        .createNamespacedEvent({
          namespace: 'shop',
          body: {
            metadata: { name: 'cart.kubectl' },
            involvedObject: { kind: 'Pod', namespace: 'shop', name: 'cart-probe' },
            reason: 'ProbeReason',
            message: 'seen by kubectl',
            type: 'Warning',
            lastTimestamp: new Date(),
          },
        });
    }, 60_000);

    afterAll(async () => {
      await cluster?.stop();
    });

    for (const bin of binaries) {
      const name = `v${bin.match(/1\.(\d+)$/)?.[1] ?? 'default'}`;
      const kubectl = async (...args: string[]) => {
        const env = { ...process.env, KUBECONFIG: join(dir, 'config'), HOME: join(dir, name) };
        return (await run(bin, args, { env, timeout: 30_000 })).stdout;
      };

      it(`${bin}: get endpointslices prints the ready pod IPs of a Service`, async () => {
        const ips = (
          await kubectl('get', 'pods', '-l', 'app=cart', '-o', 'jsonpath={.items[*].status.podIP}')
        )
          .split(' ')
          .filter(Boolean);
        expect(ips.length).toBeGreaterThan(0);
        const out = await kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=cart');
        const [header, row] = out.trim().split('\n');
        expect(header!.split(/\s+/)).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
        expect(row).toMatch(/^cart-\w{5}\s+IPv4\s+\d+\s+/);
        for (const ip of ips.slice(0, 3)) expect(row).toContain(ip);
      });

      it(`${bin}: get events.events.k8s.io reads the core events; -o yaml has note and regarding`, async () => {
        const table = await kubectl(
          'get',
          'events.events.k8s.io',
          '--field-selector',
          'regarding.name=cart-probe',
        );
        expect(table).toMatch(/LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
        expect(table).toMatch(/Warning\s+ProbeReason\s+pod\/cart-probe\s+seen by kubectl/);
        const yaml = await kubectl('get', 'events.v1.events.k8s.io', 'cart.kubectl', '-o', 'yaml');
        expect(yaml).toContain('apiVersion: events.k8s.io/v1');
        expect(yaml).toContain('note: seen by kubectl');
        expect(yaml).toMatch(/regarding:\n\s+kind: Pod/);
      });

      // client-go's short-name expansion keeps group and resource but not the version, so `hpa.v1.autoscaling` reads
      // the preferred v2 here as on a real cluster; the full resource name reaches v1.
      it(`${bin}: get horizontalpodautoscalers.v1.autoscaling shows the v2 HPA's CPU target; hpa stays v2`, async () => {
        const v1 = await kubectl(
          'get',
          'horizontalpodautoscalers.v1.autoscaling',
          'frontend',
          '-o',
          'jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage}',
        );
        expect(v1).toBe('autoscaling/v1 70');
        expect(await kubectl('get', 'hpa', 'frontend', '-o', 'jsonpath={.apiVersion}')).toBe(
          'autoscaling/v2',
        );
        expect(await kubectl('get', 'hpa.v1.autoscaling', 'frontend', '-o', 'jsonpath={.apiVersion}')).toBe(
          'autoscaling/v2',
        );
        expect(await kubectl('get', 'horizontalpodautoscalers.v1.autoscaling', 'frontend')).toMatch(
          /frontend\s+Deployment\/frontend\s+cpu: <unknown>\/70%\s+3\s+10\s+3\s/,
        );
      });

      it(`${bin}: apply -f a PriorityClass, get pc; one without value is refused`, async () => {
        const file = join(dir, `pc-${name}.yaml`);
        writeFileSync(file, PRIORITY_CLASS(`batch-${name}`, 1000));
        expect(await kubectl('apply', '-f', file)).toContain(
          `priorityclass.scheduling.k8s.io/batch-${name} created`,
        );
        writeFileSync(file, PRIORITY_CLASS(`batch-${name}`, 1000).replace('shop batch work', 'changed'));
        expect(await kubectl('apply', '-f', file)).toContain(
          `priorityclass.scheduling.k8s.io/batch-${name} configured`,
        );
        const out = await kubectl('get', 'pc', `batch-${name}`);
        expect(out).toMatch(new RegExp(`batch-${name}\\s+1000\\s+false\\s+\\S+\\s+PreemptLowerPriority`));
        writeFileSync(file, PRIORITY_CLASS(`nothing-${name}`, 0).replace('value: 0\n', ''));
        const refused = await kubectl('apply', '--validate=false', '-f', file).then(
          () => '',
          (error: { stderr: string }) => error.stderr,
        );
        expect(refused).toContain('value: Required value');
        writeFileSync(
          file,
          'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: { name: runsc-' +
            name +
            ' }\nhandler: runsc\n',
        );
        expect(await kubectl('apply', '-f', file)).toContain(
          `runtimeclass.node.k8s.io/runsc-${name} created`,
        );
        expect(await kubectl('get', 'runtimeclasses', `runsc-${name}`)).toMatch(/HANDLER[\s\S]*runsc/);
      });
    }
  },
);
