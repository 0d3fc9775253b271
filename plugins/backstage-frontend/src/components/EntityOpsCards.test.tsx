import type { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { CloudOpsApi, EntityRepairs } from '../api/CloudOpsApi';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import type {
  EntityScope,
  EntityWorkloadsResponse,
  FindingDto,
  IncidentDto,
  RepairActionDto,
  Unavailable,
} from '../api/types';
import { seriousAxeViolations } from '../__testUtils__/realEngine';
import { EntityOpsCards } from './EntityOpsCards';
import { incidentsCardTestIds } from './IncidentsCard';
import { repairsCardTestIds } from './RepairsCard';

// renderInTestApp and MUI are slow on a busy shared machine.
jest.setTimeout(60_000);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'cart', 'backstage.io/kubernetes-namespace': 'shop' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'shop-team' },
};

function finding(type: FindingDto['type'], name: string): FindingDto {
  const pod = { kind: 'Pod', namespace: 'shop', name: `${name}-1` };
  return {
    fingerprint: `${type}/${name}`,
    type,
    object: pod,
    owners: [],
    workload: { kind: 'Deployment', namespace: 'shop', name },
    evidence: {
      statuses: ['terminated: OOMKilled'],
      events: [{ type: 'Warning', reason: 'BackOff', message: 'Back-off', count: 4, object: pod }],
      logTail: [],
    },
    since: '2026-12-06T10:00:00Z',
    heldSeconds: 300,
    severity: 'critical',
    message: `${name} was OOM killed 3 times`,
    details: {},
  };
}

function pending(id: string, name: string): RepairActionDto {
  return {
    id,
    state: 'awaiting-approval',
    planned: {
      type: 'raise-memory-limit',
      target: { kind: 'Deployment', namespace: 'shop', name },
      params: {},
      mode: 'approve',
      ruleId: 'oom-raise-memory',
      ruleVersion: 1,
      findingFingerprint: `OOMKilled/${name}`,
      reason: 'OOMKilled 3 times in 10 minutes',
    },
    finding: finding('OOMKilled', name),
    createdAt: '2026-12-06T10:05:00Z',
    updatedAt: '2026-12-06T10:05:00Z',
    dryRun: {
      ok: true,
      at: '2026-12-06T10:05:01Z',
      diff: [
        { path: '/spec/template/spec/containers/0/resources/limits/memory', before: '256Mi', after: '384Mi' },
      ],
    },
    approval: { requestedAt: '2026-12-06T10:05:01Z', expiresAt: '2099-01-01T00:00:00Z' },
  };
}

function incident(id: string): IncidentDto {
  const alert = (alertname: string, reason: IncidentDto['alerts'][number]['reason']) => ({
    fingerprint: `fp-${alertname}`,
    status: 'firing' as const,
    labels: { alertname, service: 'cart', namespace: 'shop' },
    annotations: {},
    startsAt: '2026-12-06T10:00:00Z',
    source: 'alertmanager',
    flapping: false,
    firstSeenAt: '2026-12-06T10:00:00Z',
    lastSeenAt: '2026-12-06T10:00:00Z',
    reason,
  });
  return {
    id,
    status: 'open',
    title: 'CartDown on cart',
    severity: 'critical',
    openedAt: '2026-12-06T10:00:00Z',
    updatedAt: '2026-12-06T10:00:00Z',
    services: ['cart'],
    truncatedAlerts: 0,
    rcaId: 'rca-7',
    alerts: [
      alert('CartDown', { kind: 'opened', detail: 'opened by CartDown on cart' }),
      alert('CartLatency', { kind: 'same-service', joinedTo: 'fp-CartDown', detail: 'same service' }),
    ],
  };
}

/** Records what the cards ask for and answers from per-test state; decisions change that state as the engine would. */
class OpsApi implements CloudOpsApi {
  calls: string[] = [];
  // Not used by these cards: the knowledge page has its own test against a real engine.
  knowledgeDocument = async () => undefined;
  scopes: EntityScope[] = [];
  constructor(
    public repairs: EntityRepairs | Unavailable,
    public incidents: IncidentDto[] | Unavailable,
    private readonly refuseDecisions?: Error,
  ) {}

  async getEntityWorkloads(ref: CompoundEntityRef): Promise<EntityWorkloadsResponse> {
    this.calls.push(`workloads ${ref.name}`);
    return {
      entityRef: 'component:default/cart-service',
      target: { namespace: 'shop', labelSelector: 'backstage.io/kubernetes-id=cart' },
      items: [
        {
          cluster: 'simulated',
          workloads: [{ name: 'cart' } as EntityWorkloadsResponse['items'][number]['workloads'][number]],
        },
      ],
    };
  }
  async getRepairs(scope: EntityScope) {
    this.scopes.push(scope);
    return this.repairs;
  }
  async decideRepair(id: string, decision: 'approve' | 'reject', comment?: string) {
    this.calls.push(`${decision} ${id} ${comment ?? ''}`.trim());
    if (this.refuseDecisions) throw this.refuseDecisions;
    const repairs = this.repairs as EntityRepairs;
    const action = repairs.approvals.find((a) => a.id === id)!;
    this.repairs = { ...repairs, approvals: repairs.approvals.filter((a) => a.id !== id) };
    return { ...action, state: decision === 'approve' ? 'approved' : 'rejected' };
  }
  async getIncidents(scope: EntityScope) {
    this.scopes.push(scope);
    return this.incidents;
  }
  async updateIncident(id: string, action: 'ack' | 'resolve') {
    this.calls.push(`${action} ${id}`);
    const list = this.incidents as IncidentDto[];
    const current = list.find((i) => i.id === id)!;
    const next: IncidentDto =
      action === 'ack'
        ? { ...current, acknowledgedAt: '2026-12-06T10:02:00Z', acknowledgedBy: 'backstage' }
        : { ...current, status: 'resolved' };
    this.incidents = list.map((i) => (i.id === id ? next : i)).filter((i) => i.status === 'open');
    return next;
  }
  async runRca(): Promise<never> {
    throw new Error('not used');
  }
  async startRca(): Promise<never> {
    throw new Error('not used');
  }
  async job(): Promise<never> {
    throw new Error('not used');
  }
  // eslint-disable-next-line require-yield
  async *jobEvents(): AsyncGenerator<never> {
    throw new Error('not used');
  }
  async forecast(): Promise<never> {
    throw new Error('not used');
  }
  async scalePlan(): Promise<never> {
    throw new Error('not used');
  }
  async signals(): Promise<never> {
    throw new Error('not used');
  }
  async startBacktest(): Promise<never> {
    throw new Error('not used');
  }
  async ask(): Promise<never> {
    throw new Error('not used');
  }
  // eslint-disable-next-line require-yield
  async *askStream(): AsyncGenerator<never> {
    throw new Error('not used');
  }
}

async function render(api: CloudOpsApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[cloudOpsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityOpsCards />
      </EntityProvider>
    </TestApiProvider>,
  );
}

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
