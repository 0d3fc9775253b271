import pino, { type Logger } from 'pino';
import type { EngineConfig } from './config/schema.js';
import type { EngineContext } from './context.js';
import type { HealthCheck } from './health/HealthCheck.js';
import { JobRunner } from './jobs/JobRunner.js';
import { EngineMetrics } from './server/httpMetrics.js';
import { ConfiguredServiceGraph } from './topology/ConfiguredServiceGraph.js';
import { FaultLedger } from './sim/faults.js';
import { DemoFaultScheduler } from './sim/DemoFaultScheduler.js';
import { SimulatedCluster } from './sim/SimulatedCluster.js';
import { createStore } from './store/createStore.js';
import { createClusterRegistry } from './sources/cluster/createClusterRegistry.js';
import { createMetricsSource, type DemoMetrics } from './sources/metrics/createMetricsSource.js';
import { checkMetricsSources } from './sources/metrics/MetricsSourceRegistry.js';
import { SHOP_NAMESPACE, SHOP_SERVICES } from './sim/shop.js';
import { PodRoster } from './sim/metrics/PodRoster.js';
import { createModelProvider } from './model/createModelProvider.js';
import type { ModelProvider } from './model/ModelProvider.js';
import { AssistantService } from './assistant/AssistantService.js';
import { RcaService } from './rca/RcaService.js';
import { ForecastService } from './forecast/ForecastService.js';
import { createRepairService } from './repair/createRepairService.js';
import type { RepairService } from './repair/RepairService.js';
import { JobEventRelay } from './jobs/JobEventRelay.js';
import { createScheduler } from './scheduler/createScheduler.js';
import type { Scheduler } from './scheduler/Scheduler.js';
import { loggerRedaction } from './util/redact.js';

/** The embedded world of the demo profile, exposed so the demo routes and tests can inject faults. */
export interface DemoWorld {
  cluster: SimulatedCluster;
  ledger: FaultLedger;
  namespace: string;
  renderExposition(time: number): string;
}

/**
 * The capabilities, built once per engine and shared by the HTTP routes, the CLI and embedders such as the Backstage
 * backend. The assistant is built on first use because it loads (and may ingest) the knowledge base.
 */
export interface EngineServices {
  rca: RcaService;
  forecast: ForecastService;
  assistant(): Promise<AssistantService>;
  /** Kubernetes auto-repair; absent when the default cluster cannot be acted on. The server starts its schedule. */
  repair?: RepairService;
}

export interface Engine {
  config: EngineConfig;
  context: EngineContext;
  /** The configured language model; undefined when `model.provider` is `none`. */
  model?: ModelProvider;
  services: EngineServices;
  metrics: EngineMetrics;
  serviceGraph: ConfiguredServiceGraph;
  /** Periodic work, run once per tick across replicas; the server starts it (`scheduler.enabled`). */
  scheduler: Scheduler;
  demo?: DemoWorld;
  /** Each configured source checked now: what /readyz and `aicloudops doctor` report. */
  readiness(): Promise<HealthCheck[]>;
  /** Waits for running jobs (up to the grace period), then releases every source. */
  close(): Promise<void>;
}

export interface CreateEngineOptions {
  logger?: Logger;
  /** Starts the demo's fault injection timer (the server does; the CLI's one-shot commands don't). */
  scheduleDemoFaults?: boolean;
  /**
   * A virtual clock (unix ms) for the simulated cluster, which then advances only by `engine.demo.cluster.step()`:
   * benchmarks replay an hour of cluster time in seconds (rca-live).
   */
  clock?: () => number;
}

export function createLogger(
  config: Pick<EngineConfig, 'logLevel'> & { server?: Pick<EngineConfig['server'], 'logQueries'> },
  options: { pretty?: boolean; stderr?: boolean } = {},
): Logger {
  // A CLI command's stdout is its output (`--json` is parsed by scripts), so its engine logs to stderr.
  const fd = options.stderr ? 2 : 1;
  return pino(
    {
      level: config.logLevel,
      // Humans at a terminal get readable lines; everything else (containers, CI) gets JSON.
      ...(options.pretty
        ? {
            transport: {
              target: 'pino-pretty',
              options: { colorize: true, ignore: 'pid,hostname', destination: fd },
            },
          }
        : {}),
      // Tokens, URL credentials, header values and (unless server.logQueries) what users type: util/redact.ts.
      redact: loggerRedaction({ logQueries: config.server?.logQueries ?? false }),
    },
    ...(options.pretty ? [] : [pino.destination({ fd, sync: true })]),
  );
}

