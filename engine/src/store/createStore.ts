import type { Logger } from 'pino';
import type { EngineConfig } from '../config/schema.js';
import { MemoryStore } from './MemoryStore.js';
import { RedisStore } from './RedisStore.js';
import type { Store } from './Store.js';

/**
 * The store the config asks for. An unreachable Redis does not stop the engine from starting: the client keeps
 * reconnecting in the background and /readyz reports the store as not ok until it answers.
 */
export async function createStore(config: EngineConfig['store'], logger?: Logger): Promise<Store> {
  if (config.kind === 'memory') return new MemoryStore();
  const store = new RedisStore({
    url: config.url,
    keyPrefix: config.keyPrefix,
    ...(logger ? { logger } : {}),
  });
  if (!(await store.waitUntilReady(5_000))) {
    logger?.warn('store: Redis is not reachable yet; continuing and retrying in the background');
  }
  return store;
}
