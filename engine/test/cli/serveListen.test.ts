import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/runCliProcess.js';

function serve(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  return runCliProcess(['serve', ...args], { AICLOUDOPS_LOG_LEVEL: 'silent', ...env }, 90_000);
}

/**
 * A second `npm start` (found walking the README) printed "error: listen EADDRINUSE: address already in use
 * 127.0.0.1:8080": no setting named, nothing to do. Now the error names server.port / server.host and the flag.
 */
describe('aicloudops serve on a port or address it cannot listen on', () => {
  const taken: Server = createServer();
  afterAll(() => new Promise<void>((r) => taken.close(() => r())));

  it('a port already in use: INVALID_CONFIG naming server.port and --port, exit 2, no stack trace', async () => {
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const run = await serve(['--port', String(port)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error INVALID_CONFIG: port ${port} is already in use on 127.0.0.1`);
    expect(run.stderr).toContain('--port N (server.port)');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);

  // It built the whole engine first: the demo's knowledge base was ingested into the dataDir (here a fresh one; by
  // default the one the engine already on that port serves) before listen failed.
  it('a port already in use fails before the engine is built: nothing written to its dataDir', async () => {
    const port = (taken.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'aicloudops-taken-'));
    try {
      const run = await serve(['--port', String(port)], { AICLOUDOPS_DATA_DIR: dataDir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`port ${port} is already in use`);
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('an address this machine does not have: INVALID_CONFIG naming server.host', async () => {
    // TEST-NET-1 (RFC 5737) is never a local address; anonymous access is allowed so the auth check passes first.
    const run = await serve(['--port', '0', '--host', '192.0.2.1'], {
      AICLOUDOPS_SERVER__AUTH__ALLOW_ANONYMOUS: 'true',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error INVALID_CONFIG: cannot listen on 192.0.2.1');
    expect(run.stderr).toContain('(server.host)');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);

  it.each([['abc'], ['99999']])(
    '--port %s is refused naming --port, not server.port',
    async (port) => {
      // The flag's value was refused as `server.port: must be a whole number ...`, a setting nobody wrote.
      const run = await serve(['--port', port]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^error INVALID_CONFIG: invalid configuration: --port: must be a whole number from 0 to 65535/,
      );
      expect(run.stderr).not.toContain('server.port');
    },
    60_000,
  );
});
