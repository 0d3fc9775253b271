import { ResponseError } from '@backstage/errors';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { incident, OpsApi, pending, renderOpsCards as render } from '../__testUtils__/opsCards';

// renderInTestApp and MUI are slow on a busy shared machine.
jest.setTimeout(60_000);

async function cards(api: OpsApi) {
  await render(api);
  const approval = await screen.findByTestId('repair-approval', {}, { timeout: 30_000 });
  const item = await screen.findByTestId('incident');
  return {
    approve: within(approval).getByRole('button', { name: 'Approve' }),
    reject: within(approval).getByRole('button', { name: 'Reject' }),
    acknowledge: within(item).getByRole('button', { name: 'Acknowledge' }),
    resolve: within(item).getByRole('button', { name: 'Resolve' }),
  };
}

describe('EntityOpsCards while the backend refuses cluster changes (aicloudops.proxy.allowClusterChanges off)', () => {
  it('disables Approve with a tooltip naming the setting, and leaves the actions that change no cluster', async () => {
    const api = new OpsApi({ findings: [], approvals: [pending('a1', 'cart')] }, [incident('inc-1')]);
    api.portal = { clusterChanges: false };
    const { approve, reject, acknowledge, resolve } = await cards(api);
    await waitFor(() => expect(approve).toBeDisabled(), { timeout: 30_000 });
    fireEvent.mouseOver(approve.parentElement!);
    const tooltip = await screen.findByRole('tooltip', {}, { timeout: 30_000 });
    expect(tooltip).toHaveTextContent("The portal's administrator has turned cluster changes off");
    expect(tooltip).toHaveTextContent('aicloudops.proxy.allowClusterChanges');
    for (const button of [reject, acknowledge, resolve]) expect(button).toBeEnabled();

    fireEvent.click(approve);
    fireEvent.click(acknowledge);
    await waitFor(() => expect(api.calls).toContain('ack inc-1'));
    expect(api.calls.filter((c) => c.startsWith('approve'))).toEqual([]);
  });

  it('offers Approve as before when the settings cannot be read (a transient error hides nothing)', async () => {
    const api = new OpsApi({ findings: [], approvals: [pending('a1', 'cart')] }, [incident('inc-1')]);
    api.portal = await ResponseError.fromResponse(
      new Response(JSON.stringify({ error: { name: 'Error', message: 'bad gateway' }, response: { statusCode: 502 } }), {
        status: 502,
        headers: { 'content-type': 'application/json' },
      }),
    );
    const { approve } = await cards(api);
    await waitFor(() => expect(api.calls).toContain('settings'));
    await waitFor(() => expect(approve).toBeEnabled(), { timeout: 30_000 });
    fireEvent.click(approve);
    await waitFor(() => expect(api.calls).toContain('approve a1'));
  });
});
