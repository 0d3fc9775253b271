import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  KubeConfig,
  KubernetesObjectApi,
  ApiException,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/loadConfig.js';
import { ApiServer } from '../../src/sim/apiserver/ApiServer.js';

/**
 * provisioning/kubernetes: every object valid against the Kubernetes schemas (kubernetes-models), the overlays built
 * with `kubectl kustomize`, and the built manifests applied with a server-side dry run to the in-process API server.
 * Beside the schemas, what the issue found wrong with the old manifest is checked by name: a Redis the config points
 * at exists, /tmp is writable under a read-only root, and the acting role scales StatefulSets too.
 */
const KUBERNETES = resolve(import.meta.dirname, '..', '..', '..', 'provisioning', 'kubernetes');
const KUBECTL = '/usr/bin/kubectl';
const OVERLAYS = ['observe-only', 'acting'] as const;
const hasKubectl = existsSync(KUBECTL);

interface Obj extends KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

function parseObjects(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS() as Obj | null;
    })
    .filter((o): o is Obj => o !== null && typeof o === 'object' && 'kind' in o);
}

/** The files a kustomization lists, read without kustomize (resources that are files, not directories). */
function kustomizationFiles(dir: string): string[] {
  const k = parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as {
    resources: string[];
  };
  return k.resources.filter((r) => r.endsWith('.yaml')).map((r) => join(dir, r));
}

function build(overlay: string): Obj[] {
  return parseObjects(
    execFileSync(KUBECTL, ['kustomize', join(KUBERNETES, 'overlays', overlay)], { encoding: 'utf8' }),
  );
}

/** The kubernetes-models class for an object (the Prometheus Operator's package for monitoring.coreos.com). */
async function modelFor(obj: Obj): Promise<new (data: unknown) => { validate(): void }> {
  const module = obj.apiVersion.startsWith('monitoring.coreos.com/')
    ? await import(`@kubernetes-models/prometheus-operator/${obj.apiVersion}/${obj.kind}`)
    : await import(`kubernetes-models/${obj.apiVersion}/${obj.kind}`);
  return module[obj.kind];
}

const sourceFiles = [
  ...kustomizationFiles(join(KUBERNETES, 'base')),
  ...OVERLAYS.flatMap((o) => kustomizationFiles(join(KUBERNETES, 'overlays', o))),
];

