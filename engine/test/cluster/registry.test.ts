import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { EngineError } from '../../src/errors.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { createClusterRegistry } from '../../src/sources/cluster/createClusterRegistry.js';

/** Registry built from the `cluster` config section, against kubeconfig files that point at simulated servers. */
let east: SimulatedCluster;
let west: SimulatedCluster;
let dir: string;
let kubeconfig: string;

function kubeconfigYaml(): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: east
  cluster: { server: "${east.url}", insecure-skip-tls-verify: true }
- name: west
  cluster: { server: "${west.url}", insecure-skip-tls-verify: true }
users:
- name: ops
  user: { token: simulated-token }
contexts:
- name: east
  context: { cluster: east, user: ops, namespace: shop }
- name: west
  context: { cluster: west, user: ops }
current-context: west
`;
}

const kubernetes = (cluster: Record<string, unknown>) =>
  configSchema.parse({ cluster: { kind: 'kubernetes', ...cluster } }).cluster;

beforeAll(async () => {
  east = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
  west = await SimulatedCluster.start({ tickMs: 0 });
  dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, kubeconfigYaml());
});

afterAll(async () => {
  await east?.stop();
  await west?.stop();
});

describe('createClusterRegistry', () => {
  it('uses several named contexts, the first being the default', async () => {
    const registry = createClusterRegistry(kubernetes({ kubeconfig, contexts: ['east', 'west'] }));
    expect(registry.names()).toEqual(['east', 'west']);
    expect(registry.get().name).toBe('east');
    expect(await registry.get().listNamespaces()).toContain('shop');
    expect(await registry.get('west').listNamespaces()).not.toContain('shop');
    expect((await registry.get('west').check()).ok).toBe(true);
  });

  it('falls back to the current context, and reads $KUBECONFIG when no path is configured', () => {
    const registry = createClusterRegistry(kubernetes({}), { env: { KUBECONFIG: kubeconfig }, home: dir });
    expect(registry.names()).toEqual(['west']);
  });

  it('accepts the whole config as well as the section', () => {
    const config = configSchema.parse({ cluster: { kind: 'kubernetes', kubeconfig, contexts: ['east'] } });
    expect(createClusterRegistry(config).names()).toEqual(['east']);
  });

  it('names cluster.contexts for an unknown context', () => {
    try {
      createClusterRegistry(kubernetes({ kubeconfig, contexts: ['east', 'moon'] }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('INVALID_CONFIG');
      expect((error as EngineError).issues[0]!.field).toBe('cluster.contexts');
      expect((error as EngineError).message).toContain('moon');
    }
  });

  it('names cluster.kubeconfig for a missing file, and explains when no kubeconfig exists at all', () => {
    expect(() => createClusterRegistry(kubernetes({ kubeconfig: join(dir, 'nope') }))).toThrow(
      /cluster.kubeconfig: kubeconfig file .* does not exist/,
    );
    expect(() => createClusterRegistry(kubernetes({}), { env: {}, home: join(dir, 'empty-home') })).toThrow(
      /no kubeconfig found/,
    );
    expect(() => createClusterRegistry(kubernetes({ inCluster: true }), { env: {} })).toThrow(
      /not running inside a pod/,
    );
  });

  it('answers NOT_FOUND naming `cluster` for an unknown cluster name', () => {
    const registry = createClusterRegistry(kubernetes({ kubeconfig, contexts: ['east'] }));
    expect(() => registry.get('west')).toThrow(EngineError);
    try {
      registry.get('west');
    } catch (error) {
      expect((error as EngineError).code).toBe('NOT_FOUND');
      expect((error as EngineError).issues[0]!.field).toBe('cluster');
    }
  });

  it('points the same client code at the simulated cluster for kind: simulated', async () => {
    const registry = createClusterRegistry(configSchema.parse({}).cluster, { simulated: east });
    expect(registry.names()).toEqual(['simulated']);
    expect((await registry.get().listWorkloads('shop')).length).toBe(11);
    expect(() => createClusterRegistry(configSchema.parse({}).cluster)).toThrow(
      /no simulated cluster is running/,
    );
  });
});
