import React from 'react';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createEngineApi } from './EngineApi';
import { EngineApiContext } from './useEngineApi';
import { ENGINE_RETRY, retryDelayMs, useEngineQuery, type RetryPolicy } from './useEngineQuery';
import { EngineErrorAlert } from '../components/EngineError/EngineErrorAlert';
import { testIds } from '../components/testIds';

/**
 * The hook over the real engine client against a loopback HTTP server that plays the engine's clusters route and
 * what stands in front of it: Grafana's plugin proxy answers 502 with an empty body while the engine is stopped.
 * Timing assertions are lower bounds only (a timer never fires early; a busy machine only makes gaps longer).
 */

type Mode = 'down' | 'up' | 'bad-request';

interface FakeEngine {
  url: string;
  mode: Mode;
  /** Arrival time (ms) of each clusters request. */
  hits: number[];
  close(): Promise<void>;
}

async function startFakeEngine(mode: Mode, port = 0): Promise<FakeEngine> {
  const engine = { mode, hits: [] as number[] };
  const server: Server = createServer((req, res) => {
    if (!(req.url ?? '').startsWith('/api/v1/clusters')) {
      res.writeHead(404).end();
      return;
    }
    engine.hits.push(Date.now());
    if (engine.mode === 'down') {
      res.writeHead(502).end(); // Grafana's proxy when the engine refuses the connection: no body
    } else if (engine.mode === 'bad-request') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INVALID_INPUT', message: 'invalid request', issues: [] } }));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [{ name: 'simulated', default: true }] }));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return Object.assign(engine, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function Probe({ policy, refreshMs }: { policy: RetryPolicy; refreshMs?: number }) {
  const clusters = useEngineQuery((api) => api.clusters(), [], refreshMs, policy);
  return (
    <div>
      <div data-testid="value">{clusters.value ? clusters.value.map((c) => c.name).join(',') : 'none'}</div>
      {clusters.error !== undefined && (
        <EngineErrorAlert error={clusters.error} title="Cannot list clusters" testId="failure" retry={clusters} />
      )}
    </div>
  );
}

function renderProbe(engine: FakeEngine, policy: RetryPolicy, refreshMs?: number) {
  return render(
    <EngineApiContext.Provider value={createEngineApi({ baseUrl: engine.url, fetchApi: fetch })}>
      <Probe policy={policy} refreshMs={refreshMs} />
    </EngineApiContext.Provider>
  );
}

const sleep = (ms: number) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('useEngineQuery when the engine is unreachable', () => {
  let engine: FakeEngine;
  afterEach(async () => {
    setVisibility('visible');
    await engine?.close();
  });

  test('shows the unreachable state, retries with growing waits, and loads once the engine is back', async () => {
    engine = await startFakeEngine('down');
    const policy = { firstMs: 100, maxMs: 400 };
    renderProbe(engine, policy);

    expect(await screen.findByTestId('failure')).toHaveTextContent('Grafana could not reach the engine (HTTP 502)');
    expect(screen.getByTestId(testIds.engineError.retry)).toHaveTextContent('Retry');
    await waitFor(() => expect(engine.hits.length).toBeGreaterThanOrEqual(5), { timeout: 20_000 });
    engine.mode = 'up';
    await waitFor(() => expect(screen.getByTestId('value')).toHaveTextContent('simulated'), { timeout: 20_000 });
    expect(screen.queryByTestId('failure')).not.toBeInTheDocument();

    // Waits of 100, 200, 400, 400 ms (±20%): each gap at least the lower end of its backoff step.
    const gaps = engine.hits.slice(1).map((at, i) => at - engine.hits[i]!);
    const floors = [80, 160, 320, 320];
    floors.forEach((floor, i) => expect(gaps[i]).toBeGreaterThanOrEqual(floor));
    // Recovered, nothing more is sent without a refresh interval.
    const count = engine.hits.length;
    await sleep(1_000);
    expect(engine.hits.length).toBe(count);
  });

  test('does not retry an answer about the request (4xx)', async () => {
    engine = await startFakeEngine('bad-request');
    renderProbe(engine, { firstMs: 50, maxMs: 100 });
    expect(await screen.findByTestId('failure')).toHaveTextContent('INVALID_INPUT: invalid request');
    expect(screen.queryByTestId(testIds.engineError.retry)).not.toBeInTheDocument();
    await sleep(600);
    expect(engine.hits).toHaveLength(1);
  });

  test('Retry loads at once, and says when it would try on its own', async () => {
    engine = await startFakeEngine('down');
    renderProbe(engine, { firstMs: 60_000, maxMs: 60_000 });
    const countdown = (await screen.findByTestId(testIds.engineError.retryIn)).textContent ?? '';
    const seconds = Number(/Trying again on its own in (\d+) s/.exec(countdown)?.[1]);
    // 60 s ±20% jitter, counted down by however long the first failure took to render.
    expect(seconds).toBeGreaterThanOrEqual(30);
    expect(seconds).toBeLessThanOrEqual(72);
    engine.mode = 'up';
    await userEvent.click(screen.getByTestId(testIds.engineError.retry));
    await waitFor(() => expect(screen.getByTestId('value')).toHaveTextContent('simulated'), { timeout: 10_000 });
    expect(engine.hits).toHaveLength(2);
  });

  test('a hidden page does not retry; it reads again when shown', async () => {
    setVisibility('hidden');
    engine = await startFakeEngine('down');
    renderProbe(engine, { firstMs: 50, maxMs: 50 });
    await screen.findByTestId('failure');
    await sleep(800);
    expect(engine.hits).toHaveLength(1);
    engine.mode = 'up';
    act(() => setVisibility('visible'));
    await waitFor(() => expect(screen.getByTestId('value')).toHaveTextContent('simulated'), { timeout: 10_000 });
    expect(engine.hits).toHaveLength(2);
  });

  test('the timed refresh pauses while the backoff waits, so a failing read is not sent on both', async () => {
    engine = await startFakeEngine('down');
    renderProbe(engine, { firstMs: 5_000, maxMs: 5_000 }, 50);
    await screen.findByTestId('failure');
    await sleep(1_000);
    expect(engine.hits).toHaveLength(1);
  });

  test('a request that gets no answer at all (connection refused) is retried until the engine listens', async () => {
    const stopped = await startFakeEngine('up');
    await stopped.close(); // nothing listens on its port now: fetch rejects with a TypeError
    render(
      <EngineApiContext.Provider value={createEngineApi({ baseUrl: stopped.url, fetchApi: fetch })}>
        <Probe policy={{ firstMs: 100, maxMs: 200 }} />
      </EngineApiContext.Provider>
    );
    expect(await screen.findByTestId(testIds.engineError.retry)).toBeInTheDocument();
    engine = await startFakeEngine('up', Number(new URL(stopped.url).port));
    await waitFor(() => expect(screen.getByTestId('value')).toHaveTextContent('simulated'), { timeout: 10_000 });
    expect(engine.hits.length).toBeGreaterThanOrEqual(1);
  });
});

describe('retryDelayMs', () => {
  test('doubles from 2 s and holds at 30 s, within ±20%', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 20].map((n) => retryDelayMs(n, ENGINE_RETRY, middle))).toEqual([
      2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(retryDelayMs(1, ENGINE_RETRY, () => 0)).toBe(1_600);
    expect(retryDelayMs(9, ENGINE_RETRY, () => 0.999999)).toBeLessThanOrEqual(36_000);
  });
});
