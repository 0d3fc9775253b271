import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { CloudOpsClient } from '../api/CloudOpsClient';
import { isUnavailable } from '../api/types';
import { spawnEngine } from '../__testUtils__/realEngine';
import { engineRetryTestIds, EngineRetryNotice } from '../components/EngineRetryNotice';
import { IncidentsCard, incidentsCardTestIds } from '../components/IncidentsCard';
import { ENGINE_RETRY, retryDelayMs, useEngineRetry, type RetryPolicy } from './useEngineRetry';

/**
 * The entity tab's cards when the engine is down: the real CloudOpsClient against a loopback stand-in for the
 * backend's /engine pass-through, which answers what the backend answers while the engine does not (503, Backstage's
 * error body) and forwards to a real engine process once one runs. Timing assertions are lower bounds only.
 */

jest.setTimeout(180_000);

type Mode = 'down' | 'bad-request' | 'up';

interface Backend {
  base: string;
  mode: Mode;
  /** Where 'up' forwards to; without it 'up' answers an empty incident list. */
  engineUrl?: string;
  /** Arrival times (ms) of the engine calls. */
  hits: number[];
  close(): Promise<void>;
}

async function startBackend(mode: Mode): Promise<Backend> {
  const backend = { mode, hits: [] as number[], engineUrl: undefined as string | undefined };
  const server: Server = createServer(async (req, res) => {
    backend.hits.push(Date.now());
    const enginePath = (req.url ?? '').replace(/^\/api\/aicloudops\/engine/, '');
    if (backend.mode === 'down') {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            name: 'ServiceUnavailableError',
            message: 'AI-CloudOps engine unreachable: check that it runs',
          },
          response: { statusCode: 503 },
        }),
      );
    } else if (backend.mode === 'bad-request') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INVALID_INPUT', message: 'invalid request', issues: [] } }));
    } else if (backend.engineUrl) {
      // Streamed, and ended on the engine when the caller goes away, as the backend's pass-through does: the Incidents
      // card holds the engine's incident stream open, and an engine waits for open requests when it stops.
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      try {
        const upstream = await fetch(`${backend.engineUrl}${enginePath}`, { signal: gone.signal });
        res.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
        });
        for await (const chunk of upstream.body ?? []) res.write(chunk);
        res.end();
      } catch {
        res.destroy();
      }
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [] }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(backend, {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/aicloudops`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

const clientOf = (backend: Backend) =>
  new CloudOpsClient({
    discoveryApi: { getBaseUrl: async () => backend.base },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

const SCOPE = { namespace: 'shop', names: ['checkout'] };

function Probe({ client, policy }: { client: CloudOpsClient; policy: RetryPolicy }) {
  const state = useEngineRetry(() => client.getIncidents(SCOPE), [client], { policy });
  const { value } = state;
  return (
    <div>
      <div data-testid="value">{value && !isUnavailable(value) ? `incidents ${value.length}` : 'none'}</div>
      {state.error ? <div data-testid="failure">{state.error.message}</div> : null}
      <EngineRetryNotice state={state} />
    </div>
  );
}

const sleep = (ms: number) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('useEngineRetry', () => {
  let backend: Backend;
  afterEach(async () => {
    setVisibility('visible');
    await backend?.close();
  });

  it('the incidents card opened while the engine is down shows Retry and loads once a real engine starts', async () => {
    backend = await startBackend('down');
    const { unmount } = await renderInTestApp(
      <TestApiProvider apis={[[cloudOpsApiRef, clientOf(backend)]]}>
        <IncidentsCard scope={SCOPE} />
      </TestApiProvider>,
    );
    expect(
      await screen.findAllByText(/AI-CloudOps engine unreachable/, {}, { timeout: 30_000 }),
    ).not.toHaveLength(0);
    expect(screen.getByTestId(engineRetryTestIds.retry)).toHaveTextContent('Retry');

    const engine = await spawnEngine({
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0 },
      cluster: { kind: 'simulated', injectFaults: false },
    });
    try {
      backend.engineUrl = engine.url;
      backend.mode = 'up';
      // The backoff may be at 16 s (+20%) by now: well inside the wait.
      expect(
        await screen.findByTestId(incidentsCardTestIds.emptyState, {}, { timeout: 90_000 }),
      ).toHaveTextContent('No open incident on checkout');
      expect(screen.queryAllByText(/AI-CloudOps engine unreachable/)).toHaveLength(0);
      expect(screen.queryByTestId(engineRetryTestIds.retry)).not.toBeInTheDocument();
    } finally {
      unmount(); // its incident stream too: the engine would wait for it when stopping
      const exited = new Promise((resolve) => engine.process.once('exit', resolve));
      engine.process.kill('SIGTERM');
      await exited;
    }
  });

  it('retries with growing waits and stops once it loaded', async () => {
    backend = await startBackend('down');
    await renderInTestApp(<Probe client={clientOf(backend)} policy={{ firstMs: 100, maxMs: 400 }} />);
    await screen.findByTestId('failure');
    await waitFor(() => expect(backend.hits.length).toBeGreaterThanOrEqual(5), { timeout: 30_000 });
    backend.mode = 'up';
    await waitFor(() => expect(screen.getByTestId('value')).toHaveTextContent('incidents 0'), {
      timeout: 30_000,
    });
    const gaps = backend.hits.slice(1).map((at, i) => at - backend.hits[i]!);
    [80, 160, 320, 320].forEach((floor, i) => expect(gaps[i]).toBeGreaterThanOrEqual(floor));
    const count = backend.hits.length;
    await sleep(1_000);
    expect(backend.hits).toHaveLength(count);
  });

  it('does not retry a 4xx and offers no Retry for it', async () => {
    backend = await startBackend('bad-request');
    await renderInTestApp(<Probe client={clientOf(backend)} policy={{ firstMs: 50, maxMs: 100 }} />);
    expect(await screen.findByTestId('failure')).toHaveTextContent('invalid request');
    expect(screen.queryByTestId(engineRetryTestIds.retry)).not.toBeInTheDocument();
    await sleep(600);
    expect(backend.hits).toHaveLength(1);
  });

  it('Retry loads at once and says when it would try on its own', async () => {
    backend = await startBackend('down');
    await renderInTestApp(<Probe client={clientOf(backend)} policy={{ firstMs: 60_000, maxMs: 60_000 }} />);
    const countdown = (await screen.findByTestId(engineRetryTestIds.retryIn)).textContent ?? '';
    const seconds = Number(/Trying again on its own in (\d+) s/.exec(countdown)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(30);
    expect(seconds).toBeLessThanOrEqual(72);
    backend.mode = 'up';
    fireEvent.click(screen.getByTestId(engineRetryTestIds.retry));
    await waitFor(() => expect(screen.getByTestId('value')).toHaveTextContent('incidents 0'), {
      timeout: 10_000,
    });
    expect(backend.hits).toHaveLength(2);
  });

  it('a hidden page does not retry; it loads again when shown', async () => {
    setVisibility('hidden');
    backend = await startBackend('down');
    await renderInTestApp(<Probe client={clientOf(backend)} policy={{ firstMs: 50, maxMs: 50 }} />);
    await screen.findByTestId('failure');
    await sleep(800);
    expect(backend.hits).toHaveLength(1);
    backend.mode = 'up';
    act(() => setVisibility('visible'));
    await waitFor(() => expect(screen.getByTestId('value')).toHaveTextContent('incidents 0'), {
      timeout: 10_000,
    });
    expect(backend.hits).toHaveLength(2);
  });
});

describe('retryDelayMs', () => {
  it('doubles from 2 s and holds at 30 s, within ±20%', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map((n) => retryDelayMs(n, ENGINE_RETRY, () => 0.5))).toEqual([
      2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(retryDelayMs(1, ENGINE_RETRY, () => 0)).toBe(1_600);
  });
});
