import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { runCliProcess } from '../support/runCliProcess.js';

const TOKEN = 'one-shot-demo-operator-token';

interface Rca {
  candidates: Array<{ service: string; faultType: string; evidence: { events: Array<{ reason: string }> } }>;
}

/**
 * `aicloudops rca` without --server builds its own demo engine, whose opening fault began 15 minutes before it
 * did. Its cluster must tell that story too (pods in CrashLoopBackOff with their restarts and events, Kubelet.catchUp),
 * not start failing as the command starts: before, the one-shot RCA saw the fault only in metrics and typed the crash
 * loop `errors`, while the server (`npm start`, `--server`) typed it `crash-loop`.
 */
describe('one-shot demo RCA: the opening fault as the server sees it', () => {
  let server: RunningServer;
  const dataDir = mkdtempSync(join(tmpdir(), 'one-shot-demo-'));

  beforeAll(async () => {
    server = await startServer({
      config: {
        profile: 'demo',
        logLevel: 'silent',
        dataDir,
        server: {
          host: '127.0.0.1',
          port: 0,
          auth: { enabled: true, tokens: [{ name: 'cli', token: TOKEN, role: 'operator' }] },
        },
        alerts: { autoRca: false },
      },
      scheduleDemoFaults: true,
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('types the opening fault the same with and without --server, from cluster evidence', async () => {
    const [opening] = server.engine.demo!.ledger.all();
    expect(opening?.type).toBe('crash-loop');
    const env = { AICLOUDOPS_DATA_DIR: dataDir };
    const [oneShot, remote] = await Promise.all([
      runCliProcess(['--json', 'rca'], env, 90_000),
      runCliProcess(['--server', server.url, '--token', TOKEN, '--json', 'rca'], env, 90_000),
    ]);
    expect(oneShot.code, oneShot.stderr).toBe(0);
    expect(remote.code, remote.stderr).toBe(0);
    const typed = (run: { stdout: string }) => {
      const found = (JSON.parse(run.stdout) as Rca).candidates.find((c) => c.service === opening!.service);
      return {
        faultType: found?.faultType,
        crashEvents: found?.evidence.events.some((e) => /BackOff/.test(e.reason)),
      };
    };
    expect(typed(remote)).toEqual({ faultType: 'crash-loop', crashEvents: true });
    expect(typed(oneShot)).toEqual(typed(remote));
  }, 120_000);
});
