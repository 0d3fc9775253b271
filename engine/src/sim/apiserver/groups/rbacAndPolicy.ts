import type { StatusCause } from '../ApiError.js';
import type { KubeObject } from '../KubeObject.js';
import type { ResourceType } from '../ResourceType.js';
import { cause, get, str, validateName } from '../validation.js';

/**
 * What a deployment of the engine itself creates beside workloads (provisioning/kubernetes): RBAC, PodDisruptionBudgets,
 * NetworkPolicies and the Prometheus Operator's ServiceMonitor (as on a cluster where its CRDs are installed).
 * Stored without controllers; validated for the fields the real API server requires, so a server-side dry run of the
 * manifests fails here where it would fail on a cluster.
 */
export const RBAC_AND_POLICY_RESOURCES: ResourceType[] = [
  rbac('roles', 'Role', true, validateRules),
  rbac('clusterroles', 'ClusterRole', false, validateRules),
  rbac('rolebindings', 'RoleBinding', true, validateBinding),
  rbac('clusterrolebindings', 'ClusterRoleBinding', false, validateBinding),
  {
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    tracksGeneration: true,
    subresources: ['status'],
    validate: (o) => {
      const causes = validateName(o);
      const min = get(o, 'spec.minAvailable');
      const max = get(o, 'spec.maxUnavailable');
      if (min !== undefined && max !== undefined) {
        causes.push(cause('spec', 'Invalid value: minAvailable and maxUnavailable cannot be both set'));
      }
      return causes;
    },
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
    shortNames: ['netpol'],
    tracksGeneration: true,
    validate: (o) => {
      const causes = validateName(o);
      if (typeof get(o, 'spec.podSelector') !== 'object') {
        causes.push(cause('spec.podSelector', 'Required value', 'FieldValueRequired'));
      }
      return causes;
    },
  },
  {
    group: 'monitoring.coreos.com',
    version: 'v1',
    plural: 'servicemonitors',
    kind: 'ServiceMonitor',
    namespaced: true,
    shortNames: ['smon'],
    tracksGeneration: true,
    validate: (o) => {
      const causes = validateName(o);
      if (typeof get(o, 'spec.selector') !== 'object')
        causes.push(cause('spec.selector', 'Required value', 'FieldValueRequired'));
      return causes;
    },
  },
];

function rbac(
  plural: string,
  kind: string,
  namespaced: boolean,
  validate: (o: KubeObject) => StatusCause[],
): ResourceType {
  return {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural,
    kind,
    namespaced,
    validate: (o) => [...validateName(o), ...validate(o)],
  };
}

/** Each rule names verbs and either resources (with apiGroups) or nonResourceURLs, as the RBAC validation requires. */
function validateRules(o: KubeObject): StatusCause[] {
  const rules = get(o, 'rules');
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) return [cause('rules', 'Invalid value: must be a list')];
  const causes: StatusCause[] = [];
  rules.forEach((rule: Record<string, unknown>, i) => {
    if (!Array.isArray(rule['verbs']) || rule['verbs'].length === 0) {
      causes.push(
        cause(
          `rules[${i}].verbs`,
          'Required value: verbs must contain at least one value',
          'FieldValueRequired',
        ),
      );
    }
    const urls = Array.isArray(rule['nonResourceURLs']) && rule['nonResourceURLs'].length > 0;
    if (!urls && (!Array.isArray(rule['resources']) || rule['resources'].length === 0)) {
      causes.push(
        cause(
          `rules[${i}].resources`,
          'Required value: resource rules must supply at least one resource',
          'FieldValueRequired',
        ),
      );
    }
    if (!urls && !Array.isArray(rule['apiGroups'])) {
      causes.push(
        cause(
          `rules[${i}].apiGroups`,
          'Required value: resource rules must supply at least one api group',
          'FieldValueRequired',
        ),
      );
    }
  });
  return causes;
}

function validateBinding(o: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (str(o, 'roleRef.apiGroup') !== 'rbac.authorization.k8s.io') {
    causes.push(
      cause(
        'roleRef.apiGroup',
        'Unsupported value: must be "rbac.authorization.k8s.io"',
        'FieldValueNotSupported',
      ),
    );
  }
  const kind = str(o, 'roleRef.kind');
  const allowed = o.kind === 'ClusterRoleBinding' ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kind || !allowed.includes(kind)) {
    causes.push(
      cause(
        'roleRef.kind',
        `Unsupported value: "${kind}": supported values: ${allowed.map((k) => `"${k}"`).join(', ')}`,
        'FieldValueNotSupported',
      ),
    );
  }
  if (!str(o, 'roleRef.name')) causes.push(cause('roleRef.name', 'Required value', 'FieldValueRequired'));
  const subjects = get(o, 'subjects');
  if (Array.isArray(subjects)) {
    subjects.forEach((s: Record<string, unknown>, i) => {
      if (!['ServiceAccount', 'User', 'Group'].includes(String(s['kind']))) {
        causes.push(
          cause(`subjects[${i}].kind`, `Unsupported value: "${String(s['kind'])}"`, 'FieldValueNotSupported'),
        );
      }
      if (!s['name']) causes.push(cause(`subjects[${i}].name`, 'Required value', 'FieldValueRequired'));
      if (s['kind'] === 'ServiceAccount' && !s['namespace']) {
        causes.push(cause(`subjects[${i}].namespace`, 'Required value', 'FieldValueRequired'));
      }
    });
  }
  return causes;
}
