/** The engine as a library: what the CLI, the HTTP server and the Backstage backend build on. */
export { createEngine, createLogger, type Engine, type DemoWorld } from './engine.js';
export { startServer, type RunningServer, type StartServerOptions } from './server/startServer.js';
export { buildApp } from './server/app.js';
export { loadConfig, parseConfig } from './config/loadConfig.js';
export { configSchema, type EngineConfig, type EngineConfigInput } from './config/schema.js';
export { EngineError, type ErrorCode, type FieldIssue } from './errors.js';
export type { EngineContext } from './context.js';
export type { MetricsSource } from './sources/metrics/MetricsSource.js';
export type { ClusterSource, ClusterRegistry } from './sources/cluster/ClusterSource.js';
export type { Store } from './store/Store.js';
export { EngineClient, createEngineClient, EngineApiError } from './client/EngineClient.js';
export * from './schemas/index.js';
