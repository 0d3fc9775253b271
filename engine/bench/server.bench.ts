import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { startServer } from '../src/server/startServer.js';
import { printTable, type BenchMain } from './lib.js';

interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  total: number;
}

/**
 * `server`: requests/s and p99 latency of /healthz and a read endpoint (/api/v1/workloads over the simulated
 * cluster) under concurrent load from a second process. Baseline: a bare node:http server answering the same
 * /healthz body in the same run, i.e. the floor that fastify, auth, logging and metrics sit on.
 */
export const main: BenchMain = async (ctx) => {
  const connections = ctx.numberOption('connections', 32);
  const durationSeconds = ctx.numberOption('duration', 5);
  const token = 'bench-token-0123456789abcdef';

  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/healthz`;

  const server = await startServer({
    config: {
      logLevel: 'fatal',
      server: { port: 0, auth: { enabled: true, tokens: [{ name: 'bench', token, role: 'viewer' }] } },
      cluster: { kind: 'simulated', injectFaults: false },
    },
    logger: pino({ level: 'fatal' }),
  });
  const auth = { authorization: `Bearer ${token}` };
  try {
    const baseline = await load(bareUrl, connections, durationSeconds, {});
    const healthz = await load(`${server.url}/healthz`, connections, durationSeconds, {});
    const workloads = await load(
      `${server.url}/api/v1/workloads?namespace=shop`,
      connections,
      durationSeconds,
      auth,
    );

    printTable(
      `server: ${connections} connections, ${durationSeconds}s each, load from a second process`,
      ['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
      [
        [
          'baseline: bare node:http /healthz',
          baseline.requestsPerSecond,
          baseline.p50Ms,
          baseline.p99Ms,
          baseline.errors,
        ],
        ['engine /healthz', healthz.requestsPerSecond, healthz.p50Ms, healthz.p99Ms, healthz.errors],
        [
          'engine /api/v1/workloads (auth)',
          workloads.requestsPerSecond,
          workloads.p50Ms,
          workloads.p99Ms,
          workloads.errors,
        ],
      ],
    );
    return {
      baseline_healthz_rps: baseline.requestsPerSecond,
      baseline_healthz_p99_ms: baseline.p99Ms,
      healthz_rps: healthz.requestsPerSecond,
      healthz_p99_ms: healthz.p99Ms,
      healthz_errors: healthz.errors,
      workloads_rps: workloads.requestsPerSecond,
      workloads_p99_ms: workloads.p99Ms,
      workloads_errors: workloads.errors,
    };
  } finally {
    await server.close();
    bare.close();
  }
};

function load(
  url: string,
  connections: number,
  durationSeconds: number,
  headers: Record<string, string>,
): Promise<LoadResult> {
  const worker = fork(fileURLToPath(new URL('./server/loadWorker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: LoadResult | { error: string }) =>
      'error' in message ? reject(new Error(message.error)) : resolve(message),
    );
    worker.once('error', reject);
    worker.send({ url, connections, durationSeconds, headers });
  });
}
