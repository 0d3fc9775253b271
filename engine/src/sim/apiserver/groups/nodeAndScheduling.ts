import type { ResourceType } from '../ResourceType.js';
import { cause, get, str, validateName } from '../validation.js';

/** The highest value a PriorityClass not named `system-*` may have (kube-apiserver's HighestUserDefinablePriority). */
const HIGHEST_USER_PRIORITY = 1_000_000_000;
const INT32_MAX = 2 ** 31 - 1;

/**
 * scheduling.k8s.io/v1 PriorityClasses and node.k8s.io/v1 RuntimeClasses: stored without a controller (the
 * simulated scheduler does not preempt, the kubelets have one runtime), so tools that list or apply them work.
 */
export const NODE_AND_SCHEDULING_RESOURCES: ResourceType[] = [
  {
    group: 'scheduling.k8s.io',
    version: 'v1',
    plural: 'priorityclasses',
    kind: 'PriorityClass',
    namespaced: false,
    shortNames: ['pc'],
    defaults: (o) => {
      o['preemptionPolicy'] ??= 'PreemptLowerPriority';
    },
    validate: (o) => {
      const causes = validateName(o);
      const name = o.metadata?.name ?? '';
      const value = o['value'];
      // The schema marks value required; a missing value is refused rather than read as 0.
      if (value === undefined || value === null)
        causes.push(cause('value', 'Required value', 'FieldValueRequired'));
      else if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value > INT32_MAX ||
        value < -INT32_MAX - 1
      )
        causes.push(cause('value', `Invalid value: ${JSON.stringify(value)}: must be a 32-bit integer`));
      else if (value > HIGHEST_USER_PRIORITY && !name.startsWith('system-'))
        causes.push(
          cause('value', `Invalid value: ${value}: must not be greater than ${HIGHEST_USER_PRIORITY}`),
        );
      if (name.startsWith('system-') && !['system-cluster-critical', 'system-node-critical'].includes(name))
        causes.push(
          cause(
            'metadata.name',
            `Invalid value: "${name}": priority class names with 'system-' prefix are reserved`,
          ),
        );
      const policy = str(o, 'preemptionPolicy');
      if (policy !== undefined && policy !== 'PreemptLowerPriority' && policy !== 'Never')
        causes.push(
          cause(
            'preemptionPolicy',
            `Unsupported value: "${policy}": supported values: "Never", "PreemptLowerPriority"`,
            'FieldValueNotSupported',
          ),
        );
      const globalDefault = get(o, 'globalDefault');
      if (globalDefault !== undefined && typeof globalDefault !== 'boolean')
        causes.push(
          cause('globalDefault', `Invalid value: ${JSON.stringify(globalDefault)}: must be a boolean`),
        );
      return causes;
    },
  },
  {
    group: 'node.k8s.io',
    version: 'v1',
    plural: 'runtimeclasses',
    kind: 'RuntimeClass',
    namespaced: false,
    validate: (o) => {
      const causes = validateName(o);
      const handler = str(o, 'handler');
      if (!handler) causes.push(cause('handler', 'Required value', 'FieldValueRequired'));
      else if (handler.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(handler))
        causes.push(
          cause(
            'handler',
            `Invalid value: "${handler}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
          ),
        );
      return causes;
    },
  },
];
