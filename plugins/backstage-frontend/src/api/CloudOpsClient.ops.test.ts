/**
 * @jest-environment node
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudOpsClient } from './CloudOpsClient';
import { isUnavailable, type IncidentDto, type JobRecordDto, type RepairActionDto } from './types';
import { followJob, type JobStreamState } from '../hooks/useEventStream';
import { spawnEngine } from '../__testUtils__/realEngine';

/**
 * The client's repair and incident calls against a real engine (demo profile, repair in approve mode on a fast
 * schedule), behind a stand-in of the backend's /engine pass-through that forwards as the backend does once its
 * permission check passed (that check is tested in the backend plugin).
 */

jest.setTimeout(120_000);

async function startEngine(): Promise<{ url: string; child: ChildProcess }> {
  const { url, process: child } = await spawnEngine({
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0 },
    cluster: { kind: 'simulated', injectFaults: false },
    repair: { maxMode: 'approve', namespaces: ['shop'], scanIntervalSeconds: 1, tickSeconds: 1 },
  });
  return { url, child };
}

interface PassThroughState {
  /** Answer repair calls as an engine that cannot act on its cluster. */
  repairDown: boolean;
  /** Cut the next event stream after its first chunk, as a dropped connection. */
  cutNextStream: boolean;
  /** Refuse event streams (502), as a proxy that does not pass them. */
  refuseStreams: boolean;
  streams: number;
}

