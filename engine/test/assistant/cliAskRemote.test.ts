import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/runCliInProcess.js';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * `aicloudops ask --server` against a running demo engine: a fault injected over HTTP (POST /api/v1/demo/faults), then
 * the CLI reads the answer's server-sent events as they come and prints the tokens, what was looked at and the sources.
 */
describe('aicloudops ask --server streams from a running engine', () => {
  let server: RunningServer;
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-ask-remote-'));
  beforeAll(async () => {
    server = await startServer({
      config: {
        logLevel: 'silent',
        dataDir,
        server: { host: '127.0.0.1', port: 0 },
        cluster: { kind: 'simulated', injectFaults: false },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = runCliInProcess;

  it('names the injected failure, cites its runbook first, and prints token by token', async () => {
    const injected = await fetch(`${server.url}/api/v1/demo/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'crash-loop', service: 'shipping' }),
    });
    expect(injected.status).toBe(201);
    server.engine.demo!.cluster.step(8);
    const { stdout, stderr, writes } = await run([
      'ask',
      'why is shipping failing?',
      '-w',
      'shipping',
      '-n',
      'shop',
      '--server',
      server.url,
    ]);
    expect(stderr).toMatch(/\[looked at\] pods of Deployment\/shipping in shop/);
    expect(stderr).toMatch(/\[looked at\] logs of pod shipping-/);
    expect(stderr).toMatch(/\[looked at\] metrics of shipping/);
    expect(stdout).toMatch(/Seen on the workload: CrashLoopBackOff/);
    expect(stdout).toMatch(/Sources:\n\[1\] Pod in CrashLoopBackOff/);
    expect(writes).toBeGreaterThan(5);
  }, 60_000);
});
