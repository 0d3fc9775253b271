import type { ResourceType } from '../ResourceType.js';
import type { KubeObject } from '../KubeObject.js';
import { cause, get, str, validateName } from '../validation.js';

const FS_GROUP_POLICIES = ['ReadWriteOnceWithFSType', 'File', 'None'];
const LIFECYCLE_MODES = ['Persistent', 'Ephemeral'];

/** kube-apiserver's CSIDriver defaulting: what a driver that says nothing about these gets. */
function defaultCsiDriver(o: KubeObject): void {
  const spec = (o['spec'] ??= {}) as Record<string, unknown>;
  spec['attachRequired'] ??= true;
  spec['podInfoOnMount'] ??= false;
  spec['requiresRepublish'] ??= false;
  spec['storageCapacity'] ??= false;
  spec['seLinuxMount'] ??= false;
  spec['fsGroupPolicy'] ??= 'ReadWriteOnceWithFSType';
  spec['volumeLifecycleModes'] ??= ['Persistent'];
}

/**
 * storage.k8s.io/v1 and core/v1 volumes: stored without a provisioner, so claims stay as they are written; CSIDrivers
 * are stored without a driver behind them.
 */
export const STORAGE_RESOURCES: ResourceType[] = [
  {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    kind: 'StorageClass',
    namespaced: false,
    shortNames: ['sc'],
    defaults: (o) => {
      o['reclaimPolicy'] ??= 'Delete';
      o['volumeBindingMode'] ??= 'Immediate';
    },
    validate: (o) => {
      const causes = validateName(o);
      if (!str(o, 'provisioner')) causes.push(cause('provisioner', 'Required value', 'FieldValueRequired'));
      return causes;
    },
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'csidrivers',
    kind: 'CSIDriver',
    namespaced: false,
    defaults: defaultCsiDriver,
    validate: (o) => {
      const causes = validateName(o);
      // A CSI driver name is also a label value elsewhere, so it is limited to 63 characters.
      if (!causes.length && o.metadata.name.length > 63)
        causes.push(cause('metadata.name', `Too long: may not be more than 63 bytes`, 'FieldValueTooLong'));
      const policy = str(o, 'spec.fsGroupPolicy');
      if (policy !== undefined && !FS_GROUP_POLICIES.includes(policy))
        causes.push(
          cause(
            'spec.fsGroupPolicy',
            `Unsupported value: "${policy}": supported values: "File", "None", "ReadWriteOnceWithFSType"`,
            'FieldValueNotSupported',
          ),
        );
      const modes = get(o, 'spec.volumeLifecycleModes');
      if (Array.isArray(modes))
        modes.forEach((m: unknown, i) => {
          if (typeof m !== 'string' || !LIFECYCLE_MODES.includes(m))
            causes.push(
              cause(
                `spec.volumeLifecycleModes[${i}]`,
                `Unsupported value: ${JSON.stringify(m)}: supported values: "Ephemeral", "Persistent"`,
                'FieldValueNotSupported',
              ),
            );
        });
      return causes;
    },
  },
  {
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
    shortNames: ['pv'],
    fields: { 'spec.storageClassName': (o) => str(o, 'spec.storageClassName') },
    validate: (o) => validateName(o),
  },
];
