import { spawn } from 'child_process';
import path from 'path';

export interface EngineProcess {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a real engine (`startServer` from @ai-cloudops/engine, demo profile unless `config` says otherwise) in a
 * child Node process: the engine is ESM with Node-only dependencies that Jest's jsdom sandbox cannot load.
 */
export function startEngineProcess(config: Record<string, unknown> = {}, timeoutMs = 25_000): Promise<EngineProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'engineProcess.mjs')], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: {
      ...process.env,
      ENGINE_CONFIG: JSON.stringify({
        logLevel: 'silent',
        ...config,
        server: { port: 0, ...(config.server as object) },
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`engine did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with ${code}: ${stderr}`));
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      const match = /ENGINE_URL (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({
          url: match[1]!,
          close: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) {
                done();
                return;
              }
              const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
              child.once('exit', () => {
                clearTimeout(kill);
                done();
              });
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

/**
 * A real engine for the enclosing `describe`: started before its tests, stopped after them. The returned handle reads
 * the URL lazily, since the engine only exists once `beforeAll` has run.
 */
export function useEngineProcess(config: Record<string, unknown> = {}): { readonly url: string } {
  let running: EngineProcess | undefined;
  beforeAll(async () => {
    running = await startEngineProcess(config);
  }, 30_000);
  afterAll(async () => {
    await running?.close();
  });
  return {
    get url() {
      if (!running) {
        throw new Error('the engine process has not started');
      }
      return running.url;
    },
  };
}
