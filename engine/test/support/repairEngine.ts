import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { EngineClient } from '@ai-cloudops/engine-client';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';
import { makeTempDir } from './ManagedProcess.js';

/** The engine's real app listening on a loopback port, the typed client on it, and the engine (its store inside). */
export interface RepairEngine {
  engine: Engine;
  app: FastifyInstance;
  client: EngineClient;
  close(): Promise<void>;
}

/**
 * A demo engine with repair in approve mode on namespace shop, auth off, on its own data folder and the given store
 * (memory by default, or a real Redis's `{kind: 'redis', url}`): a test can boot one, stop it and boot another on the
 * same store, as a restart or a second replica.
 */
export async function bootRepairEngine(
  name: string,
  store: Record<string, unknown> = { kind: 'memory' },
): Promise<RepairEngine> {
  const dir = await makeTempDir(name);
  const engine = await createEngine(
    parseConfig({
      profile: 'demo',
      logLevel: 'silent',
      dataDir: dir.path,
      cluster: { kind: 'simulated', injectFaults: false },
      store,
      server: { auth: { enabled: false, tokens: [] } },
      repair: { maxMode: 'approve', namespaces: ['shop'] },
    }),
    { logger: pino({ level: 'silent' }) },
  );
  const app = await buildApp(engine);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    engine,
    app,
    client: new EngineClient({ baseUrl: `http://127.0.0.1:${port}` }),
    async close() {
      await app.close();
      await engine.close();
      await dir.remove();
    },
  };
}
