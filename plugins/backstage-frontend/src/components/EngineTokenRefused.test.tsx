import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { EngineApiError } from '@ai-cloudops/engine-client';
import { cloudOpsApiRef, type CloudOpsApi } from '../api/CloudOpsApi';
import type { EntityWorkloadsResponse } from '../api/types';
import { OpsApi, pending, renderOpsCards } from '../__testUtils__/opsCards';
import { WorkloadsCard } from './WorkloadsCard';

// renderInTestApp and MUI are slow on a busy shared machine.
jest.setTimeout(60_000);

// The backend's sentence when the engine refuses its token (plugins/backstage-backend engineTokenRefusal.ts).
const REFUSED =
  "the AI-CloudOps engine refused the portal's configured token (aicloudops.engine.token): unknown bearer token. " +
  "This is the portal's configuration, not your sign-in: ask the portal's administrator to set aicloudops.engine.token";

describe("the tab when the engine refuses the portal's token (the backend's 502)", () => {
  it("titles the workloads card's engine entry as the token refused, not as an engine it could not reach", async () => {
    const api = {
      getEntityWorkloads: async (): Promise<EntityWorkloadsResponse> => ({
        entityRef: 'component:default/cart',
        target: { namespace: 'shop', labelSelector: 'backstage.io/kubernetes-id=cart' },
        items: [
          { cluster: '(engine)', workloads: [], error: { name: 'EngineTokenRefusedError', message: REFUSED, statusCode: 502 } },
        ],
      }),
    } as unknown as CloudOpsApi;
    await renderInTestApp(
      <TestApiProvider apis={[[cloudOpsApiRef, api]]}>
        <WorkloadsCard entityRef={{ kind: 'Component', namespace: 'default', name: 'cart' }} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/The AI-CloudOps engine refused the portal's token/, {}, { timeout: 30_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Could not reach/)).not.toBeInTheDocument();
  });

  it("titles a refused decision as the portal's token, with the backend's sentence naming the setting", async () => {
    const refusal = new EngineApiError(502, 'EngineTokenRefusedError', REFUSED);
    const api = new OpsApi({ findings: [], approvals: [pending('a1', 'cart')] }, [], refusal);
    await renderOpsCards(api);
    const approval = await screen.findByTestId('repair-approval', {}, { timeout: 30_000 });
    fireEvent.click(within(approval).getByRole('button', { name: 'Reject' }));
    expect(
      await within(approval).findByText(/The AI-CloudOps engine refused the portal's token/, {}, { timeout: 30_000 }),
    ).toBeInTheDocument();
    expect(within(approval).getAllByText(/aicloudops\.engine\.token/).length).toBeGreaterThan(0);
  });
});
