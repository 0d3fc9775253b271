import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface EngineProcess {
  url: string;
  /** The engine's job-runner instance id (what its leases and job records name). */
  instance: string;
  child: ChildProcess;
}

/**
 * A real engine in its own Node process, from source through tsx, for tests that kill engines or run several on one
 * store. The child is pushed to `children` as soon as it exists, so the caller's clean-up kills it even when start-up
 * fails.
 */
export function spawnEngineProcess(
  config: Record<string, unknown>,
  children: ChildProcess[],
  timeoutMs = 60_000,
): Promise<EngineProcess> {
  const entry = fileURLToPath(new URL('../../src/server/startServer.ts', import.meta.url));
  const script = `
    const { startServer } = await import(${JSON.stringify(entry)});
    const server = await startServer({ config: JSON.parse(process.env.ENGINE_CONFIG) });
    process.stdout.write('ENGINE ' + server.url + ' ' + server.engine.context.jobs.instance + '\\n');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, ENGINE_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`engine did not start: ${err}`)), timeoutMs);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => reject(new Error(`engine exited with ${code}: ${err}`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /ENGINE (\S+) (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, instance: match[2]!, child });
      }
    });
  });
}
