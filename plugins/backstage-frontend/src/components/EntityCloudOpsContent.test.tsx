import type { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { cloudOpsApiRef, type AskStreamEvent, type CloudOpsApi } from '../api/CloudOpsApi';
import type {
  Answer,
  EntityWorkloadsResponse,
  ForecastResponse,
  IncidentDto,
  JobRecordDto,
  RcaCandidate,
  RcaResult,
  RepairActionDto,
  SignalCatalog,
  Unavailable,
  WorkloadHealth,
} from '../api/types';
import { EntityCloudOpsContent as RoutableContent } from '../plugin';
import { seriousAxeViolations } from '../__testUtils__/realEngine';
import { EntityCloudOpsContent } from './EntityCloudOpsContent';
import { ENGINE_ENTRY, workloadsCardTestIds } from './WorkloadsCard';
import { QUESTION_MAX_CHARS } from './AssistantCard';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'cart', namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'shop-team' },
  };
}

function workload(name: string, health: WorkloadHealth['health'], restarts: number, reason?: string): WorkloadHealth {
  return {
    kind: 'Deployment',
    namespace: 'shop',
    name,
    cluster: 'simulated',
    labels: { 'backstage.io/kubernetes-id': name },
    annotations: {},
    selector: `app=${name}`,
    replicas: 2,
    readyReplicas: health === 'healthy' ? 2 : 1,
    updatedReplicas: 2,
    availableReplicas: health === 'healthy' ? 2 : 1,
    images: [`shop-${name}:1`],
    generation: 1,
    observedGeneration: 1,
    conditions: [],
    health,
    reasons: health === 'healthy' ? [] : [`pod ${name}-1: ${reason} (restarts ${restarts})`],
    pods: [
      {
        namespace: 'shop',
        name: `${name}-1`,
        labels: {},
        phase: 'Running',
        ready: health === 'healthy',
        restarts,
        containers: [
          {
            name,
            image: `shop-${name}:1`,
            ready: health === 'healthy',
            restartCount: restarts,
            state: reason ? 'waiting' : 'running',
            ...(reason ? { reason } : {}),
          },
        ],
        conditions: [],
      },
    ],
  };
}

const T0 = 1_700_000_000;

function candidate(service: string, signal: string, faultType: string, score: number, evidence: Partial<RcaCandidate['evidence']> = {}): RcaCandidate {
  return { service, signal, faultType, score, evidence: { metrics: [], logs: [], events: [], changes: [], ...evidence } };
}

/** A test implementation of the page's API: records calls and answers from data given per test. */
class TestCloudOpsApi implements CloudOpsApi {
  calls: string[] = [];
  constructor(private readonly data: { workloads: EntityWorkloadsResponse; forecastAvailable: boolean }) {}
  // Not used by these cards: the knowledge page has its own test against a real engine.
  knowledgeDocument = async () => undefined;
  // The backend's default: cluster changes off.
  settings = async () => ({ clusterChanges: false });

