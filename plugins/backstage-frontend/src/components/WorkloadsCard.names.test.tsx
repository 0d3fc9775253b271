import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { cloudOpsApiRef, type CloudOpsApi } from '../api/CloudOpsApi';
import type { EntityWorkloadsResponse, WorkloadHealth } from '../api/types';
import { WorkloadsCard } from './WorkloadsCard';

const payment: WorkloadHealth = {
  kind: 'Deployment',
  namespace: 'shop',
  name: 'payment',
  cluster: 'simulated',
  labels: { 'backstage.io/kubernetes-id': 'payment' },
  annotations: {},
  selector: 'app=payment',
  replicas: 2,
  readyReplicas: 2,
  updatedReplicas: 2,
  availableReplicas: 2,
  images: ['shop-payment:1'],
  generation: 1,
  observedGeneration: 1,
  conditions: [],
  health: 'healthy',
  reasons: [],
  pods: [
    {
      namespace: 'shop',
      name: 'payment-cmskcrc-7dz8k',
      labels: {},
      phase: 'Running',
      ready: true,
      restarts: 0,
      containers: [
        { name: 'payment', image: 'shop-payment:1', ready: true, restartCount: 0, state: 'running' },
      ],
      conditions: [],
    },
  ],
};

const api = {
  getEntityWorkloads: async (): Promise<EntityWorkloadsResponse> => ({
    entityRef: 'component:default/payment',
    target: { namespace: 'shop', labelSelector: 'backstage.io/kubernetes-id=payment' },
    items: [{ cluster: 'simulated', workloads: [payment] }],
  }),
} as unknown as CloudOpsApi;

describe('WorkloadsCard names', () => {
  it('keeps workload and pod names on one line instead of breaking them mid-word', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[cloudOpsApiRef, api]]}>
        <WorkloadsCard entityRef={{ kind: 'Component', namespace: 'default', name: 'payment' }} />
      </TestApiProvider>,
    );
    const cells = [
      await screen.findByText('Deployment/payment'),
      screen.getByText('payment-cmskcrc-7dz8k'),
      // The pods table's workload column.
      screen.getByText('payment', { selector: 'td' }),
    ];
    for (const cell of cells) {
      expect(cell.closest('td')).toHaveStyle({
        whiteSpace: 'nowrap',
        wordBreak: 'keep-all',
        overflowWrap: 'normal',
      });
    }
    // The reason columns still wrap: they hold sentences.
    expect(screen.getAllByText('—')[0]!.closest('td')).not.toHaveStyle({ whiteSpace: 'nowrap' });
  });
});
