import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { EngineConfig } from '../config/schema.js';
import type { ClusterRegistry } from '../sources/cluster/ClusterSource.js';
import type { MetricsSource } from '../sources/metrics/MetricsSource.js';
import type { Store } from '../store/Store.js';
import { createAuditLog } from './audit/createAuditLog.js';
import { RepairService, defaultRepairIdentity } from './RepairService.js';
import { defaultRuleFile } from './rules/defaultRules.js';
import { RuleBook, parseRuleFile } from './rules/loadRules.js';

/**
 * The repair service on the default cluster, or undefined when that cluster cannot be acted on (no actuator or no
 * Lease support). A broken rules file stops the engine at start with errors naming each field.
 */
export function createRepairService(
  config: Pick<EngineConfig, 'repair' | 'store' | 'defaultNamespace'>,
  deps: {
    clusters: ClusterRegistry;
    store: Store;
    logger: Logger;
    metrics?: Pick<MetricsSource, 'instantQuery'>;
  },
): RepairService | undefined {
  const source = deps.clusters.get();
  const cluster = source.repairActuator?.();
  if (!cluster || !source.leaderLease) return undefined;
  const { repair } = config;
  const file = repair.rulesFile;
  const rules = new RuleBook(file ? parseRuleFile(readFileSync(file, 'utf8'), file) : defaultRuleFile());
  const lease = source.leaderLease(
    repair.lease.namespace ?? config.defaultNamespace,
    repair.lease.name,
    defaultRepairIdentity(),
    repair.lease.durationSeconds,
  );
  return new RepairService({
    cluster,
    lease,
    store: deps.store,
    audit: createAuditLog(config.store, deps.store),
    rules,
    config: repair,
    logger: deps.logger.child({ capability: 'repair' }),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
}
