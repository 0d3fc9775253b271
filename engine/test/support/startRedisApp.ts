import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino from 'pino';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';
import { makeTempDir } from './ManagedProcess.js';
import { startRedis, type RedisServer } from './startRedis.js';
import { monitorRedis, type RedisMonitor } from './monitorRedis.js';

export interface RedisApp {
  redis: RedisServer;
  engine: Engine;
  app: FastifyInstance;
  /**
   * Starts Redis' MONITOR feed, to count what a request reads at the real server. Start it after seeding: a feed
   * behind by thousands of seeding commands misses its fences.
   */
  startMonitor(): Promise<RedisMonitor>;
  close(): Promise<void>;
}

/**
 * The engine's real app (auth off, simulated cluster) on a real Redis under `keyPrefix`, with a MONITOR on it: the
 * set-up of the tests that count the records a listing reads (startMonitor). `seed` writes to Redis before the engine starts (records
 * as an earlier version stored them). The test Redis fsyncs every write; seeding thousands of records does not need
 * that, so it is turned off.
 */
export async function startRedisApp(options: {
  name: string;
  keyPrefix: string;
  config?: Record<string, unknown>;
  seed?: (redis: Redis) => Promise<void>;
}): Promise<RedisApp> {
  const redis = await startRedis();
  const dir = await makeTempDir(options.name);
  const admin = new Redis(redis.url);
  await admin.config('SET', 'appendfsync', 'no');
  await options.seed?.(admin);
  admin.disconnect();
  const engine = await createEngine(
    parseConfig({
      logLevel: 'silent',
      dataDir: dir.path,
      cluster: { kind: 'simulated', injectFaults: false },
      store: { kind: 'redis', url: redis.url, keyPrefix: options.keyPrefix },
      server: { auth: { enabled: false, tokens: [] } },
      ...options.config,
    }),
    { logger: pino({ level: 'silent' }) },
  );
  const app = await buildApp(engine);
  await app.ready();
  let monitor: RedisMonitor | undefined;
  return {
    redis,
    engine,
    app,
    async startMonitor() {
      monitor ??= await monitorRedis(redis.url);
      return monitor;
    },
    async close() {
      monitor?.close();
      await app.close();
      await engine.close();
      await redis.stop();
      await dir.remove();
    },
  };
}
