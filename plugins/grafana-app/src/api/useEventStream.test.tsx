import React from 'react';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { render, screen, waitFor } from '@testing-library/react';
import { createEngineApi } from './EngineApi';
import { EngineApiContext } from './useEngineApi';
import { useJobStream } from './useEventStream';
import { useEngineProcess } from '../test/startEngineProcess';
import type { JobRecordDto } from './types';

/**
 * The hook against a real engine's job stream, through a loopback proxy that misbehaves the way proxies in front of
 * Grafana do: it cuts the first event stream after its first message, or refuses event streams altogether.
 */

type Mode = 'cut-first' | 'refuse-streams';

async function startProxy(target: string, mode: Mode): Promise<{ url: string; streams: number; close(): void }> {
  const state = { streams: 0 };
  const server: Server = createServer(async (req, res) => {
    const isStream = (req.url ?? '').endsWith('/events');
    if (isStream) {
      state.streams++;
      if (mode === 'refuse-streams') {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BAD_GATEWAY', message: 'event streams are not proxied here' } }));
        return;
      }
    }
    const upstream = await fetch(`${target}${req.url}`, { headers: { accept: String(req.headers.accept ?? '*/*') } });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    const reader = upstream.body!.getReader();
    const cut = isStream && mode === 'cut-first' && state.streams === 1;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        res.end();
        return;
      }
      res.write(value);
      if (cut && !Buffer.from(value).toString().includes('event: done')) {
        await reader.cancel();
        res.destroy(); // the connection drops mid-stream, after one message
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get streams() {
      return state.streams;
    },
    close: () => server.close(),
  };
}

function Probe({ id }: { id: string }) {
  const { job, transport } = useJobStream(id, { reconnectMs: 100, maxReconnects: 2, pollMs: 300 });
  return <div data-testid="probe">{`${transport} ${job?.status ?? 'none'}`}</div>;
}

describe('useJobStream against a real engine', () => {
  const engine = useEngineProcess({ cluster: { kind: 'simulated', injectFaults: false } });

  const startRca = async (): Promise<JobRecordDto> => {
    const res = await fetch(`${engine.url}/api/v1/rca`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ namespace: 'shop', target: { service: 'checkout' } }),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as JobRecordDto;
  };

  const renderProbe = (baseUrl: string, id: string) =>
    render(
      <EngineApiContext.Provider value={createEngineApi({ baseUrl, fetchApi: fetch })}>
        <Probe id={id} />
      </EngineApiContext.Provider>
    );

  test('reconnects when the stream drops mid-job and follows it to its final record', async () => {
    const proxy = await startProxy(engine.url, 'cut-first');
    try {
      const job = await startRca();
      renderProbe(proxy.url, job.id);
      await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^stream (succeeded|failed)$/), {
        timeout: 60_000,
      });
      // What the hook ended on is the engine's final record.
      const final = (await (await fetch(`${engine.url}/api/v1/jobs/${job.id}`)).json()) as JobRecordDto;
      expect(final.status).toBe('succeeded');
      expect(screen.getByTestId('probe')).toHaveTextContent(`stream ${final.status}`);
      // One stream was cut after its first message; the hook opened another rather than giving up or polling.
      expect(proxy.streams).toBeGreaterThanOrEqual(2);
    } finally {
      proxy.close();
    }
  }, 90_000);

  test('falls back to polling when event streams are refused, and still reaches the final record', async () => {
    const proxy = await startProxy(engine.url, 'refuse-streams');
    try {
      const job = await startRca();
      renderProbe(proxy.url, job.id);
      await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^poll (succeeded|failed)$/), {
        timeout: 60_000,
      });
      const final = (await (await fetch(`${engine.url}/api/v1/jobs/${job.id}`)).json()) as JobRecordDto;
      expect(final.status).toBe('succeeded');
      expect(screen.getByTestId('probe')).toHaveTextContent(`poll ${final.status}`);
      // The first attempt and two reconnections, then polling.
      expect(proxy.streams).toBe(3);
    } finally {
      proxy.close();
    }
  }, 90_000);
});
