import { mockApis } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DENY, incident, OpsApi, pending, renderOpsCards as render } from '../__testUtils__/opsCards';

// renderInTestApp and MUI are slow on a busy shared machine.
jest.setTimeout(60_000);

// Its own file: usePermission caches each permission's answer for the module (SWR), so a test that ALLOWed
// aicloudops.repair.approve earlier in the same file would hand this one the cached ALLOW.
describe('EntityOpsCards for a user the permission policy denies', () => {
  it('disables approving, rejecting, acknowledging and resolving for a user the permission policy denies, naming the permission', async () => {
    const api = new OpsApi({ findings: [], approvals: [pending('a1', 'cart')] }, [incident('inc-1')]);
    const asked: string[] = [];
    const deny = mockApis.permission({
      authorize: (request) => {
        asked.push(request.permission.name);
        return DENY;
      },
    });
    await render(api, deny);
    const approval = await screen.findByTestId('repair-approval', {}, { timeout: 30_000 });
    const item = await screen.findByTestId('incident');
    const buttons = [
      within(approval).getByRole('button', { name: 'Approve' }),
      within(approval).getByRole('button', { name: 'Reject' }),
      within(item).getByRole('button', { name: 'Acknowledge' }),
      within(item).getByRole('button', { name: 'Resolve' }),
    ];
    for (const button of buttons) await waitFor(() => expect(button).toBeDisabled(), { timeout: 30_000 });
    // Disabled while usePermission asks too: the tooltip shows only once the policy's DENY is in.
    fireEvent.mouseOver(buttons[0]!.parentElement!);
    expect(await screen.findByRole('tooltip', {}, { timeout: 30_000 })).toHaveTextContent(
      'Needs the aicloudops.repair.approve permission',
    );
    for (const button of buttons) expect(button).toBeDisabled();
    fireEvent.click(buttons[0]!);
    expect(api.calls.filter((c) => c.startsWith('approve'))).toEqual([]);
    expect(asked).toEqual(expect.arrayContaining(['aicloudops.repair.approve', 'aicloudops.analysis.run']));
  });
});
