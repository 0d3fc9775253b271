import { describe, expect, it } from 'vitest';
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { NOW, ago } from '../../../test/fixtures/repair/kubeObjects.js';
import { hpaAtMaxDetector, utilisationRatio } from './hpaAtMaxDetector.js';

function hpa(o: {
  current: number;
  min?: number;
  max?: number;
  utilisation: number;
  limitedAgo?: number;
  reason?: string;
}): V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'store' },
    spec: {
      minReplicas: o.min ?? 4,
      maxReplicas: o.max ?? 10,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } },
        },
      ],
    },
    status: {
      currentReplicas: o.current,
      desiredReplicas: o.current,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: o.utilisation } } },
      ],
      conditions: [
        { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' },
        {
          type: 'ScalingLimited',
          status: 'True',
          reason: o.reason ?? 'TooManyReplicas',
          lastTransitionTime: ago(o.limitedAgo ?? 3120),
        },
      ],
    },
  } as unknown as V2HorizontalPodAutoscaler;
}

describe('hpaAtMaxDetector', () => {
  it('finds an HPA pinned at max for long with utilisation above target', () => {
    const [finding] = hpaAtMaxDetector.detect(
      { horizontalPodAutoscalers: [hpa({ current: 10, utilisation: 92 })] },
      NOW,
    );
    expect(finding!.type).toBe('HpaAtMax');
    expect(finding!.owners).toEqual([{ kind: 'Deployment', namespace: 'store', name: 'web' }]);
    expect(finding!.details.hpa).toMatchObject({ maxReplicas: 10, currentReplicas: 10 });
    expect(finding!.details.hpa!.utilisationRatio).toBeCloseTo(92 / 65);
    expect(finding!.heldSeconds).toBe(3120);
  });

  it('ignores an HPA at max only briefly, at max with low load, at its minimum, or pinned min = max', () => {
    const cases = [
      hpa({ current: 10, utilisation: 92, limitedAgo: 120 }),
      hpa({ current: 10, utilisation: 40 }),
      hpa({ current: 4, utilisation: 10, reason: 'TooFewReplicas' }),
      hpa({ current: 6, min: 6, max: 6, utilisation: 92 }),
    ];
    for (const h of cases)
      expect(hpaAtMaxDetector.detect({ horizontalPodAutoscalers: [h] }, NOW)).toHaveLength(0);
  });

  it('reads value targets as well as utilisation', () => {
    const h = hpa({ current: 10, utilisation: 92 });
    h.spec!.metrics = [
      {
        type: 'Pods',
        pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } },
      },
    ];
    h.status!.currentMetrics = [
      { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '150' } } },
    ];
    expect(utilisationRatio(h)).toBeCloseTo(1.5);
  });
});
