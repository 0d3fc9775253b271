import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Stops a child by SIGTERM, then SIGKILL after 10 s. */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      done();
      return;
    }
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** A loopback port that was free a moment ago (the backend needs its port in its config before it starts). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * A real engine (demo profile: simulated shop and synthetic metrics) in its own process, through the plugin's
 * engine script (`startServer` from @ai-cloudops/engine; ESM that Jest's module system cannot load).
 */
export function startEngine(config: Record<string, unknown>, timeoutMs = 60_000): Promise<Running> {
  const child = spawn(process.execPath, [path.resolve(__dirname, '../src/__testUtils__/engineProcess.mjs')], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, ENGINE_CONFIG: JSON.stringify({ logLevel: 'silent', ...config }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`engine did not start within ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    child.stderr!.on('data', (chunk) => (output += String(chunk)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with ${code}: ${output}`));
    });
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = /ENGINE_URL (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ url: match[1]!, close: () => stop(child) });
      }
    });
  });
}

/**
 * The backend dev app (plugins/backstage-backend/dev/index.ts: catalog, search, guest sign-in, the aicloudops
 * plugin) as `npm start` runs it — node with Backstage's TypeScript loader and the dev configs — but without the
 * CLI's file watcher, which would restart it whenever someone edits the backend's sources during the test.
 * `overrides` is one more config file on top (ports, engine URL). Resolves once the aicloudops plugin answers.
 */
export async function startDevBackend(
  port: number,
  overrides: Record<string, unknown>,
  timeoutMs = 120_000,
): Promise<Running> {
  const backendDir = path.join(REPO, 'plugins/backstage-backend');
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'aicloudops-backend-config-'));
  const overridesFile = path.join(configDir, 'app-config.browser-test.yaml');
  // JSON is YAML.
  writeFileSync(overridesFile, JSON.stringify(overrides));
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'dev/index.ts',
      '--config',
      path.join(REPO, 'provisioning/backstage/app-config.dev.yaml'),
      '--config',
      path.join(REPO, 'provisioning/backstage/app-config.demo-catalog.yaml'),
      '--config',
      overridesFile,
    ],
    {
      cwd: backendDir,
      env: { ...process.env, NODE_ENV: 'development', ESBK_TSCONFIG_PATH: path.join(REPO, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output = (output + String(chunk)).slice(-20_000)));
  child.stderr!.on('data', (chunk) => (output = (output + String(chunk)).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the dev backend exited with ${child.exitCode}: ${output}`);
    }
    const health = await fetch(`${url}/api/aicloudops/health`).catch(() => undefined);
    if (health?.ok) {
      return { url, close: () => stop(child) };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop(child);
  throw new Error(`the dev backend did not answer within ${timeoutMs} ms: ${output}`);
}