/** Forwards /api/aicloudops/engine/* to the engine, streaming as the backend does, misbehaving when told to. */
async function startPassThrough(
  engineUrl: string,
  state: PassThroughState,
): Promise<{ base: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const enginePath = (req.url ?? '').replace(/^\/api\/aicloudops\/engine/, '');
    if (enginePath.endsWith('/events')) state.streams++;
    if (state.refuseStreams && enginePath.endsWith('/events')) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'BAD_GATEWAY', message: 'event streams are not passed here' } }),
      );
      return;
    }
    if (state.repairDown && enginePath.startsWith('/api/v1/repair/')) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { code: 'UPSTREAM_UNAVAILABLE', message: 'repair is not available: no write access' },
        }),
      );
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const upstream = await fetch(`${engineUrl}${enginePath}`, {
      method: req.method,
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body,
    });
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    const cut = enginePath.endsWith('/events') && state.cutNextStream;
    state.cutNextStream = state.cutNextStream && !cut;
    const reader = upstream.body!.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return void res.end();
      res.write(value);
      if (cut && !Buffer.from(value).toString().includes('event: done')) {
        await reader.cancel();
        return void res.destroy();
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/aicloudops`, server };
}

async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('CloudOpsClient repairs and incidents against a real engine', () => {
  let engine: { url: string; child: ChildProcess };
  let passThrough: { base: string; server: Server };
  const state: PassThroughState = {
    repairDown: false,
    cutNextStream: false,
    refuseStreams: false,
    streams: 0,
  };
  let client: CloudOpsClient;
  const engineJson = async <T>(p: string, init?: RequestInit): Promise<T> =>
    (await (
      await fetch(`${engine.url}${p}`, { ...init, headers: { 'content-type': 'application/json' } })
    ).json()) as T;

  beforeAll(async () => {
    engine = await startEngine();
    passThrough = await startPassThrough(engine.url, state);
    client = new CloudOpsClient({
      discoveryApi: { getBaseUrl: async () => passThrough.base },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
  });
  afterAll(async () => {
    passThrough?.server.close();
    if (engine) {
      const exited = new Promise((r) => engine.child.once('exit', r));
      engine.child.kill('SIGTERM');
      await exited;
    }
  });

  it("lists only the entity's findings and approvals, and approves one on the engine", async () => {
    await engineJson('/api/v1/demo/faults', {
      method: 'POST',
      body: JSON.stringify({ type: 'oom-killed', service: 'cart' }),
    });
    const repairs = await eventually(async () => {
      const r = await client.getRepairs({ namespace: 'shop', names: ['cart'] });
      return !isUnavailable(r) && r.approvals.length > 0 ? r : undefined;
    });
    expect(repairs.findings.map((f) => `${f.type} ${f.workload.name}`)).toContain('OOMKilled cart');
    expect(repairs.findings.every((f) => f.workload.name === 'cart')).toBe(true);
    const action = repairs.approvals[0]!;
    expect(action.planned.target.name).toBe('cart');

    const other = await client.getRepairs({ namespace: 'shop', names: ['checkout'] });
    expect(!isUnavailable(other) && other.approvals.some((a) => a.id === action.id)).toBe(false);
    const elsewhere = await client.getRepairs({ namespace: 'payments', names: ['cart'] });
    expect(!isUnavailable(elsewhere) && elsewhere.approvals).toEqual([]);

    const decided = await client.decideRepair(action.id, 'approve', 'from the entity page');
    expect(decided.approval).toMatchObject({ decision: 'approved', comment: 'from the entity page' });
    const stored = await engineJson<RepairActionDto>(`/api/v1/repair/actions/${action.id}`);
    expect(stored.approval?.decision).toBe('approved');
  });

  it("lists only the entity's open incidents and acknowledges and resolves one", async () => {
    const deliver = (alertname: string, service: string) =>
      engineJson<{ incidents: string[] }>('/api/v1/alerts/webhook/alertmanager', {
        method: 'POST',
        body: JSON.stringify({
          version: '4',
          groupKey: `{}:{alertname="${alertname}"}`,
          status: 'firing',
          receiver: 'aicloudops',
          alerts: [
            {
              status: 'firing',
              labels: { alertname, service, namespace: 'shop' },
              startsAt: new Date().toISOString(),
            },
          ],
        }),
      });
    const [cartIncident] = (await deliver('CartDown', 'cart')).incidents;
    const [otherIncident] = (await deliver('ShippingDown', 'shipping')).incidents;
    expect(cartIncident).toBeDefined();
    expect(otherIncident).not.toBe(cartIncident);

    const listed = await client.getIncidents({ namespace: 'shop', names: ['cart'] });
    expect(!isUnavailable(listed) && listed.map((i) => i.id)).toEqual([cartIncident]);

    expect((await client.updateIncident(cartIncident!, 'ack')).acknowledgedAt).toBeDefined();
    await client.updateIncident(cartIncident!, 'resolve');
    expect(await client.getIncidents({ namespace: 'shop', names: ['cart'] })).toEqual([]);
    expect((await engineJson<IncidentDto>(`/api/v1/incidents/${otherIncident}`)).status).toBe('open');
  });

  it('reports repair as unavailable (a note, not a failure) when the engine cannot act on its cluster', async () => {
    state.repairDown = true;
    try {
      const repairs = await client.getRepairs({ namespace: 'shop', names: ['cart'] });
      expect(repairs).toEqual({
        unavailable: true,
        capability: 'repair',
        message: 'repair is not available: no write access',
      });
    } finally {
      state.repairDown = false;
    }
  });

  describe('followJob (the useJobStream hook without React)', () => {
    const follow = async (id: string) => {
      const seen: Array<Partial<JobStreamState>> = [];
      await followJob(client, id, new AbortController().signal, (u) => seen.push(u), {
        maxReconnects: 2,
        reconnectMs: 100,
        pollMs: 300,
      });
      return { seen, last: seen.filter((u) => u.job).at(-1)!.job! };
    };
    const startRca = async () => {
      const started = await client.startRca({ namespace: 'shop', service: 'checkout' });
      if (isUnavailable(started)) throw new Error(started.message);
      return started;
    };

    it('reconnects when the stream drops mid-job and ends on the final record', async () => {
      state.streams = 0;
      state.cutNextStream = true;
      const job = await startRca();
      const { seen, last } = await follow(job.id);
      const final = await engineJson<JobRecordDto>(`/api/v1/jobs/${job.id}`);
      expect(final.status).toBe('succeeded');
      expect(last).toMatchObject({ id: job.id, status: final.status });
      expect(state.streams).toBeGreaterThanOrEqual(2);
      expect(seen.some((u) => u.transport === 'poll')).toBe(false);
    });

    it('polls when event streams are refused', async () => {
      state.streams = 0;
      state.refuseStreams = true;
      try {
        const job = await startRca();
        const { seen, last } = await follow(job.id);
        expect(last.status).toBe('succeeded');
        expect(seen).toContainEqual({ transport: 'poll' });
        expect(state.streams).toBe(3); // the first attempt and two reconnections
      } finally {
        state.refuseStreams = false;
      }
    });
  });
});
