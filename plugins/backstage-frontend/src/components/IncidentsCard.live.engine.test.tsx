import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { CloudOpsClient } from '../api/CloudOpsClient';
import type { IncidentDto } from '../api/types';
import { startRealEngine, type RealEngine } from '../__testUtils__/realEngine';
import { IncidentsCard, incidentsCardTestIds } from './IncidentsCard';

/**
 * The Incidents card on a real engine's live incident stream, through the pass-through: an incident opened or resolved
 * after the card rendered shows within seconds while the poll waits a minute; hiding the page or closing the card
 * closes its stream on the engine; and a refused stream (429 with Retry-After) leaves the card polling with no error, asking for the stream
 * again no sooner than Retry-After. The engine allows one event stream in all (server.maxSseStreams: 1), so whether
 * the test's own stream is refused tells who holds that one.
 */

jest.setTimeout(180_000);

const SCOPE = { namespace: 'shop', names: ['cart'] };
const STREAM_PATH = '/api/v1/incidents/events';

let engine: RealEngine;
beforeAll(async () => {
  engine = await startRealEngine({ server: { host: '127.0.0.1', port: 0, maxSseStreams: 1 } });
});
afterAll(async () => {
  setVisibility('visible');
  await engine?.stop();
});

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}
// Each test starts with no open incident, whatever the one before left.
beforeEach(async () => {
  for (const id of await openIncidentIds()) await engine.json('POST', `/api/v1/incidents/${id}/resolve`);
});

/** The card's calls through the pass-through, with when it asked for the incident stream. */
function recordingClient() {
  const streamRequests: number[] = [];
  const streamQueries: string[] = [];
  const client = new CloudOpsClient({
    discoveryApi: { getBaseUrl: async () => engine.base },
    fetchApi: {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(String(input));
        if (url.pathname.endsWith(STREAM_PATH)) {
          streamRequests.push(Date.now());
          streamQueries.push(url.search);
        }
        return fetch(input, init);
      },
    },
  });
  return { client, streamRequests, streamQueries };
}

function renderCard(client: CloudOpsClient, refreshMs: number) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [cloudOpsApiRef, client],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <IncidentsCard scope={SCOPE} refreshMs={refreshMs} />
    </TestApiProvider>,
  );
}

function alertmanagerWebhook(alertname: string) {
  return engine.json('POST', '/api/v1/alerts/webhook/alertmanager', {
    version: '4',
    groupKey: `{}:{alertname="${alertname}"}`,
    status: 'firing',
    receiver: 'aicloudops',
    alerts: [
      {
        status: 'firing',
        labels: { alertname, service: 'cart', namespace: 'shop' },
        startsAt: new Date().toISOString(),
      },
    ],
  });
}

/** The engine's answer to a new incident stream: 200 (then closed) while a slot is free, 429 while the card holds it. */
async function engineStreamStatus(): Promise<number> {
  const abort = new AbortController();
  const response = await fetch(`${engine.url}${STREAM_PATH}`, {
    headers: { accept: 'text/event-stream' },
    signal: abort.signal,
  });
  abort.abort();
  await response.body?.cancel().catch(() => undefined);
  return response.status;
}

async function openIncidentIds(): Promise<string[]> {
  const { items } = await engine.json<{ items: IncidentDto[] }>('GET', '/api/v1/incidents?status=open');
  return items.map((i) => i.id);
}

describe('the Incidents card on the live incident stream', () => {
  it('shows an incident opened and one resolved after it rendered within seconds, and closes its stream while hidden and on unmount', async () => {
    const { client, streamQueries } = recordingClient();
    // A minute between polls: anything shown sooner came over the stream.
    const { unmount } = await renderCard(client, 60_000);
    await screen.findByTestId(incidentsCardTestIds.emptyState, {}, { timeout: 30_000 });
    await screen.findByTestId(incidentsCardTestIds.live, {}, { timeout: 30_000 });
    expect(await engineStreamStatus()).toBe(429);
    // The engine filters the stream to the entity's services, not the browser.
    expect(streamQueries[0]).toBe('?service=cart');

    const opened = Date.now();
    await alertmanagerWebhook('CartDown');
    expect(await screen.findByTestId('incident', {}, { timeout: 5_000 })).toHaveTextContent('CartDown');
    console.log(`incident shown ${Date.now() - opened} ms after the webhook`);

    const [id] = await openIncidentIds();
    await engine.json('POST', `/api/v1/incidents/${id}/resolve`);
    await screen.findByTestId(incidentsCardTestIds.emptyState, {}, { timeout: 5_000 });

    // A hidden page gives its slot back, and takes it again when shown.
    act(() => setVisibility('hidden'));
    await waitFor(async () => expect(await engineStreamStatus()).toBe(200), {
      timeout: 5_000,
      interval: 200,
    });
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 3_000))); // past the card's first reconnect
    expect(await engineStreamStatus()).toBe(200);
    expect(screen.queryByTestId(incidentsCardTestIds.live)).toBeNull();
    act(() => setVisibility('visible'));
    await screen.findByTestId(incidentsCardTestIds.live, {}, { timeout: 10_000 });
    expect(await engineStreamStatus()).toBe(429);

    unmount();
    // The card's stream is closed on the engine: its one slot serves the next caller.
    await waitFor(async () => expect(await engineStreamStatus()).toBe(200), {
      timeout: 5_000,
      interval: 200,
    });
  });

  it('polls quietly while the stream is refused with 429, asks again no sooner than Retry-After, and goes live once a slot frees', async () => {
    // Another caller holds the engine's only stream.
    const held = new AbortController();
    const holder = await fetch(`${engine.url}${STREAM_PATH}`, {
      headers: { accept: 'text/event-stream' },
      signal: held.signal,
    });
    expect(holder.status).toBe(200);

    const { client, streamRequests } = recordingClient();
    const { unmount } = await renderCard(client, 1_000);
    try {
      await screen.findByTestId(incidentsCardTestIds.emptyState, {}, { timeout: 30_000 });
      await alertmanagerWebhook('CartSlow');
      expect(await screen.findByTestId('incident', {}, { timeout: 15_000 })).toHaveTextContent('CartSlow');
      expect(screen.queryByTestId(incidentsCardTestIds.live)).toBeNull();
      expect(screen.queryByText(/too many event streams/)).toBeNull();

      await waitFor(() => expect(streamRequests.length).toBeGreaterThanOrEqual(2), { timeout: 20_000 });
      // The engine's Retry-After is 5 s; the cards' first retry step alone would be 2 s.
      expect(streamRequests[1]! - streamRequests[0]!).toBeGreaterThanOrEqual(4_900);

      held.abort();
      await holder.body?.cancel().catch(() => undefined);
      await screen.findByTestId(incidentsCardTestIds.live, {}, { timeout: 30_000 });
    } finally {
      held.abort();
      unmount();
    }
  });
});