describe('Kubernetes manifests', () => {
  it('every object in every file validates against the Kubernetes schemas', async () => {
    expect(sourceFiles.length).toBeGreaterThan(10);
    const objects = sourceFiles.flatMap((f) => parseObjects(readFileSync(f, 'utf8')).map((o) => ({ f, o })));
    for (const { f, o } of objects) {
      const Model = await modelFor(o);
      expect(() => new Model(o).validate(), `${f}: ${o.kind}/${o.metadata.name}`).not.toThrow();
    }
    // The validator does catch mistakes: a port given as a name where a number is required.
    const Deployment = await modelFor({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } });
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: {
        selector: {},
        template: { spec: { containers: [{ name: 'a', image: 'b', ports: [{ containerPort: 'http' }] }] } },
      },
    };
    expect(() => new Deployment(broken).validate()).toThrow(/containerPort must be integer/);
  });

  it('ships no other files than those the kustomizations list', () => {
    const listed = new Set(sourceFiles);
    for (const dir of ['base', 'overlays/observe-only', 'overlays/acting']) {
      for (const file of readdirSync(join(KUBERNETES, dir)).filter(
        (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
      )) {
        expect(listed.has(join(KUBERNETES, dir, file)), `${dir}/${file} is not in its kustomization`).toBe(
          true,
        );
      }
    }
  });

  describe.skipIf(!hasKubectl)('overlays built with kubectl kustomize', () => {
    const built = Object.fromEntries(OVERLAYS.map((o) => [o, hasKubectl ? build(o) : []])) as Record<
      (typeof OVERLAYS)[number],
      Obj[]
    >;
    const find = (objects: Obj[], kind: string, name: string) =>
      objects.find((o) => o.kind === kind && o.metadata.name === name)!;

    it('build, and every built object validates against the schemas', async () => {
      for (const overlay of OVERLAYS) {
        const kinds = new Set(built[overlay].map((o) => o.kind));
        for (const kind of [
          'Deployment',
          'Service',
          'ConfigMap',
          'Secret',
          'ServiceAccount',
          'ClusterRole',
          'ClusterRoleBinding',
          'Role',
          'RoleBinding',
          'PodDisruptionBudget',
          'NetworkPolicy',
          'ServiceMonitor',
          'StatefulSet',
        ]) {
          expect(kinds, `${overlay} has a ${kind}`).toContain(kind);
        }
        for (const o of built[overlay]) {
          const Model = await modelFor(o);
          expect(() => new Model(o).validate(), `${overlay}: ${o.kind}/${o.metadata.name}`).not.toThrow();
        }
      }
    });

    it('run several engine replicas on the Redis the config names, with probes, limits, a writable /tmp and scraping', () => {
      for (const overlay of OVERLAYS) {
        const objects = built[overlay];
        const deployment = find(objects, 'Deployment', 'aicloudops-engine') as Obj & { spec: any };
        expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
        const pod = deployment.spec.template.spec;
        const engine = pod.containers[0];
        expect(engine.readinessProbe.httpGet.path).toBe('/readyz');
        expect(engine.livenessProbe.httpGet.path).toBe('/healthz');
        expect(engine.resources.requests).toMatchObject({
          cpu: expect.any(String),
          memory: expect.any(String),
        });
        expect(engine.resources.limits).toMatchObject({ memory: expect.any(String) });
        expect(engine.securityContext.readOnlyRootFilesystem).toBe(true);
        const tmp = engine.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
        expect(pod.volumes.find((v: { name: string }) => v.name === tmp.name).emptyDir).toBeDefined();
        expect(deployment.spec.template.metadata.annotations['prometheus.io/scrape']).toBe('true');
        expect(find(objects, 'ServiceMonitor', 'aicloudops-engine')).toBeDefined();
        expect(
          (find(objects, 'PodDisruptionBudget', 'aicloudops-engine') as any).spec.selector.matchLabels,
        ).toEqual(deployment.spec.selector.matchLabels);

        // The config parses as the engine will parse it (Secret and Deployment env applied), and names a Redis
        // that a Service of the same manifests serves.
        const env = envOf(objects, engine);
        const file = join(tmpdir(), `aicloudops-k8s-config-${overlay}-${process.pid}.yaml`);
        writeFileSync(file, (find(objects, 'ConfigMap', 'aicloudops-engine') as any).data['config.yaml']);
        const config = loadConfig({ path: file, env });
        expect(config.store.kind).toBe('redis');
        const redisHost = new URL(config.store.kind === 'redis' ? config.store.url : '').hostname;
        const redisService = find(objects, 'Service', redisHost) as any;
        expect(redisService, `a Service named ${redisHost}`).toBeDefined();
        const redis = find(objects, 'StatefulSet', 'aicloudops-redis') as any;
        expect(redis.spec.template.metadata.labels).toMatchObject(redisService.spec.selector);
        expect(config.forecast.autoscale.policy.allowApply).toBe(overlay === 'acting');
        expect(config.repair.maxMode).toBe(overlay === 'acting' ? 'approve' : 'recommend');
        // Both Leases (scheduler, repair) live where the Role lets the engine write Leases.
        const leaseRole = find(objects, 'Role', 'aicloudops-engine-leases');
        expect(config.repair.lease.namespace).toBe(leaseRole.metadata.namespace);
        expect(deployment.metadata.namespace).toBe(leaseRole.metadata.namespace);
      }
    });

    it('grant write access only in the acting overlay, scaling StatefulSets as well as Deployments', () => {
      const writes = (objects: Obj[]) =>
        objects
          .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
          .flatMap((o) =>
            ((o as any).rules as Array<{ resources: string[]; verbs: string[] }>).map((r) => ({
              role: o.metadata.name,
              ...r,
            })),
          )
          .filter(
            (r) =>
              !r.resources.includes('leases') && r.verbs.some((v) => !['get', 'list', 'watch'].includes(v)),
          );
      expect(writes(built['observe-only'])).toEqual([]);
      const acting = writes(built.acting);
      const can = (resource: string, verb: string) =>
        acting.some((r) => r.resources.includes(resource) && r.verbs.includes(verb));
      for (const resource of ['deployments/scale', 'statefulsets/scale', 'deployments', 'statefulsets'])
        expect(can(resource, 'patch'), resource).toBe(true);
      expect(can('pods', 'delete')).toBe(true);
      expect(can('nodes', 'patch')).toBe(true);
      expect(can('cronjobs', 'patch')).toBe(true);
      // drain-node evicts the node's pods in any namespace: eviction (PDB-checked) is granted cluster-wide, delete is not.
      const clusterWide = acting.filter((r) => r.role === 'aicloudops-engine-act-nodes');
      expect(
        clusterWide.some((r) => r.resources.includes('pods/eviction') && r.verbs.includes('create')),
      ).toBe(true);
      expect(clusterWide.some((r) => r.resources.includes('pods') && r.verbs.includes('delete'))).toBe(false);
      const binding = find(built.acting, 'RoleBinding', 'aicloudops-engine-act') as any;
      expect(binding.metadata.namespace).toBe('shop');
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'aicloudops-engine', namespace: 'aicloudops' },
      ]);
    });

    // Every write the engine sends (engine/src: KubernetesActuator.patch/remove/evict, KubernetesClusterSource
    // .scaleWorkload, KubernetesLeaderLease): all writes are PATCH, pod DELETE, eviction CREATE, Lease create/replace.
    // A grant beyond this is a verb nothing uses; `update` on workloads and `patch` on pods were granted before.
    // Reads (get included) are the read role's; rbacCalls.test.ts derives every grant from the code.
    const ENGINE_WRITES: Record<string, string[]> = {
      'apps/deployments': ['patch'],
      'apps/statefulsets': ['patch'],
      'apps/daemonsets': ['patch'],
      'apps/deployments/scale': ['patch'],
      'apps/statefulsets/scale': ['patch'],
      'batch/cronjobs': ['patch'],
      'autoscaling/horizontalpodautoscalers': ['patch'],
      '/pods': ['delete'],
      '/pods/eviction': ['create'],
      '/nodes': ['patch'],
      'coordination.k8s.io/leases': ['get', 'create', 'update'],
    };

    it('grant no verb beyond those the engine sends (least privilege), and no access to Secrets', () => {
      for (const overlay of OVERLAYS) {
        const rules = built[overlay]
          .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
          .filter((o) => o.metadata.name !== 'aicloudops-engine-read')
          .flatMap(
            (o) => (o as any).rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>,
          );
        for (const rule of rules) {
          expect(rule.verbs, JSON.stringify(rule)).not.toContain('*');
          for (const group of rule.apiGroups)
            for (const resource of rule.resources) {
              const key = `${group}/${resource}`;
              for (const verb of rule.verbs)
                expect(ENGINE_WRITES[key] ?? [], `${overlay}: ${key} ${verb}`).toContain(verb);
            }
        }
        const read = find(built[overlay], 'ClusterRole', 'aicloudops-engine-read') as any;
        for (const rule of read.rules as Array<{ resources: string[]; verbs: string[] }>) {
          expect(rule.resources).not.toContain('secrets');
          expect(
            rule.verbs.every((v) => ['get', 'list', 'watch'].includes(v)),
            JSON.stringify(rule),
          ).toBe(true);
        }
      }
    });

    describe('applied to the simulated API server with a server-side dry run', () => {
      let server: ApiServer;
      let client: KubernetesObjectApi;
      beforeAll(async () => {
        server = new ApiServer();
        const url = await server.listen();
        const kc = new KubeConfig();
        kc.loadFromOptions({
          clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
          users: [{ name: 'u', token: 'test' }],
          contexts: [{ name: 'sim', cluster: 'sim', user: 'u' }],
          currentContext: 'sim',
        });
        client = KubernetesObjectApi.makeApiClient(kc);
      });
      afterAll(() => server?.close());

      it('accepts every object of both overlays, and persists none of them', async () => {
        // Namespaces are created for real first: a dry run of an object in a namespace that does not exist fails,
        // on a real cluster as here.
        for (const name of ['aicloudops', 'shop'])
          await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
        for (const overlay of OVERLAYS) {
          for (const o of built[overlay].filter((x) => x.kind !== 'Namespace')) {
            try {
              const created: KubernetesObject = await client.create<KubernetesObject>(o, undefined, 'All');
              expect(created.metadata?.uid, `${overlay}: ${o.kind}/${o.metadata.name}`).toBeTruthy();
            } catch (error) {
              const body = error instanceof ApiException ? String(error.body) : String(error);
              throw new Error(`${overlay}: ${o.kind}/${o.metadata.name} was refused: ${body}`);
            }
          }
        }
        const listed = await client.list('apps/v1', 'Deployment', 'aicloudops');
        expect(listed.items).toEqual([]);
      });

      it('refuses an invalid RoleBinding with a Status naming the field, as a real server does', async () => {
        const binding = {
          ...find(built.acting, 'RoleBinding', 'aicloudops-engine-act'),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Secret', name: 'x' },
        };
        const error = await client.create(binding, undefined, 'All').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiException);
        expect((error as ApiException<string>).code).toBe(422);
        expect(String((error as ApiException<string>).body)).toContain('roleRef.kind');
      });
    });
  });
});

/** The environment the engine container gets: its Secret's keys (envFrom) and its env entries. */
function envOf(
  objects: Obj[],
  container: {
    envFrom?: Array<{ secretRef?: { name: string } }>;
    env?: Array<{ name: string; value?: string }>;
  },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const from of container.envFrom ?? []) {
    const secret = objects.find(
      (o) => o.kind === 'Secret' && o.metadata.name === from.secretRef?.name,
    ) as any;
    Object.assign(env, secret?.stringData ?? {});
  }
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}
