import React from 'react';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { render, screen, waitFor } from '@testing-library/react';
import { createEngineApi } from './EngineApi';
import { EngineApiContext } from './useEngineApi';
import { askOverStream, useJobStream, type AskStreamState } from './useEventStream';
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

type AskProxyMode = 'drop-accept' | 'refuse-streams' | 'pass';

/** A loopback proxy for POST /assistant/ask that drops the Accept header, refuses event streams, or passes them. */
async function startAskProxy(target: string, mode: AskProxyMode) {
  const seen = { proxied: 0, forwarded: 0 };
  const server: Server = createServer(async (req, res) => {
    seen.proxied++;
    const accept = String(req.headers.accept ?? '*/*');
    if (mode === 'refuse-streams' && accept.includes('text/event-stream')) {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>502 Bad Gateway</html>');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    seen.forwarded++;
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: { 'content-type': 'application/json', accept: mode === 'drop-accept' ? '*/*' : accept },
      body: Buffer.concat(chunks),
    });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
}

describe('askOverStream against a real engine behind proxies that do not carry the stream', () => {
  const engine = useEngineProcess({ cluster: { kind: 'simulated', injectFaults: false } });

  const ask = async (mode: AskProxyMode, question: string) => {
    const proxy = await startAskProxy(engine.url, mode);
    let state: AskStreamState = {
      phase: 'streaming',
      text: '',
      tools: [],
      citations: [],
      interrupted: false,
      transport: 'stream',
    };
    try {
      const api = createEngineApi({ baseUrl: proxy.url, fetchApi: fetch });
      const answer = await askOverStream(api, { question }, new AbortController().signal, (change) => {
        state = change(state);
      });
      return { answer, state, seen: { ...proxy.seen } };
    } finally {
      proxy.close();
    }
  };

  test('a proxy that drops Accept gets the JSON answer, which ends the stream as its done event', async () => {
    const { answer, state, seen } = await ask('drop-accept', 'How do I roll back a deployment?');
    expect(answer?.answer.length).toBeGreaterThan(0);
    expect(state).toMatchObject({ phase: 'done', transport: 'stream', text: answer!.answer });
    expect(seen).toEqual({ proxied: 1, forwarded: 1 });
  }, 60_000);

  test('a proxy that refuses event streams: the question is asked once as JSON', async () => {
    const { answer, state, seen } = await ask('refuse-streams', 'How do I roll back a deployment?');
    expect(answer?.citations.length).toBeGreaterThan(0);
    expect(state).toMatchObject({ phase: 'done', transport: 'json', citations: answer!.citations });
    // The refused stream never reached the engine; the JSON ask did, once.
    expect(seen).toEqual({ proxied: 2, forwarded: 1 });
  }, 60_000);

  test("the engine's own refusal (an empty question) is shown as it is, and not asked again as JSON", async () => {
    const { answer, state, seen } = await ask('pass', '   ');
    expect(answer).toBeUndefined();
    expect(state.phase).toBe('error');
    expect(state.error).toMatchObject({
      status: 400,
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ field: expect.stringContaining('question') })],
    });
    expect(seen).toEqual({ proxied: 1, forwarded: 1 });
  }, 60_000);
});
