import type { ResourceType } from '../ResourceType.js';
import { cause, get, validateName } from '../validation.js';

/** autoscaling/v2 HorizontalPodAutoscalers (status is kept by the controller; scaling decisions are the engine's). */
export const AUTOSCALING_RESOURCES: ResourceType[] = [
  {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    tracksGeneration: true,
    subresources: ['status'],
    defaults: (o) => {
      ((o['spec'] ??= {}) as Record<string, unknown>)['minReplicas'] ??= 1;
    },
    validate: (o) => {
      const causes = validateName(o);
      const min = get(o, 'spec.minReplicas');
      const max = get(o, 'spec.maxReplicas');
      if (typeof max !== 'number' || max < 1)
        causes.push(cause('spec.maxReplicas', 'Invalid value: must be greater than or equal to 1'));
      if (typeof min === 'number' && typeof max === 'number' && min > max) {
        causes.push(cause('spec.minReplicas', 'Invalid value: must be less than or equal to maxReplicas'));
      }
      if (!get(o, 'spec.scaleTargetRef.name'))
        causes.push(cause('spec.scaleTargetRef.name', 'Required value', 'FieldValueRequired'));
      return causes;
    },
  },
];
