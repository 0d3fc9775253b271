import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { EntityWorkloadsResponse } from '../api/types';
import { seriousAxeViolations } from '../__testUtils__/realEngine';
import { finding, incident, OpsApi, pending, renderOpsCards as render } from '../__testUtils__/opsCards';
import { incidentsCardTestIds } from './IncidentsCard';
import { repairsCardTestIds } from './RepairsCard';

// renderInTestApp and MUI are slow on a busy shared machine.
jest.setTimeout(60_000);

/** The backend when it cannot reach the engine: the workloads list answers with its "(engine)" entry. */
class EngineDownOpsApi extends OpsApi {
  async getEntityWorkloads(ref: CompoundEntityRef): Promise<EntityWorkloadsResponse> {
    this.calls.push(`workloads ${ref.name}`);
    return {
      entityRef: 'component:default/cart-service',
      target: { namespace: 'shop', labelSelector: 'backstage.io/kubernetes-id=cart' },
      items: [
        {
          cluster: '(engine)',
          workloads: [],
          error: { name: 'Error', message: 'could not reach the engine' },
        },
      ],
    };
  }
}

describe('EntityOpsCards', () => {
  it('reads the scope again while the engine is not reached, without reloading the cards for the same scope', async () => {
    const api = new EngineDownOpsApi({ findings: [], approvals: [] }, []);
    await render(api);
    await screen.findByTestId(incidentsCardTestIds.emptyState, {}, { timeout: 30_000 });
    // Three reads of the workloads: the first and the retries after 2 s and 4 s (±20%).
    await waitFor(
      () => expect(api.calls.filter((c) => c.startsWith('workloads')).length).toBeGreaterThanOrEqual(3),
      {
        timeout: 45_000,
      },
    );
    // One call from each card: every retry found the same scope (the service name alone), so nothing reloaded.
    expect(api.scopes).toEqual([
      { namespace: 'shop', names: ['cart'] },
      { namespace: 'shop', names: ['cart'] },
    ]);
  });

  it("scopes both cards to the entity's namespace and workloads, and shows findings, the approval's diff and incidents", async () => {
    const api = new OpsApi({ findings: [finding('OOMKilled', 'cart')], approvals: [pending('a1', 'cart')] }, [
      incident('inc-1'),
    ]);
    await render(api);

    expect(
      await screen.findByText(
        'cart was OOM killed 3 times | terminated: OOMKilled | BackOff x4',
        {},
        { timeout: 30_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Pod/cart-1')).toBeInTheDocument();
    const approval = screen.getByTestId('repair-approval');
    expect(within(approval).getByText('raise-memory-limit on Deployment/cart')).toBeInTheDocument();
    expect(within(approval).getByText('Dry run: passed')).toBeInTheDocument();
    expect(
      within(approval).getByText('/spec/template/spec/containers/0/resources/limits/memory: 256Mi → 384Mi'),
    ).toBeInTheDocument();

    const card = await screen.findByTestId('incident');
    expect(within(card).getByText('[critical] CartDown on cart')).toBeInTheDocument();
    expect(
      within(card).getByText('CartLatency (firing): same-service: same service (with CartDown)'),
    ).toBeInTheDocument();
    // The opening alert's detail already begins with its kind ("opened: opened by ..." before).
    expect(within(card).getByText('CartDown (firing): opened by CartDown on cart')).toBeInTheDocument();
    expect(within(card).getByText(/root-cause analysis rca-7/)).toBeInTheDocument();

    // The namespace from the entity's annotation, the workload its selector matched and its service name (kubernetes-id).
    expect(api.scopes).toContainEqual({ namespace: 'shop', names: ['cart'] });
  });

  it('guides when there is nothing yet: the Alertmanager receiver and the repair config to paste, for this scope', async () => {
    const api = new OpsApi({ findings: [], approvals: [] }, []);
    const { container } = await render(api);
    const empty = await screen.findByTestId(incidentsCardTestIds.emptyState, {}, { timeout: 30_000 });
    expect(within(empty).getByText(/No open incident on cart/)).toBeInTheDocument();
    const receiver = screen.getByTestId(incidentsCardTestIds.sample).textContent ?? '';
    expect(receiver).toContain(
      'Each alert needs a service, app or app_kubernetes_io_name label naming one of cart.',
    );
    expect(receiver).toContain('url: http://ENGINE:8080/api/v1/alerts/webhook/alertmanager');
    expect(receiver).toContain('send_resolved: true');

    const repairs = await screen.findByTestId(repairsCardTestIds.sample);
    expect(within(repairs).getByText(/approve-mode rules' actions here/)).toBeInTheDocument();
    expect(repairs.textContent).toContain('maxMode: approve');
    // The entity's namespace (kubernetes-namespace annotation), so the engine scans where its workloads run.
    expect(repairs.textContent).toContain('namespaces: [shop]');
    expect(await seriousAxeViolations(container)).toEqual([]);
  });

  it('shows no sample once there is something to act on', async () => {
    const api = new OpsApi({ findings: [], approvals: [pending('a1', 'cart')] }, [incident('inc-1')]);
    await render(api);
    await screen.findByTestId('repair-approval', {}, { timeout: 30_000 });
    await screen.findByTestId('incident');
    expect(screen.queryByTestId(repairsCardTestIds.sample)).not.toBeInTheDocument();
    expect(screen.queryByTestId(incidentsCardTestIds.sample)).not.toBeInTheDocument();
  });

  it('approves with a comment and the approval leaves the card', async () => {
    const api = new OpsApi({ findings: [], approvals: [pending('a1', 'cart')] }, []);
    await render(api);
    const approval = await screen.findByTestId('repair-approval', {}, { timeout: 30_000 });
    fireEvent.change(within(approval).getByLabelText('Comment'), { target: { value: 'diff ok' } });
    fireEvent.click(within(approval).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(screen.queryByTestId('repair-approval')).not.toBeInTheDocument());
    expect(api.calls).toContain('approve a1 diff ok');
    expect(screen.getByText(/No action waits for approval/)).toBeInTheDocument();
  });

  it('shows the backend refusing an approval (cluster changes off) and keeps the action', async () => {
    const refusal = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'cluster changes are off: set aicloudops.proxy.allowClusterChanges',
          },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      ),
    );
    const api = new OpsApi({ findings: [], approvals: [pending('a1', 'cart')] }, [], refusal);
    await render(api);
    const approval = await screen.findByTestId('repair-approval', {}, { timeout: 30_000 });
    fireEvent.click(within(approval).getByRole('button', { name: 'Reject' }));
    expect(await within(approval).findAllByText(/aicloudops.proxy.allowClusterChanges/)).not.toHaveLength(0);
    expect(screen.getByTestId('repair-approval')).toBeInTheDocument();
  });

  it('says why the engine started no automatic RCA of an incident, in its words, in place of an analysis id', async () => {
    // Opened by a node's repair finding (labelled node=, no service: no RCA started); cart's alerts joined it later.
    const reason =
      'no automatic RCA: node sim-node-2 is not a service, and no alert of the incident names one';
    const { rcaId: _linked, ...opened } = incident('inc-node');
    const api = new OpsApi({ findings: [], approvals: [] }, [{ ...opened, rcaSkipped: reason }]);
    await render(api);
    const card = await screen.findByTestId('incident', {}, { timeout: 30_000 });
    expect(within(card).getByText(new RegExp(`· root cause: ${reason}$`))).toBeInTheDocument();
    expect(within(card).queryByText(/root-cause analysis/)).not.toBeInTheDocument();
  });

  it('acknowledges, then resolves an incident, which leaves the open list', async () => {
    const api = new OpsApi({ findings: [], approvals: [] }, [incident('inc-1')]);
    await render(api);
    const card = await screen.findByTestId('incident', {}, { timeout: 30_000 });
    fireEvent.click(within(card).getByRole('button', { name: 'Acknowledge' }));
    expect(await screen.findByText(/acknowledged by backstage/)).toBeInTheDocument();
    fireEvent.click(within(screen.getByTestId('incident')).getByRole('button', { name: 'Resolve' }));
    expect(await screen.findByText(/No open incident on cart/)).toBeInTheDocument();
    expect(api.calls.filter((c) => !c.startsWith('workloads'))).toEqual(['ack inc-1', 'resolve inc-1']);
  });

  it('says what is missing when repair is unavailable and nothing is found', async () => {
    const api = new OpsApi({ unavailable: true, capability: 'repair', message: 'no write access' }, []);
    await render(api);
    expect(
      await screen.findByText(
        'Repair is not available on this engine: no write access',
        {},
        { timeout: 30_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/No open incident on cart/)).toBeInTheDocument();
  });
});
