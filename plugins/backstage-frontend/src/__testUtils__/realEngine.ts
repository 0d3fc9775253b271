import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CloudOpsClient } from '../api/CloudOpsClient';

/**
 * A real engine (the demo profile: simulated cluster and shop metrics) in its own process, reached by the real
 * CloudOpsClient through a plain forwarder of the backend's /engine pass-through (the backend's permission checks
 * are tested in the backend plugin). For component tests that render the cards on the engine's own results.
 */
export interface RealEngine {
  url: string;
  /** The pass-through's base (what discovery answers for `aicloudops`), for clients built with another fetchApi. */
  base: string;
  client: CloudOpsClient;
  /** JSON from the engine itself (to compare what the card shows with what the engine answered). */
  json<T>(method: string, enginePath: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startRealEngine(config: Record<string, unknown> = {}): Promise<RealEngine> {
  const child = await spawnEngine({
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0 },
    cluster: { kind: 'simulated', injectFaults: false },
    ...config,
  });
  const forwarder = await startForwarder(child.url);
  const client = new CloudOpsClient({
    discoveryApi: { getBaseUrl: async () => forwarder.base },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
    pollIntervalMs: 300,
  });
  return {
    url: child.url,
    base: forwarder.base,
    client,
    json: async <T>(method: string, enginePath: string, body?: unknown) => {
      const response = await fetch(`${child.url}${enginePath}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok)
        throw new Error(`${method} ${enginePath}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    stop: async () => {
      // Open streams end too (the forwarder then ends them on the engine), or the engine would wait for them.
      forwarder.server.close();
      forwarder.server.closeAllConnections();
      const exited = new Promise((resolve) => child.process.once('exit', resolve));
      child.process.kill('SIGTERM');
      await exited;
    },
  };
}

/** The demo engine in its own process with this config; resolves once it prints the URL it listens on. */
export function spawnEngine(config: Record<string, unknown>): Promise<{ url: string; process: ChildProcess }> {
  // A child process: the engine is ESM with Node-only dependencies that Jest's module sandbox does not load.
  const child = spawn(process.execPath, [path.join(__dirname, 'engineProcess.mjs')], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, ENGINE_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (c) => (err += String(c)));
    child.on('exit', (code) => reject(new Error(`engine exited with ${code}: ${err}`)));
    child.stdout!.on('data', (c) => {
      out += String(c);
      const match = /ENGINE_URL (\S+)/.exec(out);
      if (match) {
        child.removeAllListeners('exit');
        resolve({ url: match[1]!, process: child });
      }
    });
  });
}

/**
 * Forwards /api/aicloudops/engine/* to the engine, streaming the answer (event streams included) with its Retry-After,
 * and closes the engine's side when the caller goes away, as the backend's pass-through does: a stream the card closes
 * is then closed on the engine too, where a test can see its slot free again.
 */
async function startForwarder(engineUrl: string): Promise<{ base: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    try {
      const enginePath = (req.url ?? '').replace(/^\/api\/aicloudops\/engine/, '');
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const upstream = await fetch(`${engineUrl}${enginePath}`, {
        method: req.method,
        headers: {
          accept: req.headers.accept ?? 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body,
        signal: gone.signal,
      });
      const retryAfter = upstream.headers.get('retry-after');
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
        ...(retryAfter ? { 'retry-after': retryAfter } : {}),
      });
      const reader = upstream.body!.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return void res.end();
        res.write(value);
      }
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/aicloudops`, server };
}

/** axe-core's serious and critical violations in a rendered tree, as `rule: target` lines for a readable failure. */
export async function seriousAxeViolations(root: Element): Promise<string[]> {
  const axe = (await import('axe-core')).default;
  const results = await axe.run(root, {
    // jsdom computes no layout or colours: axe cannot judge contrast here (the browser test does).
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}
