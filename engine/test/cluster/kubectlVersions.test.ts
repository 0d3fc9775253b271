import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { kubectlConfig } from '../support/kubectlConfig.js';

/**
 * kubectl 1.31–1.33 against the simulated API server, each as shipped (no --validate=false): 1.32+ sends protobuf
 * bodies, `apply` asks /openapi/v3 and validates, `auth can-i` posts a SelfSubjectAccessReview, `scale
 * --current-replicas` converts through the Scale kind from discovery, `get all` expands the `all` category.
 */
const run = promisify(execFile);
const SDK = '/usr/lib/google-cloud-sdk/bin';
const candidates = [`${SDK}/kubectl.1.31`, `${SDK}/kubectl.1.32`, `${SDK}/kubectl.1.33`, '/usr/bin/kubectl'];
const binaries = candidates.filter((p) => existsSync(p));

const MANIFEST = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, labels: { app: ${name} } }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: ${name}-reader }
rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: ${name}-reader }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${name}-reader }
subjects: [{ kind: ServiceAccount, name: default, namespace: shop }]
`;

describe.skipIf(binaries.length === 0)('kubectl 1.31–1.33 against the simulated API server', () => {
  let cluster: SimulatedCluster;
  let dir: string;

  beforeAll(async () => {
    cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
    ({ dir } = kubectlConfig(cluster.url, 'kubectl-versions-'));
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  for (const bin of binaries) {
    const name = `v${bin.match(/1\.(\d+)$/)?.[1] ?? 'default'}`;
    const kubectl = async (...args: string[]) => {
      // A fresh HOME per binary: no discovery or OpenAPI cache shared between versions.
      const env = { ...process.env, KUBECONFIG: join(dir, 'config'), HOME: join(dir, name) };
      return (await run(bin, args, { env, timeout: 30_000 })).stdout;
    };

    it(`${bin}: apply -f validates and stores a Deployment and RBAC kinds; unknown fields are refused`, async () => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, MANIFEST(`web-${name}`));
      const out = await kubectl('apply', '-f', file);
      expect(out).toContain(`deployment.apps/web-${name} created`);
      expect(out).toContain(`role.rbac.authorization.k8s.io/web-${name}-reader created`);
      expect(out).toContain(`rolebinding.rbac.authorization.k8s.io/web-${name}-reader created`);
      writeFileSync(file, MANIFEST(`web-${name}`).replace('nginx:1.27', 'nginx:1.28'));
      expect(await kubectl('apply', '-f', file)).toContain(`deployment.apps/web-${name} configured`);
      expect(
        await kubectl(
          'get',
          'deploy',
          `web-${name}`,
          '-o',
          'jsonpath={.spec.template.spec.containers[0].image}',
        ),
      ).toBe('nginx:1.28');
      expect(
        await kubectl('get', 'rolebinding', `web-${name}-reader`, '-o', 'jsonpath={.roleRef.name}'),
      ).toBe(`web-${name}-reader`);

      const bad = join(dir, `${name}-bad.yaml`);
      writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: typo }\ndataa: { a: "1" }\n');
      await expect(kubectl('apply', '-f', bad)).rejects.toThrow(/unknown field "dataa"/);
    }, 90_000);

    it(`${bin}: create namespace, configmap and secret generators store what they were given`, async () => {
      const ns = `team-${name}`;
      expect(await kubectl('create', 'namespace', ns, '--dry-run=server', '-o', 'name')).toBe(
        `namespace/${ns}\n`,
      );
      await kubectl('create', 'namespace', ns);
      await kubectl(
        'create',
        'configmap',
        'settings',
        '-n',
        ns,
        '--from-literal=mode=fast',
        '--from-literal=level=3',
      );
      await kubectl('create', 'secret', 'generic', 'creds', '-n', ns, '--from-literal=password=s3cr3t');
      await kubectl('label', 'configmap', 'settings', '-n', ns, 'tier=web');
      expect(
        await kubectl(
          'get',
          'configmap',
          'settings',
          '-n',
          ns,
          '-o',
          'jsonpath={.data.mode} {.data.level} {.metadata.labels.tier}',
        ),
      ).toBe('fast 3 web');
      const secret = await kubectl(
        'get',
        'secret',
        'creds',
        '-n',
        ns,
        '-o',
        'jsonpath={.type} {.data.password}',
      );
      expect(secret).toBe(`Opaque ${Buffer.from('s3cr3t').toString('base64')}`);
      expect(await kubectl('get', 'namespace', ns, '-o', 'jsonpath={.metadata.name}')).toBe(ns);
      await kubectl('create', 'serviceaccount', 'bot', '-n', ns);
      expect(
        await kubectl('get', 'serviceaccount', 'bot', '-n', ns, '-o', 'jsonpath={.metadata.namespace}'),
      ).toBe(ns);
      // Deployments are not among the protobuf kinds read: kubectl 1.31 (and /usr/bin/kubectl, a dispatcher that runs
      // the version matching the server's) sends JSON and succeeds; 1.32+ get a 415 that names the media types.
      const created = await kubectl('create', 'deployment', 'd', '-n', ns, '--image=nginx').catch(
        (error: Error) => error.message,
      );
      expect(created).toMatch(
        /deployment\.apps\/d created|unknown format - accepted media types include: application\/json/,
      );
      if (/kubectl\.1\.3[23]$/.test(bin)) expect(created).toContain('unknown format');
    }, 60_000);

    it(`${bin}: get all lists pods, services, deployments and replicasets`, async () => {
      const out = await kubectl('get', 'all');
      for (const kind of ['pod/cart-', 'service/cart', 'deployment.apps/cart', 'replicaset.apps/cart-']) {
        expect(out).toContain(kind);
      }
    }, 60_000);

    it(`${bin}: scale --current-replicas checks the precondition`, async () => {
      const current = await kubectl('get', 'deploy', 'email', '-o', 'jsonpath={.spec.replicas}');
      await expect(kubectl('scale', 'deploy/email', '--current-replicas=99', '--replicas=3')).rejects.toThrow(
        /expected replicas to be 99/i,
      );
      expect(
        await kubectl('scale', 'deploy/email', `--current-replicas=${current}`, '--replicas=3'),
      ).toContain('deployment.apps/email scaled');
      expect(await kubectl('get', 'deploy', 'email', '-o', 'jsonpath={.spec.replicas}')).toBe('3');
      await kubectl('scale', 'deploy/email', '--replicas=1');
    }, 60_000);

    it(`${bin}: auth can-i answers from a SelfSubjectAccessReview`, async () => {
      expect((await kubectl('auth', 'can-i', 'delete', 'deployments', '-n', 'shop')).trim()).toBe('yes');
      expect(await kubectl('auth', 'can-i', '--list')).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    }, 60_000);
  }
});

describe('what kubectl relies on, over plain HTTP', () => {
  let cluster: SimulatedCluster;
  beforeAll(async () => {
    cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('refuses protobuf bodies with 415 and a Status naming the accepted media types', async () => {
    const res = await fetch(`${cluster.url}/api/v1/namespaces/shop/configmaps`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
      body: Buffer.from('k8s\0'),
    });
    expect(res.status).toBe(415);
    const status = (await res.json()) as { reason: string; message: string };
    expect(status.reason).toBe('UnsupportedMediaType');
    expect(status.message).toContain('application/json');
  });

  it('serves /openapi/v2 and /openapi/v3 with every served kind', async () => {
    const v2 = (await (
      await fetch(`${cluster.url}/openapi/v2`, { headers: { accept: 'application/json' } })
    ).json()) as {
      definitions: Record<string, { 'x-kubernetes-group-version-kind'?: unknown[] }>;
    };
    expect(v2.definitions['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    expect(v2.definitions['io.k8s.api.rbac.v1.ClusterRoleBinding']).toBeDefined();
    const pb = await fetch(`${cluster.url}/openapi/v2`, {
      headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    expect(pb.status).toBe(406);
    const listing = (await (await fetch(`${cluster.url}/openapi/v3`)).json()) as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    const apps = listing.paths['apis/apps/v1']!.serverRelativeURL;
    expect(apps).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const doc = (await (await fetch(`${cluster.url}${apps}`)).json()) as {
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.components.schemas)).toContain('io.k8s.api.apps.v1.StatefulSet');
  });
});
