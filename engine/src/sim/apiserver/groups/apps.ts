import type { StatusCause } from '../ApiError.js';
import type { KubeObject } from '../KubeObject.js';
import type { ResourceType } from '../ResourceType.js';
import { matchesLabels, parseLabelSelector } from '../selectors.js';
import { cause, get, validateContainers, validateName, validateReplicas } from '../validation.js';

/** apps/v1 workloads. Only Deployments and ReplicaSets have a controller in the simulation; the rest are stored. */
export function selectorString(selector: unknown): string {
  const s = (selector ?? {}) as {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
    else if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

function validateWorkload(o: KubeObject, withReplicas: boolean): StatusCause[] {
  const causes = validateName(o);
  if (withReplicas) causes.push(...validateReplicas(get(o, 'spec.replicas'), 'spec.replicas'));
  const selector = get(o, 'spec.selector');
  const templateLabels = get(o, 'spec.template.metadata.labels') as Record<string, string> | undefined;
  const selectorText = selectorString(selector);
  if (!selector || !selectorText) {
    causes.push(cause('spec.selector', 'Required value', 'FieldValueRequired'));
  } else if (!matchesLabels(parseLabelSelector(selectorText), templateLabels)) {
    causes.push(
      cause('spec.template.metadata.labels', `Invalid value: selector does not match template labels`),
    );
  }
  causes.push(
    ...validateContainers(get(o, 'spec.template.spec.containers'), 'spec.template.spec.containers'),
  );
  return causes;
}

function defaultTemplate(o: KubeObject): void {
  const spec = (o['spec'] ??= {}) as Record<string, unknown>;
  const template = (spec['template'] ??= {}) as Record<string, unknown>;
  const podSpec = (template['spec'] ??= {}) as Record<string, unknown>;
  podSpec['restartPolicy'] ??= 'Always';
  podSpec['terminationGracePeriodSeconds'] ??= 30;
  podSpec['dnsPolicy'] ??= 'ClusterFirst';
  podSpec['schedulerName'] ??= 'default-scheduler';
}

export const APPS_RESOURCES: ResourceType[] = [
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    tracksGeneration: true,
    subresources: ['scale', 'status'],
    defaults: (o) => {
      const spec = (o['spec'] ??= {}) as Record<string, unknown>;
      spec['replicas'] ??= 1;
      spec['revisionHistoryLimit'] ??= 10;
      spec['progressDeadlineSeconds'] ??= 600;
      spec['strategy'] ??= {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      };
      defaultTemplate(o);
      o['status'] = {};
    },
    validate: (o) => validateWorkload(o, true),
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    tracksGeneration: true,
    subresources: ['scale', 'status'],
    defaults: (o) => {
      ((o['spec'] ??= {}) as Record<string, unknown>)['replicas'] ??= 1;
      defaultTemplate(o);
      o['status'] = { replicas: 0 };
    },
    validate: (o) => validateWorkload(o, true),
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    tracksGeneration: true,
    subresources: ['scale', 'status'],
    defaults: (o) => {
      ((o['spec'] ??= {}) as Record<string, unknown>)['replicas'] ??= 1;
      defaultTemplate(o);
    },
    validate: (o) => validateWorkload(o, true),
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    tracksGeneration: true,
    subresources: ['status'],
    defaults: defaultTemplate,
    validate: (o) => validateWorkload(o, false),
  },
  {
    // Stored without a controller: StatefulSet and DaemonSet history, which rollbacks and repair triage read.
    group: 'apps',
    version: 'v1',
    plural: 'controllerrevisions',
    kind: 'ControllerRevision',
    namespaced: true,
    validate: (o) => {
      const causes = validateName(o);
      if (typeof o['revision'] !== 'number')
        causes.push(cause('revision', 'Required value', 'FieldValueRequired'));
      return causes;
    },
  },
];
