import type { KubeObject } from '../KubeObject.js';
import type { ResourceType } from '../ResourceType.js';
import { cause, str, validateContainers, validateName } from '../validation.js';

/** A stable address in the default service CIDR (10.96.0.0/12), derived from the name. */
export function clusterIpFor(namespace: string, name: string): string {
  let h = 0x811c9dc5;
  for (const ch of `${namespace}/${name}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `10.96.${(h >>> 8) % 256}.${(h % 253) + 2}`;
}

/** Stored without a controller, so tools that list them (Backstage's Kubernetes plugin, kubectl) get real answers. */
const STORED_KINDS = {
  limitranges: 'LimitRange',
  resourcequotas: 'ResourceQuota',
  serviceaccounts: 'ServiceAccount',
  secrets: 'Secret',
  endpoints: 'Endpoints',
  persistentvolumeclaims: 'PersistentVolumeClaim',
} as const;

/** core/v1: the resources the engine reads for health, events and logs. */
export const CORE_RESOURCES: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    fields: { 'status.phase': (o) => str(o, 'status.phase') },
    defaults: (o) => {
      o['status'] = { phase: 'Active' };
      o.metadata.labels = { ...o.metadata.labels, 'kubernetes.io/metadata.name': o.metadata.name };
    },
    validate: (o) => validateName(o, true),
  },
  {
    group: '',
    version: 'v1',
    plural: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    fields: {
      'spec.unschedulable': (o) => String(Boolean((o['spec'] as { unschedulable?: boolean })?.unschedulable)),
    },
    validate: (o) => validateName(o),
  },
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    subresources: ['log', 'status', 'eviction'],
    fields: {
      'status.phase': (o) => str(o, 'status.phase'),
      'spec.nodeName': (o) => str(o, 'spec.nodeName'),
      'spec.restartPolicy': (o) => str(o, 'spec.restartPolicy'),
      'spec.serviceAccountName': (o) => str(o, 'spec.serviceAccountName'),
      'status.podIP': (o) => str(o, 'status.podIP'),
    },
    defaults: (o) => {
      const spec = (o['spec'] ??= {}) as Record<string, unknown>;
      spec['restartPolicy'] ??= 'Always';
      spec['terminationGracePeriodSeconds'] ??= 30;
      spec['schedulerName'] ??= 'default-scheduler';
      o['status'] = { phase: 'Pending', qosClass: 'Burstable' };
    },
    validate: (o) => [
      ...validateName(o),
      ...validateContainers(
        o['spec'] && (o['spec'] as Record<string, unknown>)['containers'],
        'spec.containers',
      ),
    ],
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    defaults: (o) => {
      const spec = (o['spec'] ??= {}) as Record<string, unknown>;
      spec['type'] ??= 'ClusterIP';
      spec['sessionAffinity'] ??= 'None';
      spec['clusterIP'] ??= clusterIpFor(o.metadata.namespace ?? '', o.metadata.name);
    },
    validate: (o) => {
      const causes = validateName(o, true);
      const ports = (o['spec'] as Record<string, unknown> | undefined)?.['ports'];
      if (!Array.isArray(ports) || ports.length === 0)
        causes.push(cause('spec.ports', 'Required value', 'FieldValueRequired'));
      return causes;
    },
  },
  {
    group: '',
    version: 'v1',
    plural: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    fields: {
      'involvedObject.name': (o) => str(o, 'involvedObject.name'),
      'involvedObject.kind': (o) => str(o, 'involvedObject.kind'),
      'involvedObject.namespace': (o) => str(o, 'involvedObject.namespace'),
      'involvedObject.uid': (o) => str(o, 'involvedObject.uid'),
      'involvedObject.fieldPath': (o) => str(o, 'involvedObject.fieldPath'),
      'involvedObject.apiVersion': (o) => str(o, 'involvedObject.apiVersion'),
      'involvedObject.resourceVersion': (o) => str(o, 'involvedObject.resourceVersion'),
      type: (o) => str(o, 'type'),
      reason: (o) => str(o, 'reason'),
      source: (o) => str(o, 'source.component'),
      reportingComponent: (o) => str(o, 'reportingComponent'),
    },
    validate: (o) => {
      const causes = validateName(o);
      if (!str(o, 'involvedObject.name'))
        causes.push(cause('involvedObject.name', 'Required value', 'FieldValueRequired'));
      return causes;
    },
  },
  ...(
    [
      'limitranges',
      'resourcequotas',
      'serviceaccounts',
      'secrets',
      'endpoints',
      'persistentvolumeclaims',
    ] as const
  ).map((plural): ResourceType => ({
    group: '',
    version: 'v1',
    plural,
    kind: STORED_KINDS[plural],
    namespaced: true,
    validate: (o) => validateName(o),
    // kube-apiserver's defaulting: a Secret without a type is Opaque.
    ...(plural === 'secrets' ? { defaults: (o: KubeObject) => void (o['type'] ??= 'Opaque') } : {}),
  })),
  {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    validate: (o) => validateName(o),
  },
];
