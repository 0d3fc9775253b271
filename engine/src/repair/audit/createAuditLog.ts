import type { EngineConfig } from '../../config/schema.js';
import { RedisStore } from '../../store/RedisStore.js';
import type { Store } from '../../store/Store.js';
import type { AuditLog } from './AuditLog.js';
import { MemoryAuditLog } from './MemoryAuditLog.js';
import { RedisAuditLog } from './RedisAuditLog.js';

/** A Redis stream when the store is Redis (live use, shared by replicas), memory otherwise. */
export function createAuditLog(config: EngineConfig['store'], store: Store): AuditLog {
  if (config.kind === 'redis' && store instanceof RedisStore) {
    return new RedisAuditLog({ client: store.client, key: `${config.keyPrefix}repair:audit` });
  }
  return new MemoryAuditLog();
}
