import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { cloudOpsApiRef, type CloudOpsApi } from '../api/CloudOpsApi';
import { WorkloadsCard } from './WorkloadsCard';

// renderInTestApp and MUI are slow on a busy shared machine.
jest.setTimeout(60_000);

describe('EngineErrorPanel', () => {
  it("titles the backend's permission denial with the permission and whom to ask, not the bare 403", async () => {
    // The backend's answer to a user the policy denies aicloudops.read (router.ts), as Backstage's error handler sends it.
    const denied = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'permission aicloudops.read is denied' },
          request: { method: 'GET', url: '/entity/default/component/cart/workloads' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      ),
    );
    const api = { getEntityWorkloads: async () => Promise.reject(denied) } as unknown as CloudOpsApi;
    await renderInTestApp(
      <TestApiProvider apis={[[cloudOpsApiRef, api]]}>
        <WorkloadsCard entityRef={{ kind: 'Component', namespace: 'default', name: 'cart' }} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/Needs the aicloudops\.read permission: ask your portal admin/, {}, { timeout: 30_000 }),
    ).toBeInTheDocument();
  });
});
