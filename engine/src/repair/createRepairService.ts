import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { EngineConfig } from '../config/schema.js';
import type { ModelProvider } from '../model/ModelProvider.js';
import type { ClusterRegistry, ClusterSource, PodInfo } from '../sources/cluster/ClusterSource.js';
import type { MetricsSource } from '../sources/metrics/MetricsSource.js';
import type { Store } from '../store/Store.js';
import { ModelRepairAdvisor } from './advisor/ModelRepairAdvisor.js';
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
    /** The engine's model; used only when repair.model.enabled. */
    model?: ModelProvider;
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
  const logger = deps.logger.child({ capability: 'repair' });
  if (repair.model.enabled && !deps.model)
    logger.warn('repair.model.enabled is set but model.provider is none: planning with the rules alone');
  const advisor =
    repair.model.enabled && deps.model
      ? new ModelRepairAdvisor(deps.model, {
          timeoutSeconds: repair.model.timeoutSeconds,
          cacheSeconds: repair.model.cacheSeconds,
        })
      : undefined;
  return new RepairService({
    cluster,
    lease,
    store: deps.store,
    audit: createAuditLog(config.store, deps.store),
    rules,
    config: repair,
    logger,
    ...(advisor ? { advisor } : {}),
    watch: (onChange) =>
      watchPods(source, repair.namespaces.length ? repair.namespaces : [config.defaultNamespace], onChange),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
}

/**
 * Pod watches on the scanned namespaces; an event for a pod that is not Ready (or is gone) signals a change. API
 * servers end watches routinely, so each is opened again a few seconds after it ends, until stopped.
 */
async function watchPods(
  source: ClusterSource,
  namespaces: string[],
  onChange: () => void,
): Promise<{ stop(): void }> {
  let stopped = false;
  const handles = new Map<string, { stop(): void }>();
  const open = async (namespace: string): Promise<void> => {
    if (stopped) return;
    const reopen = () => {
      if (!stopped) setTimeout(() => void open(namespace).catch(() => undefined), 5_000).unref();
    };
    const handle = await source.watch(
      'pods',
      namespace,
      {},
      (event) => {
        const pod = event.object as PodInfo | undefined;
        if (
          event.type === 'DELETED' ||
          ((event.type === 'MODIFIED' || event.type === 'ADDED') && pod && !pod.ready)
        )
          onChange();
      },
      reopen,
    );
    handles.set(namespace, handle);
  };
  await Promise.all(namespaces.map(open));
  return {
    stop: () => {
      stopped = true;
      for (const h of handles.values()) h.stop();
    },
  };
}
