import type { ResourceType } from '../ResourceType.js';
import { cause, str, validateName } from '../validation.js';

/** storage.k8s.io/v1 and core/v1 volumes: stored without a provisioner, so claims stay as they are written. */
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
