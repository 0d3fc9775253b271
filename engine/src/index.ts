/** The engine as a library: what the CLI, the HTTP server and the Backstage backend build on. */
export { createEngine, createLogger, type Engine, type DemoWorld } from './engine.js';
export { startServer, type RunningServer, type StartServerOptions } from './server/startServer.js';
export { buildApp } from './server/app.js';
export { loadConfig, parseConfig } from './config/loadConfig.js';
export { configSchema, type EngineConfig, type EngineConfigInput } from './config/schema.js';
export { EngineError, type ErrorCode, type FieldIssue } from './errors.js';
export type { EngineContext } from './context.js';
export type { MetricsSource } from './sources/metrics/MetricsSource.js';
export { InfluxMetricsSource } from './sources/metrics/InfluxMetricsSource.js';
export { MetricsSourceRegistry } from './sources/metrics/MetricsSourceRegistry.js';
export { Scheduler, type ScheduledTask } from './scheduler/Scheduler.js';
export { StoreLeaderLock } from './scheduler/StoreLeaderLock.js';
export type { ClusterSource, ClusterRegistry } from './sources/cluster/ClusterSource.js';
export type { Store } from './store/Store.js';
export { EngineClient, createEngineClient, EngineApiError } from '@ai-cloudops/engine-client';
export * from './schemas/index.js';
export { SimulatedCluster, type SimulatedClusterOptions } from './sim/SimulatedCluster.js';
export { FaultLedger, FAULT_TYPES, type Fault, type FaultType } from './sim/faults.js';
export { KubernetesClusterSource } from './sources/cluster/KubernetesClusterSource.js';
export { KubernetesClusterRegistry } from './sources/cluster/KubernetesClusterRegistry.js';
export { createClusterRegistry } from './sources/cluster/createClusterRegistry.js';
export { KubernetesLeaderLease } from './sources/cluster/KubernetesLeaderLease.js';
export type {
  Workload,
  WorkloadRef,
  PodInfo,
  EventInfo,
  NodeInfo,
  RolloutRevision,
  LeaderLease,
  WatchEvent,
} from './sources/cluster/ClusterSource.js';
export { AssistantService } from './assistant/AssistantService.js';
export { RcaService } from './rca/RcaService.js';
export { ForecastService } from './forecast/ForecastService.js';
export { createModelProvider } from './model/createModelProvider.js';
export type { ModelProvider } from './model/ModelProvider.js';
