/**
 * @jest-environment node
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResponseError } from '@backstage/errors';
import { isEngineTokenRefused } from '@ai-cloudops/backstage-plugin-common';
import { CloudOpsClient } from './CloudOpsClient';
import { isUnavailable, type Answer, type JobRecordDto, type RcaResult } from './types';

/**
 * A real HTTP server speaking the backend plugin's contract (`/api/aicloudops/entity/...` and the `/engine/*`
 * pass-through answering the way the engine does), recording what the client sends.
 */
interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: unknown;
}

/** What the engine stores for an analysis (rcaResultSchema), trimmed to one candidate. */
const rcaResult: RcaResult = {
  id: 'rca-1',
  request: { namespace: 'shop', target: { service: 'cart' } },
  createdAt: '2026-01-01T00:00:05Z',
  namespace: 'shop',
  window: { baselineStart: 1_767_222_000, start: 1_767_225_600, end: 1_767_227_400 },
  target: { service: 'cart' },
  candidates: [
    {
      service: 'cart',
      signal: 'restarts',
      faultType: 'crash-loop',
      score: 0.9,
      evidence: { metrics: [], logs: [], events: [], changes: [] },
    },
  ],
  serviceGraph: { services: ['cart'], edges: [] },
  narrative: 'cart restarts',
  narrativeSource: 'template',
  warnings: [],
  timings: {},
};

async function startBackendStandIn(): Promise<{ base: string; server: Server; seen: Seen[] }> {
  const seen: Seen[] = [];
  let polls = 0;
  let settingsReads = 0;
  const readBody = async (req: IncomingMessage) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    return raw ? JSON.parse(raw) : undefined;
  };
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
    const json = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const job = (status: JobRecordDto['status'], result?: RcaResult): JobRecordDto => ({
      id: 'job-1', kind: 'rca', status, progress: status === 'running' ? 0.5 : 1, message: status, params: {},
      createdAt: '2026-01-01T00:00:00Z', ...(result ? { result } : {}),
    });
    switch (`${req.method} ${req.url}`) {
      case 'GET /api/aicloudops/settings':
        // The first read fails as a restarting backend's would; the next answers.
        settingsReads++;
        return settingsReads === 1
          ? json(503, { error: { name: 'ServiceUnavailableError', message: 'restarting' }, response: { statusCode: 503 } })
          : json(200, { clusterChanges: false });
      case 'POST /api/aicloudops/engine/api/v1/incidents/inc-9/ack':
        // What the backend answers when the engine refuses its token (engineTokenRefusal.ts).
        return json(502, {
          error: {
            name: 'EngineTokenRefusedError',
            code: 'EngineTokenRefusedError',
            message: "the AI-CloudOps engine refused the portal's configured token (aicloudops.engine.token): unknown bearer token",
          },
          response: { statusCode: 502 },
        });
      case 'GET /api/aicloudops/entity/default/component/cart/workloads':
        return json(200, { entityRef: 'component:default/cart', target: { labelSelector: 'x=y' }, items: [] });
      case 'GET /api/aicloudops/entity/default/component/ghost/workloads':
        return json(404, { error: { name: 'NotFoundError', message: 'entity component:default/ghost not found' }, response: { statusCode: 404 } });
      case 'POST /api/aicloudops/engine/api/v1/rca':
        // Admission control: a busy engine accepts the analysis as queued; the client keeps polling until final.
        return json(202, job('queued'));
      case 'GET /api/aicloudops/engine/api/v1/jobs/job-1':
        polls++;
        return json(200, polls < 2 ? job('running') : job('succeeded', rcaResult));
      case 'POST /api/aicloudops/engine/api/v1/assistant/ask':
        return json(200, {
          answer: `about ${(body as { workload: string }).workload}`,
          citations: [],
          toolCalls: [],
          mode: 'extractive',
          unanswered: true,
          conversationId: 'c-1',
          turn: 0,
        } satisfies Answer);
      default:
        return json(404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url?.replace('/api/aicloudops/engine', '')}` } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/aicloudops`;
  return { base, server, seen };
}

describe('CloudOpsClient over HTTP', () => {
  let backend: Awaited<ReturnType<typeof startBackendStandIn>>;
  let client: CloudOpsClient;

  beforeAll(async () => {
    backend = await startBackendStandIn();
    client = new CloudOpsClient({
      discoveryApi: { getBaseUrl: async (id: string) => backend.base.replace('aicloudops', id) },
      // What Backstage's fetchApi does: add the signed-in user's token.
      fetchApi: { fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as object), authorization: 'Bearer user-token' } }) },
      pollIntervalMs: 10,
    });
  });
  afterAll(() => backend.server.close());

  it("reads an entity's workloads from the backend plugin with the user's credentials", async () => {
    const res = await client.getEntityWorkloads({ kind: 'component', namespace: 'default', name: 'cart' });
    expect(res.entityRef).toBe('component:default/cart');
    expect(backend.seen.at(-1)).toMatchObject({ method: 'GET', auth: 'Bearer user-token' });
  });

  it('turns a backend error into a ResponseError carrying its message', async () => {
    const error = await client
      .getEntityWorkloads({ kind: 'component', namespace: 'default', name: 'ghost' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).statusCode).toBe(404);
    expect((error as ResponseError).cause.message).toBe('entity component:default/ghost not found');
  });

  it("reads the backend's settings once, and again after a failed read", async () => {
    await expect(client.settings()).rejects.toBeInstanceOf(ResponseError);
    await expect(client.settings()).resolves.toEqual({ clusterChanges: false });
    await expect(client.settings()).resolves.toEqual({ clusterChanges: false });
    const reads = backend.seen.filter((s) => s.url === '/api/aicloudops/settings');
    expect(reads.map((s) => s.auth)).toEqual(['Bearer user-token', 'Bearer user-token']);
  });

  it("tells the engine refusing the portal's token apart from other errors", async () => {
    const error = await client.updateIncident('inc-9', 'ack').catch((e: unknown) => e);
    expect(isEngineTokenRefused(error)).toBe(true);
    expect((error as Error).message).toContain('aicloudops.engine.token');
    const other = await client.getEntityWorkloads({ kind: 'component', namespace: 'default', name: 'ghost' }).catch((e: unknown) => e);
    expect(isEngineTokenRefused(other)).toBe(false);
  });

  it('starts an RCA job through the pass-through and polls it to its result', async () => {
    const progress: string[] = [];
    const result = await client.runRca({ namespace: 'shop', service: 'cart' }, (job) => progress.push(job.status));
    expect(isUnavailable(result)).toBe(false);
    expect(!isUnavailable(result) && result.candidates[0]!.faultType).toBe('crash-loop');
    expect(progress.at(-1)).toBe('succeeded');
    expect(progress).toContain('running');
    const post = backend.seen.find((s) => s.method === 'POST' && s.url.endsWith('/rca'));
    expect(post?.body).toEqual({ namespace: 'shop', target: { service: 'cart' } });
  });

  it('reports a capability the engine lacks as unavailable rather than failing', async () => {
    const forecast = await client.forecast({ service: 'cart', signal: 'request_rate' });
    expect(isUnavailable(forecast)).toBe(true);
    expect(isUnavailable(forecast) && forecast.capability).toBe('forecast');
    expect(isUnavailable(forecast) && forecast.message).toMatch(/^no route /);
  });

  it('asks the assistant about the workload', async () => {
    const answer = await client.ask({ question: 'why?', workload: 'cart' });
    expect(!isUnavailable(answer) && answer.answer).toBe('about cart');
  });
});
