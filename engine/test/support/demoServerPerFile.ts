import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * The demo engine on a real loopback socket (no scheduled faults), started in the enclosing describe's beforeAll and
 * closed after it: for tests that need what app.inject hides (streams, the socket's close). Use `server.url` inside
 * tests; `config` adds to (or replaces top-level keys of) the demo's, and its `server` keys (auth) join the loopback
 * address. Imported from this file, not index.ts: it
 * registers vitest hooks.
 */
export function demoServerPerFile(config: Record<string, unknown> = {}): Pick<RunningServer, 'url'> {
  let current: RunningServer | undefined;
  beforeAll(async () => {
    current = await startServer({
      config: {
        logLevel: 'silent',
        cluster: { kind: 'simulated', injectFaults: false },
        ...config,
        server: { ...(config.server as Record<string, unknown> | undefined), host: '127.0.0.1', port: 0 },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await current?.close();
  });
  return {
    get url() {
      if (!current) throw new Error('the server starts in beforeAll: use it inside a test');
      return current.url;
    },
  };
}
