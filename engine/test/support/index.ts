export { freePort } from './freePort.js';
export { requireBinary } from './requireBinary.js';
export { ManagedProcess, makeTempDir, sleep } from './ManagedProcess.js';
export { startRedis, type RedisServer } from './startRedis.js';
export { startPrometheus, type PrometheusOptions, type PrometheusServer } from './startPrometheus.js';
export { startAlertmanager, type AlertmanagerServer } from './startAlertmanager.js';
export { openMetricsFromSeries, type OpenMetricsSeries } from './openMetricsFromSeries.js';
export { spawnEngineProcess, type EngineProcess } from './spawnEngineProcess.js';
export { startDemoApp, type DemoApp } from './startDemoApp.js';
export { runCliProcess, type CliProcessOptions, type CliProcessRun } from './runCliProcess.js';
export { startForecastApp } from './startForecastApp.js';
export { wave, lookupOf, perfect } from './autoscaleWave.js';
export { hoveringDemand } from './hoveringDemand.js';
export { petshopIncident, petshopSamples, type PetshopIncident } from './petshopIncident.js';
export { operatorAndViewerConfig } from './operatorAndViewerConfig.js';
// simulatedClusterPerTest.ts is imported from its own file, not from here: it registers vitest hooks, and the
// benchmarks (bench/*.bench.ts) import this index outside vitest (`npm run bench -- alert-noise` failed with
// "Vitest failed to access its internal state" while it was re-exported).
export { kubectlConfig } from './kubectlConfig.js';