  async getEntityWorkloads(ref: CompoundEntityRef) {
    this.calls.push(`workloads ${ref.kind}:${ref.namespace}/${ref.name}`);
    return this.data.workloads;
  }
  private rcaRequest?: { namespace?: string; service: string };
  private job_(status: JobRecordDto['status'], result?: RcaResult): JobRecordDto {
    return { id: 'j1', kind: 'rca', status, progress: status === 'running' ? 0.5 : 1, message: status === 'running' ? 'scoring' : status, params: {}, createdAt: '', ...(result ? { result } : {}) };
  }
  async startRca(request: { namespace?: string; service: string }) {
    this.calls.push(`rca ${request.namespace}/${request.service}`);
    this.rcaRequest = request;
    return this.job_('queued');
  }
  async job() {
    return this.job_('succeeded', await this.runRca(this.rcaRequest!));
  }
  /** The engine's job stream: the current record, a progress update, then the final record. */
  async *jobEvents() {
    yield this.job_('running');
    yield this.job_('succeeded', await this.runRca(this.rcaRequest!));
  }
  async runRca(request: { namespace?: string; service: string }, onProgress?: (job: JobRecordDto) => void): Promise<RcaResult> {
    this.calls.push(`rca ${request.namespace}/${request.service}`);
    onProgress?.({ id: 'j1', kind: 'rca', status: 'running', progress: 0.5, message: 'scoring', params: {}, createdAt: '' });
    return {
      id: 'rca-1',
      request: { namespace: request.namespace, target: { service: request.service } },
      createdAt: '2023-11-14T22:13:20Z',
      namespace: request.namespace,
      window: { baselineStart: T0 - 3600, start: T0, end: T0 + 1800 },
      target: { service: request.service },
      serviceGraph: { services: ['cart', 'checkout'], edges: [{ from: 'checkout', to: 'cart', origin: 'learned' }] },
      narrative: 'cart is crash-looping; checkout errors follow.',
      narrativeSource: 'template',
      warnings: [],
      timings: { collectMs: 40 },
      candidates: [
        candidate('cart', 'restarts', 'crash-loop', 0.93, {
          metrics: [{ signal: 'restarts', baselineMedian: 0, incidentValue: 7, deviation: 9.1 }],
          events: [{ time: T0 + 60, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', count: 7, object: 'Pod/cart-1' }],
        }),
        candidate('checkout', 'error_ratio', 'errors', 0.41),
      ],
    };
  }
  async forecast(request: { service: string; signal: string }): Promise<ForecastResponse | Unavailable> {
    this.calls.push(`forecast ${request.service} ${request.signal}`);
    if (!this.data.forecastAvailable) return { unavailable: true as const, capability: 'forecast' as const, message: 'no route POST /api/v1/forecast' };
    return {
      seriesKey: `shop/${request.service}/${request.signal}`,
      model: 'holt-winters',
      reason: 'lowest backtest error',
      source: 'stored',
      modelVersion: 3,
      stepSeconds: 300,
      coverage: 0.9,
      points: [
        { t: 1_700_000_000, value: 40, lower: 35, upper: 45 },
        { t: 1_700_000_300, value: 55, lower: 48, upper: 62 },
        { t: 1_700_000_600, value: 50, lower: 41, upper: 59 },
      ],
      history: [{ t: 1_699_999_700, value: 38 }],
    };
  }
  // Replica plans and backtests have their own tests against a real engine (ForecastCard.engine.test.tsx).
  async scalePlan(): Promise<Unavailable> {
    return { unavailable: true, capability: 'scalePlan', message: 'no route POST /api/v1/scale-plan' };
  }
  async signals(): Promise<SignalCatalog> {
    return { items: [], serviceLabel: 'service', window: '5m' };
  }
  async startBacktest(): Promise<Unavailable> {
    return { unavailable: true, capability: 'backtest', message: 'no route POST /api/v1/forecast/backtest' };
  }
  /** The answer stream: the same answer, word by word, then done. */
  async *askStream(request: { question: string; workload?: string }): AsyncGenerator<AskStreamEvent> {
    const answer = await this.ask(request);
    for (const text of answer.answer.split(/(?<= )/)) yield { event: 'token', data: { text } };
    yield { event: 'done', data: answer };
  }
  async ask(request: { question: string; workload?: string }): Promise<Answer> {
    this.calls.push(`ask ${request.workload}: ${request.question}`);
    return {
      answer: 'Look at the previous container logs [1].',
      mode: 'extractive',
      citations: [{ n: 1, title: 'CrashLoopBackOff runbook', path: 'runbooks/crashloop.md', url: 'https://kb.example/crashloop', section: 'Diagnosis', score: 0.82 }],
      toolCalls: [],
      unanswered: false,
      conversationId: 'c-1',
      turn: 0,
    };
  }
  // Repairs and incidents have their own tests (EntityOpsCards.test.tsx); here the entity has none.
  async getRepairs() {
    return { findings: [], approvals: [] };
  }
  async decideRepair(): Promise<RepairActionDto> {
    throw new Error('no approvals in these tests');
  }
  async getIncidents() {
    return [];
  }
  async updateIncident(): Promise<IncidentDto> {
    throw new Error('no incidents in these tests');
  }
}

const annotated = entity({ 'backstage.io/kubernetes-id': 'cart', 'backstage.io/kubernetes-namespace': 'shop' });

function workloadsResponse(): EntityWorkloadsResponse {
  return {
    entityRef: 'component:default/cart',
    target: { namespace: 'shop', labelSelector: 'backstage.io/kubernetes-id=cart' },
    items: [
      { cluster: 'simulated', workloads: [workload('cart', 'degraded', 7, 'CrashLoopBackOff')] },
      { cluster: 'staging', workloads: [], error: { name: 'Error', message: 'fetch failed: connect ECONNREFUSED' } },
    ],
  };
}

async function render(api: CloudOpsApi, e: Entity = annotated) {
  return renderInTestApp(
    <TestApiProvider apis={[[cloudOpsApiRef, api], [permissionApiRef, mockApis.permission()]]}>
      <EntityProvider entity={e}>
        <EntityCloudOpsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

// The RCA card lays out its service graph (Backstage's DependencyGraph): seconds on a busy 2-core machine.
jest.setTimeout(60_000);

describe('EntityCloudOpsContent', () => {
  it('shows workloads with health, pods with restarts and reasons, and failing clusters as errors', async () => {
    const api = new TestCloudOpsApi({ workloads: workloadsResponse(), forecastAvailable: true });
    await render(api);
    expect(await screen.findByText('Deployment/cart')).toBeInTheDocument();
    expect(screen.getByText('degraded')).toBeInTheDocument();
    expect(screen.getByText('pod cart-1: CrashLoopBackOff (restarts 7)')).toBeInTheDocument();
    expect(screen.getByText('cart-1')).toBeInTheDocument();
    expect(screen.getByText('7')).toBeInTheDocument();
    expect(screen.getByText('CrashLoopBackOff')).toBeInTheDocument();
    expect(screen.getByText(/Could not read workloads from staging/)).toBeInTheDocument();
    expect(api.calls).toContain('workloads Component:default/cart');
  });

  it('says the engine is unreachable, rather than naming a cluster "(engine)", when it cannot list its clusters', async () => {
    const api = new TestCloudOpsApi({
      workloads: {
        ...workloadsResponse(),
        items: [{ cluster: ENGINE_ENTRY, workloads: [], error: { name: 'TypeError', message: 'fetch failed: connect ECONNREFUSED' } }],
      },
      forecastAvailable: true,
    });
    await render(api);
    expect(await screen.findByText(/Could not reach the AI-CloudOps engine to list its clusters/)).toBeInTheDocument();
    expect(screen.queryByText(/\(engine\)/)).not.toBeInTheDocument();
  });

  it('titles the workloads once (the card, not also its table) and keeps the Pods table title', async () => {
    const api = new TestCloudOpsApi({ workloads: workloadsResponse(), forecastAvailable: true });
    await render(api);
    expect(await screen.findByText('Deployment/cart')).toBeInTheDocument();
    expect(screen.getAllByText('Workloads', { exact: true })).toHaveLength(1);
    expect(screen.getByText('Pods', { exact: true })).toBeInTheDocument();
    expect(screen.queryByTestId(workloadsCardTestIds.emptyState)).not.toBeInTheDocument();
  });

  it('guides when no workload matches: what the card lists, the annotations it reads and a sample to paste', async () => {
    const api = new TestCloudOpsApi({
      workloads: { ...workloadsResponse(), items: [{ cluster: 'simulated', workloads: [] }] },
      forecastAvailable: true,
    });
    const { container } = await render(api);
    const empty = await screen.findByTestId(workloadsCardTestIds.emptyState);
    expect(empty.textContent).toContain(
      "Lists this entity's workloads (Deployment, StatefulSet, DaemonSet) in every cluster the engine reads",
    );
    expect(empty.textContent).toContain('No workloads match backstage.io/kubernetes-id=cart.');
    expect(within(empty).getAllByText('backstage.io/kubernetes-label-selector').length).toBeGreaterThan(0);
    expect(within(empty).getByText('backstage.io/kubernetes-namespace')).toBeInTheDocument();
    // The samples come from the target the backend resolved: this entity's id and namespace.
    const entitySample = screen.getByTestId(workloadsCardTestIds.sampleEntity).textContent ?? '';
    expect(entitySample).toContain('backstage.io/kubernetes-id: cart');
    expect(entitySample).toContain('backstage.io/kubernetes-namespace: shop');
    const workloadSample = screen.getByTestId(workloadsCardTestIds.sampleWorkload).textContent ?? '';
    expect(workloadSample).toContain('kind: Deployment');
    expect(workloadSample).toContain("backstage.io/kubernetes-id: 'cart'");
    expect(await seriousAxeViolations(container)).toEqual([]);
  });

  it('runs a root-cause analysis on demand and lists the ranked candidates', async () => {
    const api = new TestCloudOpsApi({ workloads: workloadsResponse(), forecastAvailable: true });
    await render(api);
    expect(api.calls.some((c) => c.startsWith('rca'))).toBe(false);
    const runButton = await screen.findByRole('button', { name: 'Run root-cause analysis' });
    await waitFor(() => expect(runButton).toBeEnabled());
    fireEvent.click(runButton);
    expect(await screen.findByText('cart is crash-looping; checkout errors follow.')).toBeInTheDocument();
    expect(screen.getByText('crash-loop')).toBeInTheDocument();
    expect(screen.getByText('0.93')).toBeInTheDocument();
    expect(screen.getByText('1 metric, 1 event')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').map((r) => r.textContent ?? '');
    expect(rows.findIndex((r) => r.includes('crash-loop'))).toBeLessThan(rows.findIndex((r) => r.includes('0.41')));
    expect(api.calls).toContain('rca shop/cart');
  });

  it("shows the forecast for the entity's service, or says it is unavailable", async () => {
    const available = new TestCloudOpsApi({ workloads: workloadsResponse(), forecastAvailable: true });
    const { unmount } = await render(available);
    expect(await screen.findByText(/^55 at .* \(48–62\)$/)).toBeInTheDocument();
    expect(screen.getByText('model holt-winters')).toBeInTheDocument();
    expect(available.calls).toContain('forecast cart request_rate');
    unmount();

    await render(new TestCloudOpsApi({ workloads: workloadsResponse(), forecastAvailable: false }));
    expect(await screen.findByText('Forecasting is not available on this engine: no route POST /api/v1/forecast')).toBeInTheDocument();
  });

  it('answers a question about the service with citations', async () => {
    const api = new TestCloudOpsApi({ workloads: workloadsResponse(), forecastAvailable: true });
    await render(api);
    fireEvent.change(await screen.findByLabelText('Question about cart'), { target: { value: 'why does it restart?' } });
    const askButton = screen.getByRole('button', { name: 'Ask' });
    // Disabled until usePermission has the permission API's answer.
    await waitFor(() => expect(askButton).toBeEnabled());
    fireEvent.click(askButton);
    expect(await screen.findByText('Look at the previous container logs [1].')).toBeInTheDocument();
    const link = screen.getByRole('link', { name: /CrashLoopBackOff runbook/ });
    expect(link).toHaveAttribute('href', 'https://kb.example/crashloop');
    expect(api.calls).toContain('ask cart: why does it restart?');
  });

  it('names a question over the engine’s limit at the field and does not send it', async () => {
    const api = new TestCloudOpsApi({ workloads: workloadsResponse(), forecastAvailable: true });
    await render(api);
    const field = await screen.findByLabelText('Question about cart');
    fireEvent.change(field, { target: { value: 'x'.repeat(QUESTION_MAX_CHARS + 1) } });
    expect(screen.getByText(`At most ${QUESTION_MAX_CHARS} characters; this question has ${QUESTION_MAX_CHARS + 1}.`)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Ask' })).toBeDisabled();
    fireEvent.submit(field.closest('form')!);
    expect(api.calls.filter((c) => c.startsWith('ask'))).toEqual([]);

    fireEvent.change(field, { target: { value: 'x'.repeat(QUESTION_MAX_CHARS) } });
    expect(screen.queryByText(/At most \d+ characters/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Ask' })).toBeEnabled();
  });

  it('explains the missing annotation instead of calling the engine', async () => {
    const api = new TestCloudOpsApi({ workloads: workloadsResponse(), forecastAvailable: true });
    await render(api, entity({}));
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(screen.getAllByText(/backstage.io\/kubernetes-id/).length).toBeGreaterThan(0);
    expect(api.calls).toEqual([]);
  });

  it('renders as a routable extension under an entity route', async () => {
    const api = new TestCloudOpsApi({ workloads: workloadsResponse(), forecastAvailable: true });
    await renderInTestApp(
      <TestApiProvider apis={[[cloudOpsApiRef, api], [permissionApiRef, mockApis.permission()]]}>
        <EntityProvider entity={annotated}>
          <Routes>
            <Route path="/cloudops" element={<RoutableContent />} />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/cloudops'], mountedRoutes: { '/cloudops': (await import('../routes')).rootRouteRef } },
    );
    expect(await screen.findByText('Deployment/cart', {}, { timeout: 20_000 })).toBeInTheDocument();
  });
});
