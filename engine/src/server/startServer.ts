import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { EngineConfig, EngineConfigInput } from '../config/schema.js';
import { parseConfig } from '../config/loadConfig.js';
import { createEngine, createLogger, type Engine } from '../engine.js';
import { buildApp } from './app.js';
import { enforceAuthPolicy } from './auth.js';
import type { Logger } from 'pino';

export interface StartServerOptions {
  /** A loaded config, or raw input validated here (demo profile by default). */
  config?: EngineConfig | EngineConfigInput;
  logger?: Logger;
  scheduleDemoFaults?: boolean;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  engine: Engine;
  /** Stops accepting connections, lets in-flight requests and jobs finish, then releases the sources. */
  close(): Promise<void>;
}

/** Creates the engine and listens; the library entry point the CLI, the Backstage backend's tests and users share. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  // Parsing is idempotent, so a loaded config and raw input take the same path.
  const config = parseConfig(structuredClone(options.config ?? {}) as Record<string, unknown>);
  const logger = options.logger ?? createLogger(config);
  // Before the engine exists: a deployment that would serve strangers without auth starts nothing at all.
  enforceAuthPolicy(config, logger);
  await portFree(config.server.host, config.server.port);
  const engine = await createEngine(config, {
    logger,
    scheduleDemoFaults: options.scheduleDemoFaults ?? false,
  });
  let app: FastifyInstance;
  try {
    app = await buildApp(engine);
    await app.listen({ host: config.server.host, port: config.server.port });
    // Periodic work (forecast retraining...) runs in servers only, once per tick across replicas.
    if (config.scheduler.enabled) engine.scheduler.start();
    // Repair scans and acts on its own Lease (repair.enabled; shadow mode unless repair.maxMode says otherwise).
    engine.services.repair?.start();
  } catch (error) {
    await engine.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    app,
    engine,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await engine.close();
      })()),
  };
}

/**
 * Fails as listen would, before the engine is built: with the port taken, `serve` built a whole engine first (the
 * demo's fault injected, the knowledge base ingested into the same dataDir as the engine already on that port) and
 * only then failed. A probe, not a reservation: a port taken between the two still fails at listen, as before.
 */
async function portFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
