import type { Logger } from 'pino';
import type { EngineConfig } from './config/schema.js';
import type { MetricsSource } from './sources/metrics/MetricsSource.js';
import type { ClusterRegistry } from './sources/cluster/ClusterSource.js';
import type { Store } from './store/Store.js';
import type { JobRunner } from './jobs/JobRunner.js';

/**
 * What the capabilities get: the configured sources behind their interfaces. Built once by createEngine() from
 * config; the HTTP server, the CLI and the Backstage backend all use the same services, never a copy.
 */
export interface EngineContext {
  config: EngineConfig;
  logger: Logger;
  metrics: MetricsSource;
  clusters: ClusterRegistry;
  store: Store;
  jobs: JobRunner;
}
