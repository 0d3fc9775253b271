import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, repoRoot, type BenchMain } from './lib.js';
import type { LoadReport } from './overload/loadProcess.js';

/**
 * `overload`: /healthz latency while the engine (demo profile, `aicloudops serve` in its own process) runs the heaviest
 * workload its limits admit: 92-day range queries at 11,000 points, 31-day range windows, RCA submissions faster than
 * RCAs finish (so the queue sits at its admission limit and the rest get 429), and knowledge-base ingests. The load
 * comes from a third process; /healthz is sampled from this one every 20 ms. Baseline: the same probe with the engine
 * idle, in the same run. Last, SIGTERM is sent while heavy queries and RCAs run and the time to exit is measured
 * (server.shutdownGraceSeconds is 5 here).
 */
export const main: BenchMain = async (ctx) => {
  const durationSeconds = ctx.numberOption('duration', 30);
  const idleSeconds = ctx.numberOption('idle', 5);
  const mix = ctx.option('mix', 'range,window,rca,ingest').split(',');
  const port = await freePort();
  const tokens = { operator: 'overload-operator-0123456789', admin: 'overload-admin-0123456789' };
  const dir = mkdtempSync(join(tmpdir(), 'overload-'));
  const configFile = join(dir, 'config.json');
  const ingestPath = resolve(repoRoot, 'docs');
  writeFileSync(
    configFile,
    JSON.stringify({
      profile: 'demo',
      logLevel: 'warn',
      server: {
        port,
        host: '127.0.0.1',
        // SIGTERM lets in-flight jobs finish this long, then aborts them: the exit time measured below includes it.
        shutdownGraceSeconds: 5,
        auth: {
          enabled: true,
          tokens: [
            { name: 'op', token: tokens.operator, role: 'operator' },
            { name: 'admin', token: tokens.admin, role: 'admin' },
          ],
        },
      },
      cluster: { kind: 'simulated', injectFaults: false },
      assistant: { ingest: { roots: [ingestPath] } },
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  let engine = startEngine(configFile);
  try {
    await waitReady(url, engine);
    const idle = await probe(url, idleSeconds * 1000);
    const loadDone = runLoad({ url, ...tokens, durationSeconds, ingestPath, mix });
    const busy = await probe(url, durationSeconds * 1000);
    const load = await loadDone;
    // Other work on the machine shows in every latency: the load average says how much there was.
    const machineLoad = loadavg()[0]!;
    const fiveXx =
      Object.entries(load.byStatus)
        .filter(([s]) => Number(s) >= 500)
        .reduce((n, [, c]) => n + c, 0) + busy.errors5xx;
    const rejected429 = load.byStatus['429'] ?? 0;
    const sigtermMs = await sigtermDuringHeavyWork(url, engine, tokens.operator);
    engine = undefined as unknown as ChildProcess;

    printTable(
      `overload: /healthz every 20 ms from this process; ${durationSeconds}s of load (${mix.join(', ')}) from a second process; machine load average ${machineLoad.toFixed(1)} on ${availableParallelism()} cores`,
      ['phase', 'probes', 'p50 ms', 'p99 ms', 'max ms', 'probe errors'],
      [
        ['baseline: idle engine', idle.count, idle.p50, idle.p99, idle.max, idle.errors5xx + idle.failed],
        ['heaviest allowed load', busy.count, busy.p50, busy.p99, busy.max, busy.errors5xx + busy.failed],
      ],
    );
    printTable(
      'load answered',
      ['requests', 'by status', 'network errors', 'RCA 202', 'RCA 429', '5xx', 'SIGTERM → exit ms'],
      [
        [
          load.requests,
          JSON.stringify(load.byStatus),
          load.networkErrors,
          load.rcaAccepted,
          load.rcaRejected,
          fiveXx,
          sigtermMs,
        ],
      ],
    );
    return {
      healthz_p99_ms: busy.p99,
      healthz_p50_ms: busy.p50,
      healthz_max_ms: busy.max,
      baseline_healthz_p99_ms: idle.p99,
      baseline_healthz_p50_ms: idle.p50,
      errors_5xx: fiveXx,
      rejected_429: rejected429,
      load_requests: load.requests,
      network_errors: load.networkErrors + busy.failed,
      rca_accepted: load.rcaAccepted,
      sigterm_exit_ms: sigtermMs,
      machine_load_average: Math.round(machineLoad * 10) / 10,
    };
  } finally {
    engine?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
};

function startEngine(configFile: string): ChildProcess {
  const engineDir = fileURLToPath(new URL('..', import.meta.url));
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--config', configFile, 'serve'], {
    cwd: engineDir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitReady(url: string, engine: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (engine.exitCode !== null) throw new Error(`engine exited with code ${engine.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error('engine did not answer /healthz within 120 s');
}

interface ProbeStats {
  count: number;
  p50: number;
  p99: number;
  max: number;
  errors5xx: number;
  failed: number;
}

/** /healthz one at a time, a new probe 20 ms after the last answer; each latency from send to full body. */
async function probe(url: string, durationMs: number): Promise<ProbeStats> {
  const latencies: number[] = [];
  let errors5xx = 0;
  let failed = 0;
  const until = Date.now() + durationMs;
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
      await response.text();
      if (response.status >= 500) errors5xx++;
    } catch {
      failed++;
    }
    latencies.push(performance.now() - started);
    await sleep(20);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    count: latencies.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(latencies.at(-1) ?? NaN),
    errors5xx,
    failed,
  };
}

function runLoad(message: {
  url: string;
  operator: string;
  admin: string;
  durationSeconds: number;
  ingestPath: string;
  mix: string[];
}): Promise<LoadReport> {
  const worker = fork(fileURLToPath(new URL('./overload/loadProcess.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: LoadReport | { error: string }) => {
      worker.kill();
      if ('error' in reply) reject(new Error(reply.error));
      else resolve(reply);
    });
    worker.once('error', reject);
    worker.send(message);
  });
}

/** Starts four max-span queries, sends SIGTERM a second later, and times the engine's exit. */
async function sigtermDuringHeavyWork(url: string, engine: ChildProcess, token: string): Promise<number> {
  const end = Math.floor(Date.now() / 1000);
  const q = encodeURIComponent('sum by (service) (rate(http_requests_total[5m]))');
  for (let i = 0; i < 4; i++) {
    void fetch(
      `${url}/api/v1/metrics/query_range?query=${q}&start=${end - 92 * 86_400}&end=${end}&step=723`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    ).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    );
  }
  await sleep(1000);
  const exited = new Promise<void>((resolve) => engine.once('exit', () => resolve()));
  const started = performance.now();
  engine.kill('SIGTERM');
  const timeout = sleep(60_000).then(() => 'timeout' as const);
  const result = await Promise.race([exited, timeout]);
  return result === 'timeout' ? Infinity : round(performance.now() - started);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round = (x: number) => Math.round(x * 10) / 10;
