import { AUTHORIZATION_GROUP, AUTHORIZATION_RESOURCES } from './accessReview.js';
import type { ResourceRegistry } from './ResourceRegistry.js';
import { resourceKey, type ResourceType } from './ResourceType.js';

/** Discovery documents clients (kubectl, client-node helpers) may ask for before they call a resource. */
export const SIMULATED_VERSION = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0-aicloudops-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.22.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** The kinds kube-apiserver puts in the `all` category, which `kubectl get all` expands. */
const ALL_CATEGORY = new Set([
  '/pods',
  '/services',
  '/replicationcontrollers',
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'apps/daemonsets',
  'autoscaling/horizontalpodautoscalers',
  'batch/jobs',
  'batch/cronjobs',
]);

/**
 * Subresources whose kind lives in another group, as kube-apiserver announces them: kubectl scale converts through
 * autoscaling/v1 Scale, and kubectl drain evicts through policy/v1 Eviction only when discovery lists pods/eviction
 * with that group/version (otherwise it falls back to deleting pods).
 */
const SUBRESOURCE_KIND: Record<string, { group: string; version: string; kind: string }> = {
  scale: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  eviction: { group: 'policy', version: 'v1', kind: 'Eviction' },
};
const SUBRESOURCE_VERBS: Record<string, string[]> = { log: ['get'], eviction: ['create'] };

const categoriesOf = (t: ResourceType) => (ALL_CATEGORY.has(resourceKey(t)) ? { categories: ['all'] } : {});

const authorizationResources = () => ({
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: `${AUTHORIZATION_GROUP}/v1`,
  resources: AUTHORIZATION_RESOURCES.map((r) => ({
    name: r.name,
    singularName: '',
    namespaced: false,
    kind: r.kind,
    verbs: ['create'],
  })),
});

export function discoveryDocument(path: string, registry: ResourceRegistry, serverAddress: string): unknown {
  if (path === '/version' || path === '/version/') return SIMULATED_VERSION;
  if (path === '/api' || path === '/api/') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }
  if (path === '/apis' || path === '/apis/') {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...registry.groups(), { name: AUTHORIZATION_GROUP, versions: ['v1'] }].map((g) => ({
        name: g.name,
        versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
      })),
    };
  }
  if (/^\/apis\/authorization\.k8s\.io\/v1\/?$/.test(path)) return authorizationResources();
  const core = /^\/api\/(v1)\/?$/.exec(path);
  const named = /^\/apis\/([^/]+)\/([^/]+)\/?$/.exec(path);
  const [group, version] = core ? ['', core[1]!] : named ? [named[1]!, named[2]!] : [undefined, undefined];
  if (version === undefined || !registry.hasGroupVersion(group!, version)) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: registry.inGroupVersion(group!, version).flatMap((t) => [
      {
        name: t.plural,
        singularName: t.kind.toLowerCase(),
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: VERBS,
        ...(t.shortNames ? { shortNames: t.shortNames } : {}),
        ...categoriesOf(t),
      },
      ...(t.subresources ?? []).map((sub) => ({
        name: `${t.plural}/${sub}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(SUBRESOURCE_KIND[sub] ?? { kind: t.kind }),
        verbs: SUBRESOURCE_VERBS[sub] ?? ['get', 'patch', 'update'],
      })),
    ]),
  };
}
