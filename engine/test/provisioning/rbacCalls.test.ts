import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readClusterSnapshot } from '../../src/repair/snapshot/readClusterSnapshot.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { KubernetesClusterSource } from '../../src/sources/cluster/KubernetesClusterSource.js';
import { RbacProxy, type PolicyRule } from '../cluster/rbacProxy.js';

/**
 * Least privilege, both ways: the verbs the manifests grant per resource are exactly the Kubernetes calls engine/src
 * makes (read from the code: every client-node call in a file importing it, and every `.watch('<resource>'`), less
 * the reads deliberately withheld. A grant nothing calls fails, and so does a call nothing grants. Reads are granted
 * in both overlays, writes (and nothing else) only in acting, Leases in both. Then the observe-only grants are put in
 * front of the simulated server as RBAC and the engine's reads run through them: only the withheld reads are refused.
 */
const ENGINE = resolve(import.meta.dirname, '..', '..');
const KUBERNETES = resolve(ENGINE, '..', 'provisioning', 'kubernetes');
const KUBECTL = '/usr/bin/kubectl';

/** Kind in a client-node method name -> API group and resource (with subresource). */
const RESOURCES: Record<string, [group: string, resource: string]> = {
  Namespace: ['', 'namespaces'],
  Node: ['', 'nodes'],
  Pod: ['', 'pods'],
  PodLog: ['', 'pods/log'],
  PodEviction: ['', 'pods/eviction'],
  Event: ['', 'events'],
  Service: ['', 'services'],
  Endpoints: ['', 'endpoints'],
  PersistentVolumeClaim: ['', 'persistentvolumeclaims'],
  ConfigMap: ['', 'configmaps'],
  Secret: ['', 'secrets'],
  Deployment: ['apps', 'deployments'],
  DeploymentScale: ['apps', 'deployments/scale'],
  StatefulSet: ['apps', 'statefulsets'],
  StatefulSetScale: ['apps', 'statefulsets/scale'],
  DaemonSet: ['apps', 'daemonsets'],
  ReplicaSet: ['apps', 'replicasets'],
  ControllerRevision: ['apps', 'controllerrevisions'],
  Job: ['batch', 'jobs'],
  CronJob: ['batch', 'cronjobs'],
  HorizontalPodAutoscaler: ['autoscaling', 'horizontalpodautoscalers'],
  StorageClass: ['storage.k8s.io', 'storageclasses'],
  Lease: ['coordination.k8s.io', 'leases'],
};
const VERBS: Record<string, string> = {
  list: 'list',
  read: 'get',
  patch: 'patch',
  create: 'create',
  delete: 'delete',
  replace: 'update',
};
const WATCHED: Record<string, string> = { pods: '/pods', events: '/events', deployments: 'apps/deployments' };

/**
 * Calls in the code that the manifests do not grant, each for a reason. The snapshot reads Secrets (keys only) and
 * ConfigMaps when it may and carries on without them.
 */
