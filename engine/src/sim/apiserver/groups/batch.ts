import type { ResourceType } from '../ResourceType.js';
import { validateName } from '../validation.js';

/** batch/v1 and networking.k8s.io/v1: stored without controllers, for tools that list them alongside workloads. */
export const BATCH_AND_NETWORKING_RESOURCES: ResourceType[] = [
  {
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    kind: 'Job',
    namespaced: true,
    tracksGeneration: true,
    subresources: ['status'],
    validate: (o) => validateName(o),
  },
  {
    group: 'batch',
    version: 'v1',
    plural: 'cronjobs',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    tracksGeneration: true,
    subresources: ['status'],
    validate: (o) => validateName(o),
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
    shortNames: ['ing'],
    tracksGeneration: true,
    subresources: ['status'],
    validate: (o) => validateName(o),
  },
];