export async function createEngine(config: EngineConfig, options: CreateEngineOptions = {}): Promise<Engine> {
  const logger = options.logger ?? createLogger(config);
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    let demo: DemoWorld | undefined;
    let simulated: SimulatedCluster | undefined;
    const ledger = new FaultLedger();

    if (config.cluster.kind === 'simulated') {
      // The opening fault goes in first: the cluster settles its shop with it already under way (15 minutes old),
      // so its pods, events and restarts match the metrics history from the first command on (Kubelet.catchUp).
      if (config.cluster.injectFaults && options.scheduleDemoFaults) {
        const scheduler = new DemoFaultScheduler({
          ledger,
          logger,
          seed: seedOf(config),
          intervalSeconds: config.cluster.faultIntervalSeconds,
        });
        scheduler.start();
        cleanups.push(() => scheduler.stop());
      }
      simulated = await SimulatedCluster.start({
        ledger,
        seedShop: true,
        seed: seedOf(config),
        ...(options.clock ? { clock: options.clock, tickMs: 0 } : {}),
      });
      cleanups.push(() => simulated!.stop());
    }

    // The demo metrics name the pods the simulated cluster runs, so pod-level evidence joins across sources.
    const roster = simulated
      ? new PodRoster({
          store: simulated.store,
          namespace: SHOP_NAMESPACE,
          services: SHOP_SERVICES,
          now: () => simulated!.now() / 1000,
          restarts: simulated.controller.restarts,
        })
      : undefined;
    if (roster) cleanups.push(() => roster.stop());
    const metricsSource = createMetricsSource(config.metrics, {
      ledger,
      logger,
      signals: config.signals.list,
      ...(roster ? { roster, placement: roster.placement } : {}),
    });
    const demoMetrics: DemoMetrics | undefined = metricsSource.demo;
    const store = await createStore(config.store, logger);
    cleanups.push(() => store.close());
    const clusters = createClusterRegistry(config.cluster, { simulated, logger });

    if (simulated && demoMetrics) {
      demo = {
        cluster: simulated,
        ledger,
        namespace: SHOP_NAMESPACE,
        renderExposition: (time) => demoMetrics!.renderExposition(time),
      };
    }

    const metrics = new EngineMetrics();
    const jobs = new JobRunner(store, logger, metrics, config.jobs);
    // Marks jobs left queued/running by a dead engine as interrupted, now and while this engine runs.
    jobs.startMaintenance();
    // Replicas sharing Redis see each other's job progress live (docs/adr/0003).
    if (config.store.kind === 'redis') {
      const relay = await JobEventRelay.start(jobs, store, logger);
      cleanups.push(() => relay.stop());
    }
    const context: EngineContext = { config, logger, metrics: metricsSource.source, clusters, store, jobs };
    const serviceGraph = new ConfiguredServiceGraph(store, config.serviceGraph.edges);
    const model = createModelProvider(config.model);
    let assistant: Promise<AssistantService> | undefined;
    const services: EngineServices = {
      rca: new RcaService(context, {
        ...(model ? { summarizer: { summarize: (prompt: string) => model.complete(prompt) } } : {}),
        configuredEdges: () => serviceGraph.edges(),
      }),
      forecast: new ForecastService(context),
      repair: createRepairService(config, {
        clusters,
        store,
        logger,
        metrics: metricsSource.source,
        ...(model ? { model } : {}),
      }),
      assistant: () =>
        (assistant ??= (async () => {
          const service = await AssistantService.create(context, model ? { model } : {});
          await service.init();
          return service;
        })()),
    };
    const scheduler = createScheduler(config, { store, clusters, logger, instance: jobs.instance });
    if (config.forecast.retrainIntervalHours > 0) {
      scheduler.register({
        name: 'forecast.retrain',
        intervalSeconds: config.forecast.retrainIntervalHours * 3600,
        run: () => services.forecast.retrainAll(),
      });
    }

    const engine: Engine = {
      config,
      context,
      metrics,
      serviceGraph,
      scheduler,
      ...(model ? { model } : {}),
      services,
      ...(demo ? { demo } : {}),
      async readiness() {
        // One check per configured metrics source (metrics:<name> when there are several), beside the others.
        const metricsChecks = checkMetricsSources(context.metrics);
        const checks = [
          context.store.check(),
          jobs.check(),
          ...(model ? [model.check()] : []),
          ...clusters.names().map(async (name) => {
            const check = await clusters.get(name).check();
            return { ...check, name: `cluster:${name}` };
          }),
        ];
        const [metricsResults, others] = await Promise.all([
          metricsChecks.catch((error: unknown) => [failedCheck(error)]),
          Promise.all(checks.map((c) => c.catch((error: unknown) => failedCheck(error)))),
        ]);
        return [...metricsResults, ...others];
      },
      async close() {
        await scheduler.stop();
        await services.repair?.stop();
        await jobs.drain(config.server.shutdownGraceSeconds * 1000);
        await services.rca.close();
        for (const cleanup of cleanups.reverse()) await cleanup();
      },
    };
    return engine;
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    throw error;
  }
}

function seedOf(config: EngineConfig): number {
  return config.metrics.kind === 'synthetic' ? config.metrics.seed : 42;
}

function failedCheck(error: unknown): HealthCheck {
  return { name: 'unknown', ok: false, detail: error instanceof Error ? error.message : String(error) };
}
