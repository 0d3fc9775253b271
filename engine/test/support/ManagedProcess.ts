import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.js';

/**
 * A server process started by a test: stopped by its PID, killed when the test process exits even if a test threw
 * before calling stop(), and with its recent output kept for error messages.
 */
export class ManagedProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private log = '';

  private constructor(
    readonly name: string,
    binary: string,
    args: string[],
    cwd: string,
  ) {
    this.child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      // Only the tail matters for diagnosis; servers log a lot at startup.
      this.log = (this.log + chunk.toString('utf8')).slice(-8000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.exitCode = code;
        live.delete(this);
        resolve(code);
      });
      this.child.once('error', (error) => {
        this.log += `\nspawn error: ${error.message}`;
        this.exitCode = -1;
        live.delete(this);
        resolve(-1);
      });
    });
    live.add(this);
  }

  static start(name: string, binary: string, args: string[], cwd: string): ManagedProcess {
    return new ManagedProcess(name, binary, args, cwd);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  output(): string {
    return this.log;
  }

  /** Polls `probe` until it returns true; fails early with the server's output if the process dies first. */
  async waitUntil(probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`${this.name} exited with code ${this.exitCode} before it was ready:\n${this.log}`);
      }
      if (await probe().catch(() => false)) return;
      await sleep(50);
    }
    await this.stop();
    throw new Error(`${this.name} was not ready after ${timeoutMs} ms:\n${this.log}`);
  }

  /** SIGKILL at once: a crash, nothing flushed or closed cleanly. */
  async kill(): Promise<void> {
    if (!this.running || this.child.pid === undefined) return;
    signal(this.child.pid, 'SIGKILL');
    await this.exited;
  }

  /** SIGTERM (so Redis flushes its AOF), then SIGKILL if it lingers. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running || this.child.pid === undefined) return;
    signal(this.child.pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') {
      signal(this.child.pid, 'SIGKILL');
      await this.exited;
    }
  }
}

const live = new Set<ManagedProcess>();

process.once('exit', () => {
  for (const managed of live) if (managed.pid !== undefined) signal(managed.pid, 'SIGKILL');
});

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function makeTempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `aicloudops-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** True when an HTTP GET answers 2xx. */
export async function httpOk(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.ok;
}

/**
 * Starts a server on a fresh port, retrying with another port when it fails to come up (another process may have
 * taken the port between freePort() and bind).
 */
export async function startOnFreePort<T>(attempt: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await attempt(await freePort());
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

export interface ReadyServer {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts a Prometheus-family binary (Prometheus, Alertmanager: both answer `/-/ready`) on a free loopback port in
 * its temp dir; stopping it also removes the dir.
 */
export function startReadyServer(
  name: string,
  binary: string,
  dir: { path: string; remove(): Promise<void> },
  argsFor: (port: number) => string[],
  readyHeaders: Record<string, string> = {},
): Promise<ReadyServer> {
  return startOnFreePort(async (port) => {
    const server = ManagedProcess.start(`${name} :${port}`, binary, argsFor(port), dir.path);
    const url = `http://127.0.0.1:${port}`;
    await server.waitUntil(() => httpOk(`${url}/-/ready`, readyHeaders));
    return {
      url,
      port,
      dir: dir.path,
      async stop() {
        await server.stop();
        await dir.remove();
      },
    };
  });
}
