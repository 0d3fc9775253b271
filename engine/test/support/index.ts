export { freePort } from './freePort.js';
export { requireBinary } from './requireBinary.js';
export { ManagedProcess, makeTempDir, sleep } from './ManagedProcess.js';
export { startRedis, type RedisServer } from './startRedis.js';
export { startPrometheus, type PrometheusOptions, type PrometheusServer } from './startPrometheus.js';
export { startAlertmanager, type AlertmanagerServer } from './startAlertmanager.js';
export { openMetricsFromSeries, type OpenMetricsSeries } from './openMetricsFromSeries.js';
export { spawnEngineProcess, type EngineProcess } from './spawnEngineProcess.js';
export { startDemoApp, type DemoApp } from './startDemoApp.js';
