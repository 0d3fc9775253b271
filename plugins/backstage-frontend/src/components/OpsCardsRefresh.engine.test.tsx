import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { CloudOpsClient } from '../api/CloudOpsClient';
import { startRealEngine, type RealEngine } from '../__testUtils__/realEngine';
import { IncidentsCard, incidentsCardTestIds } from './IncidentsCard';
import { RepairsCard } from './RepairsCard';

/**
 * The open entity tab on a real engine (repair in approve mode on a fast scan): an incident opened and an action put
 * up for approval after the cards loaded appear without a reload, the tables stay up while the cards read again, reads
 * never overlap, and a hidden or closed tab reads nothing. The cards get a short interval instead of their 15/30 s.
 */

jest.setTimeout(180_000);

const SCOPE = { namespace: 'shop', names: ['cart'] };
const REFRESH_MS = 400;

/** The engine calls the cards make, with the most that were ever in flight at once for one path. */
function countingFetch() {
  const inFlight = new Map<string, number>();
  const stats = { calls: 0, maxConcurrentPerPath: 0 };
  const fetchApi = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input instanceof Request ? input.url : input)).pathname;
      stats.calls += 1;
      inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
      stats.maxConcurrentPerPath = Math.max(stats.maxConcurrentPerPath, inFlight.get(path)!);
      try {
        return await fetch(input, init);
      } finally {
        inFlight.set(path, inFlight.get(path)! - 1);
      }
    },
  };
  return { fetchApi, stats };
}

const sleep = (ms: number) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('the Repairs and Incidents cards while the tab stays open', () => {
  let engine: RealEngine;
  beforeAll(async () => {
    engine = await startRealEngine({
      repair: { maxMode: 'approve', namespaces: ['shop'], scanIntervalSeconds: 1, tickSeconds: 1 },
    });
  });
  afterAll(async () => {
    setVisibility('visible');
    await engine?.stop();
  });

  it('show a new incident and a new pending repair without a reload, keep their content while reading, and stop when hidden or closed', async () => {
    const { fetchApi, stats } = countingFetch();
    const client = new CloudOpsClient({
      discoveryApi: { getBaseUrl: async () => engine.base },
      fetchApi,
    });
    const { unmount } = await renderInTestApp(
      <TestApiProvider
        apis={[
          [cloudOpsApiRef, client],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <IncidentsCard scope={SCOPE} refreshMs={REFRESH_MS} />
        <RepairsCard scope={SCOPE} refreshMs={REFRESH_MS} />
      </TestApiProvider>,
    );
    await screen.findByTestId(incidentsCardTestIds.emptyState, {}, { timeout: 30_000 });
    await screen.findByText(/No action waits for approval/, {}, { timeout: 30_000 });

    // From here on a spinner in place of the content would be a flicker.
    let spinners = 0;
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="progress"]')) spinners += 1;
    });
    observer.observe(document.body, { childList: true, subtree: true });

    await engine.json('POST', '/api/v1/alerts/webhook/alertmanager', {
      version: '4',
      groupKey: '{}:{alertname="CartDown"}',
      status: 'firing',
      receiver: 'aicloudops',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'CartDown', service: 'cart', namespace: 'shop' },
          startsAt: new Date().toISOString(),
        },
      ],
    });
    await engine.json('POST', '/api/v1/demo/faults', { type: 'oom-killed', service: 'cart' });

    expect(await screen.findByTestId('incident', {}, { timeout: 15_000 })).toHaveTextContent('CartDown');
    expect(await screen.findByTestId('repair-approval', {}, { timeout: 60_000 })).toHaveTextContent(
      'Deployment/cart',
    );
    observer.disconnect();
    expect(spinners).toBe(0);
    expect(stats.maxConcurrentPerPath).toBe(1);

    act(() => setVisibility('hidden'));
    await sleep(REFRESH_MS * 2); // a read already in flight finishes
    const whileHidden = stats.calls;
    await sleep(REFRESH_MS * 4);
    expect(stats.calls).toBe(whileHidden);

    act(() => setVisibility('visible'));
    await waitFor(() => expect(stats.calls).toBeGreaterThan(whileHidden), { timeout: 10_000 });

    unmount();
    await sleep(REFRESH_MS * 2);
    const afterClose = stats.calls;
    await sleep(REFRESH_MS * 4);
    expect(stats.calls).toBe(afterClose);
  });
});