const WITHHELD = new Set(['list /secrets', 'list /configmaps']);
const READS = new Set(['get', 'list', 'watch']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'sim' && dir.endsWith('src') ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** `verb group/resource` for every Kubernetes call engine/src makes (the simulator excluded). */
function callsInCode(): Set<string> {
  const calls = new Set<string>();
  const unknown: string[] = [];
  for (const file of sourceFiles(join(ENGINE, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const [, resource] of text.matchAll(/\.watch\(\s*'(\w+)'/g))
      calls.add(`watch ${WATCHED[resource!] ?? `?${resource}`}`);
    if (!text.includes("from '@kubernetes/client-node'")) continue;
    const methods =
      /\b(?:core|apps|batch|autoscaling|storage|api)\.(list|read|patch|create|delete|replace)(\w+)\(/g;
    for (const [, verb, rest] of text.matchAll(methods)) {
      const kind = rest!.replace(/^Namespaced(?=[A-Z])/, '').replace(/ForAllNamespaces$/, '');
      const target = RESOURCES[kind];
      if (target) calls.add(`${VERBS[verb!]} ${target[0]}/${target[1]}`);
      else unknown.push(`${relative(ENGINE, file)}: ${verb}${rest}`);
    }
  }
  // A call this test cannot place is a call the manifests may be missing: name its resource above.
  expect(unknown).toEqual([]);
  return calls;
}

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
}

function build(overlay: string): Obj[] {
  const text = execFileSync(KUBECTL, ['kustomize', join(KUBERNETES, 'overlays', overlay)], {
    encoding: 'utf8',
  });
  return parseAllDocuments(text).map((d) => d.toJS() as Obj);
}

/** Every role's rules, a Role's held to its namespace (every role here is bound to the engine's account only). */
function policyRules(objects: Obj[]): PolicyRule[] {
  return objects
    .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
    .flatMap((o) =>
      (o.rules ?? []).map((r) => ({
        ...r,
        ...(o.kind === 'Role' ? { namespace: o.metadata.namespace } : {}),
      })),
    );
}

function granted(rules: PolicyRule[]): Set<string> {
  const grants = new Set<string>();
  for (const r of rules)
    for (const group of r.apiGroups)
      for (const resource of r.resources)
        for (const verb of r.verbs) grants.add(`${verb} ${group}/${resource}`);
  return grants;
}

const sorted = (set: Iterable<string>) => [...set].sort();
const isWrite = (call: string) => !READS.has(call.split(' ')[0]!) && !call.endsWith('/leases');

describe.skipIf(!existsSync(KUBECTL))('RBAC against the calls engine/src makes', () => {
  const calls = callsInCode();
  const needed = sorted([...calls].filter((c) => !WITHHELD.has(c)));

  it('finds the calls (the scan reads the code it should)', () => {
    for (const call of ['list /pods', 'watch /pods', 'get /pods/log', 'patch apps/deployments/scale'])
      expect(calls).toContain(call);
    // Each withheld call is still made: an entry the code no longer needs goes.
    for (const call of WITHHELD) expect(calls).toContain(call);
  });

  it('observe-only grants exactly the reads and the Lease verbs', () => {
    expect(sorted(granted(policyRules(build('observe-only'))))).toEqual(needed.filter((c) => !isWrite(c)));
  });

  it('acting grants exactly those and the writes', () => {
    expect(sorted(granted(policyRules(build('acting'))))).toEqual(needed);
  });

  describe('the observe-only grants enforced in front of the simulated API server', () => {
    let cluster: SimulatedCluster;
    let proxy: RbacProxy;
    let kc: KubeConfig;
    beforeAll(async () => {
      cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
      proxy = new RbacProxy(cluster.url, policyRules(build('observe-only')));
      const url = await proxy.listen();
      kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
        users: [{ name: 'engine', token: 'simulated-token' }],
        contexts: [{ name: 'sim', cluster: 'sim', user: 'engine' }],
        currentContext: 'sim',
      });
    });
    afterAll(async () => {
      await proxy?.close();
      await cluster?.stop();
    });

    it("refuses only the withheld reads of the repair snapshot and the cluster tools' reads", async () => {
      const read = await readClusterSnapshot(kc);
      expect(read.errors.map((e) => e.kind).sort()).toEqual(['configMaps', 'secrets']);
      const source = new KubernetesClusterSource('sim', kc);
      const [pod] = await source.listPods('shop');
      const [deployment] = await source.listWorkloads('shop');
      await source.listNamespaces();
      await source.listNodes();
      await source.listEvents('shop');
      await source.listHorizontalPodAutoscalers('shop');
      await source.podLogs('shop', pod!.name, { tailLines: 1 });
      await source.getWorkload(deployment!);
      await source.rolloutHistory(deployment!);
      expect((await source.check()).ok).toBe(true);
      const watching = await source.watch('pods', 'shop', {}, () => undefined);
      watching.stop();
      const refused = proxy.decisions
        .filter((d) => !d.allowed)
        .map((d) => `${d.verb} ${d.group}/${d.resource}`);
      expect(sorted(new Set(refused))).toEqual(['list /configmaps', 'list /secrets']);
    });
  });
});
