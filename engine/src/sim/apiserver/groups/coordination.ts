import type { ResourceType } from '../ResourceType.js';
import { validateName } from '../validation.js';

/** coordination.k8s.io/v1 Leases: leader election of the repair loop relies on their resourceVersion conflicts. */
export const COORDINATION_RESOURCES: ResourceType[] = [
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    kind: 'Lease',
    namespaced: true,
    validate: (o) => validateName(o),
  },
];
