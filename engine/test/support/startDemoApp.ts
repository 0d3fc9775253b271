import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';

export interface DemoApp {
  engine: Engine;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * The demo engine (simulated shop, no scheduled faults unless `config` asks) behind its real HTTP app, ready for
 * `app.inject`, with a silent logger: what most route-level engine tests start from.
 */
export async function startDemoApp(config: Record<string, unknown> = {}): Promise<DemoApp> {
  const engine = await createEngine(
    parseConfig({
      profile: 'demo',
      logLevel: 'silent',
      cluster: { kind: 'simulated', injectFaults: false },
      ...config,
    }),
    { logger: pino({ level: 'silent' }) },
  );
  const app = await buildApp(engine);
  await app.ready();
  return {
    engine,
    app,
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}
