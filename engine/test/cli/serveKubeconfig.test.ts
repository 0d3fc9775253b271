import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/** `aicloudops serve --profile demo` prints the simulated API server and a kubeconfig that kubectl can use. */
const run = promisify(execFile);
const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'aicloudops.js');
const kubectl = await run('kubectl', ['version', '--client'])
  .then(() => 'kubectl')
  .catch(() => undefined);

function waitForBanner(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no banner within 90 s:\n${text}`)), 90_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/kubeconfig\s+\S+\n[\s\S]*kubectl get pods/.test(text)) {
        clearTimeout(timer);
        resolvePromise(text);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${text}`)));
  });
}

describe('aicloudops serve --profile demo', () => {
  let child: ChildProcess | undefined;
  // SIGTERM first, so a failed assertion does not leave the banner's kubeconfig temp dir behind; SIGKILL if it hangs.
  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    const force = setTimeout(() => child!.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
  }, 30_000);

  it('prints the Kubernetes API address and a kubeconfig kubectl reads the shop from', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AICLOUDOPS_')));
    child = spawn(process.execPath, [bin, 'serve', '--profile', 'demo', '--port', '0'], {
      env: { ...env, AICLOUDOPS_FROM_SOURCE: '1', AICLOUDOPS_STORE__KIND: 'memory' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const banner = await waitForBanner(child);
    // The README's quick start: "another is injected every ten minutes" (cluster.faultIntervalSeconds 600).
    expect(banner).toContain('a fault is already under way and another is injected every 10 minutes.');
    const api = /Kubernetes API (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    const path = /kubeconfig\s+(\S+)/.exec(banner)?.[1];
    expect(api).toBeDefined();
    expect(path && existsSync(path)).toBe(true);
    expect((await fetch(`${api}/version`)).status).toBe(200);
    if (kubectl) {
      const { stdout } = await run('kubectl', ['get', 'pods', '-n', 'shop'], {
        env: { ...process.env, KUBECONFIG: path! },
        timeout: 30_000,
      });
      expect(stdout).toMatch(/^cart-\S+\s+1\/1\s+Running/m);
    }
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    expect(existsSync(path!)).toBe(false);
  }, 150_000);
});
