import type { Engine } from '../engine.js';
import { AlertService, type AlertServiceOptions } from './AlertService.js';
import { PrometheusAlertPoller } from './ingest/PrometheusAlertPoller.js';
import { AnomalyAlertSource, anomalyAlertSink } from './anomaly/AnomalyAlertSource.js';
import { repairFindingSink } from './repairFindingAlerts.js';
import { LiveServiceGraph } from '../topology/LiveServiceGraph.js';

const services = new WeakMap<Engine, AlertService>();

/**
 * The engine's AlertService, built on first use from the engine's store, config, service graph, RCA and metrics.
 * Other capabilities raise alerts through it (`alertsOf(engine).raise({ source: 'anomaly', labels })`).
 */
export function alertsOf(
  engine: Engine,
  overrides: Pick<AlertServiceOptions, 'now' | 'onNotification'> = {},
): AlertService {
  let service = services.get(engine);
  if (!service) {
    const graph = liveServiceGraph(engine, overrides.now);
    service = new AlertService({
      store: engine.context.store,
      config: engine.config.alerts,
      logger: engine.context.logger.child({ capability: 'alerts' }),
      edges: () => graph.edges(),
      registry: engine.metrics.registry,
      startRca: async (request) => (await engine.services.rca.start(request)).id,
      ...overrides,
    });
    services.set(engine, service);
  }
  return service;
}

/**
 * Alerts group along the graph RCA analyses: the configured edges and those the edge query finds over the last ten
 * minutes (a call path idle longer than that joins no alerts) in the default namespace and every namespace the
 * cluster config lists.
 */
function liveServiceGraph(engine: Engine, nowMs: () => number = Date.now): LiveServiceGraph {
  const { rca, signals, defaultNamespace, cluster } = engine.config;
  return new LiveServiceGraph({
    metrics: engine.context.metrics,
    configured: () => engine.serviceGraph.edges(),
    edgeQuery: rca.graph.edgeQuery,
    callerLabel: rca.graph.callerLabel,
    calleeLabel: rca.graph.calleeLabel,
    namespaces: [
      ...new Set([defaultNamespace, ...(cluster.kind === 'kubernetes' ? cluster.namespaces : [])]),
    ],
    rateWindow: signals.window,
    lookbackSeconds: 600,
    now: () => nowMs() / 1000,
    logger: engine.context.logger.child({ capability: 'alerts' }),
  });
}

/**
 * What the server runs: the clock tick, the Prometheus poller and the anomaly alerts when configured, and repair's
 * findings as alerts. Returns the stop function.
 */
export async function startAlerting(engine: Engine): Promise<() => void> {
  const service = alertsOf(engine);
  await service.start();
  const { metrics } = engine.config;
  const pollSeconds = engine.config.alerts.prometheusPollSeconds;
  let poller: PrometheusAlertPoller | undefined;
  if (metrics.kind === 'prometheus' && pollSeconds > 0) {
    poller = new PrometheusAlertPoller({
      url: metrics.url,
      intervalSeconds: pollSeconds,
      headers: metrics.headers ?? {},
      service,
      logger: engine.context.logger,
    });
    poller.start();
  }
  registerAnomalyAlerts(engine, service);
  const unfollowRepair = engine.services.repair?.onScan(repairFindingSink(service, engine.context.logger));
  return () => {
    unfollowRepair?.();
    poller?.stop();
    service.stop();
  };
}

/**
 * Anomaly detection is periodic work for the whole deployment, not for each replica: it runs on the engine's
 * scheduler, so each tick polls once across replicas (on the leader; ADR 3). A new leader's detectors warm up from the
 * signals' history on their first poll, and re-raising an alert that already fires changes nothing.
 */
function registerAnomalyAlerts(engine: Engine, service: AlertService): void {
  const config = engine.config.alerts.anomaly;
  if (!config || engine.scheduler.taskNames().includes(ANOMALY_TASK)) return;
  const source = new AnomalyAlertSource(engine.context.metrics, config, anomalyAlertSink(service));
  engine.scheduler.register({
    name: ANOMALY_TASK,
    intervalSeconds: config.intervalSeconds,
    run: () => source.poll(),
  });
}

const ANOMALY_TASK = 'alerts.anomaly';
