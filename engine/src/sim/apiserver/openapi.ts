import { createHash } from 'node:crypto';
import type { ResourceRegistry } from './ResourceRegistry.js';
import { apiVersionOf, type ResourceType } from './ResourceType.js';

/**
 * `/openapi/v2` (JSON) and `/openapi/v3` for the served kinds, enough for kubectl: `apply` asks v3 whether PATCH on
 * a kind takes `fieldValidation` and, as it does, sends `fieldValidation=Strict` instead of validating client-side;
 * the server then rejects unknown top-level fields (see `strictFieldErrors`). Schemas type apiVersion, kind and
 * metadata and list each kind's top-level fields; below that they are open, because the simulator stores objects
 * as they come. PATCH operations do not list strategic-merge-patch: these schemas carry no patch merge keys, so
 * kubectl computes strategic merge patches from its compiled-in types, which do (what it does for any kind missing
 * from a server's v3 document).
 */

/** Top-level fields of the built-in kinds the simulator stores; anything else is an unknown field. */
const TOP_LEVEL_FIELDS = [
  'spec',
  'status',
  'data',
  'binaryData',
  'stringData',
  'type',
  'immutable',
  'rules',
  'roleRef',
  'subjects',
  'aggregationRule',
  'secrets',
  'imagePullSecrets',
  'automountServiceAccountToken',
  'involvedObject',
  'reason',
  'message',
  'source',
  'firstTimestamp',
  'lastTimestamp',
  'count',
  'eventTime',
  'reportingComponent',
  'reportingInstance',
  'action',
  'series',
  'related',
  'note',
  'regarding',
  'subsets',
  'provisioner',
  'parameters',
  'reclaimPolicy',
  'volumeBindingMode',
  'allowVolumeExpansion',
  'allowedTopologies',
  'mountOptions',
  'revision',
  'endpoints',
  'addressType',
  'ports',
  // events.k8s.io/v1 Event
  'reportingController',
  'deprecatedSource',
  'deprecatedFirstTimestamp',
  'deprecatedLastTimestamp',
  'deprecatedCount',
  // scheduling.k8s.io/v1 PriorityClass, node.k8s.io/v1 RuntimeClass
  'value',
  'globalDefault',
  'description',
  'preemptionPolicy',
  'handler',
  'overhead',
  'scheduling',
];
const OBJECT_FIELDS = ['apiVersion', 'kind', 'metadata', ...TOP_LEVEL_FIELDS];
const META_REF = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Definition name as kube-openapi writes it: io.k8s.api.apps.v1.Deployment, com.coreos.monitoring.v1.X. */
export function definitionName(type: ResourceType): string {
  const g = type.group;
  const pkg = !g
    ? 'io.k8s.api.core'
    : g.endsWith('.k8s.io')
      ? `io.k8s.api.${g.split('.')[0]}`
      : !g.includes('.')
        ? `io.k8s.api.${g}`
        : g.split('.').reverse().join('.');
  return `${pkg}.${type.version}.${type.kind}`;
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

function objectMetaSchema(): Record<string, unknown> {
  return {
    description: 'Standard object metadata.',
    type: 'object',
    properties: {
      name: { type: 'string' },
      generateName: { type: 'string' },
      namespace: { type: 'string' },
      uid: { type: 'string' },
      resourceVersion: { type: 'string' },
      generation: { type: 'integer', format: 'int64' },
      creationTimestamp: { type: 'string', format: 'date-time' },
      deletionTimestamp: { type: 'string', format: 'date-time' },
      deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
      labels: stringMap,
      annotations: stringMap,
      ownerReferences: { type: 'array', items: { type: 'object' } },
      finalizers: { type: 'array', items: { type: 'string' } },
      managedFields: { type: 'array', items: { type: 'object' } },
      selfLink: { type: 'string' },
    },
  };
}

function kindSchema(type: ResourceType, ref: (name: string) => string): Record<string, unknown> {
  const open = Object.fromEntries(TOP_LEVEL_FIELDS.map((f) => [f, { description: `${type.kind}.${f}` }]));
  return {
    description: `${type.kind} (${apiVersionOf(type)}) as stored by the simulated API server.`,
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: ref(META_REF), description: 'Standard object metadata.' },
      ...open,
    },
    'x-kubernetes-group-version-kind': [{ group: type.group, version: type.version, kind: type.kind }],
  };
}

export function openApiV2(registry: ResourceRegistry): unknown {
  const ref = (name: string) => `#/definitions/${name}`;
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes (simulated)', version: 'v1.31.0' },
    paths: {},
    definitions: {
      [META_REF]: objectMetaSchema(),
      ...Object.fromEntries(registry.types.map((t) => [definitionName(t), kindSchema(t, ref)])),
    },
  };
}

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

function openApiV3Group(registry: ResourceRegistry, group: string, version: string): unknown {
  const ref = (name: string) => `#/components/schemas/${name}`;
  const types = registry.inGroupVersion(group, version);
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const gvk = { group: t.group, version: t.version, kind: t.kind };
    const item = t.namespaced
      ? `/${gvPath(group, version)}/namespaces/{namespace}/${t.plural}/{name}`
      : `/${gvPath(group, version)}/${t.plural}/{name}`;
    const body = {
      content: Object.fromEntries(
        ['application/json-patch+json', 'application/merge-patch+json'].map((m) => [
          m,
          { schema: { type: 'object' } },
        ]),
      ),
    };
    paths[item] = {
      patch: {
        operationId: `patch${t.namespaced ? 'Namespaced' : ''}${t.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({
          name,
          in: 'query',
          schema: { type: 'string', uniqueItems: true },
        })),
        requestBody: body,
        responses: {
          '200': {
            description: 'OK',
            content: { 'application/json': { schema: { $ref: ref(definitionName(t)) } } },
          },
        },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (simulated)', version: 'v1.31.0' },
    paths,
    components: {
      schemas: {
        [META_REF]: objectMetaSchema(),
        ...Object.fromEntries(types.map((t) => [definitionName(t), kindSchema(t, ref)])),
      },
    },
  };
}

const hashOf = (doc: unknown) => createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();

/** The OpenAPI document for a path under /openapi, or undefined when there is none. */
export function openApiDocument(path: string, registry: ResourceRegistry): unknown {
  if (path === '/openapi/v2') return openApiV2(registry);
  const gvs = new Map<string, [string, string]>();
  for (const t of registry.types) gvs.set(gvPath(t.group, t.version), [t.group, t.version]);
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    const listing: Record<string, { serverRelativeURL: string }> = {};
    for (const [p, [g, v]] of gvs)
      listing[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(openApiV3Group(registry, g, v))}` };
    return { paths: listing };
  }
  const gv = gvs.get(path.replace(/^\/openapi\/v3\//, ''));
  return gv && path.startsWith('/openapi/v3/') ? openApiV3Group(registry, gv[0], gv[1]) : undefined;
}

/** Fields `fieldValidation=Strict` rejects: top-level ones no served kind has (the server's schema, see above). */
export function strictFieldErrors(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  return Object.keys(body)
    .filter((k) => !OBJECT_FIELDS.includes(k))
    .map((k) => `unknown field "${k}"`);
}
