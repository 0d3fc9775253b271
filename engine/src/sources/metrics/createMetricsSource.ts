import type { Logger } from 'pino';
import type { EngineConfig, MetricsSourceConfig } from '../../config/schema.js';
import { EngineError } from '../../errors.js';
import type { FaultLedger } from '../../sim/faults.js';
import { ShopMetricsGenerator } from '../../sim/metrics/ShopMetricsGenerator.js';
import type { PodNameProvider } from '../../sim/metrics/PodRoster.js';
import { InfluxMetricsSource } from './InfluxMetricsSource.js';
import type { MetricsSource } from './MetricsSource.js';
import { MetricsSourceRegistry } from './MetricsSourceRegistry.js';
import { PrometheusMetricsSource } from './PrometheusMetricsSource.js';
import { SyntheticMetricsSource } from './SyntheticMetricsSource.js';

/** What the demo profile exposes beyond the MetricsSource: the generator and its scrapeable exposition. */
export interface DemoMetrics {
  generator: ShopMetricsGenerator;
  /** Prometheus text format 0.0.4 of the demo shop at a time (unix seconds), for `/demo/metrics`. */
  renderExposition(time: number): string;
}

export interface CreateMetricsSourceOptions {
  /** Faults of the simulated cluster, so the demo metrics show the same incidents. */
  ledger?: FaultLedger;
  logger?: Logger;
  /** Node of each demo pod, when the simulated cluster places pods itself. */
  placement?: (service: string, podIndex: number) => string | undefined;
  /** The pods the simulated cluster runs, so the demo metrics name them (sim/metrics/PodRoster). */
  roster?: PodNameProvider;
  /** The configured signals, so one naming an unknown source fails at startup (`signals.list.N.source`). */
  signals?: EngineConfig['signals']['list'];
}

/**
 * The configured metrics sources: the default one (`metrics:`) and any named `metrics.sources`, behind one
 * MetricsSourceRegistry that routes each query by the source it names. The demo's generator is exposed when the
 * default source is synthetic.
 */
export function createMetricsSource(
  config: EngineConfig['metrics'],
  options: CreateMetricsSourceOptions = {},
): { source: MetricsSource; demo?: DemoMetrics } {
  const { name, sources, ...defaultConfig } = config;
  if (sources[name]) {
    throw invalidConfig(
      `metrics.sources.${name}`,
      `"${name}" is already the default source's name (metrics.name)`,
    );
  }
  const named = new Map<string, MetricsSource>();
  let demo: DemoMetrics | undefined;
  for (const [sourceName, sourceConfig] of [[name, defaultConfig] as const, ...Object.entries(sources)]) {
    const built = createOne(sourceConfig, sourceName, options);
    named.set(sourceName, built.source);
    if (sourceName === name) demo = built.demo;
  }
  (options.signals ?? []).forEach((signal, i) => {
    if (signal.source !== undefined && !named.has(signal.source)) {
      throw invalidConfig(
        `signals.list.${i}.source`,
        `unknown metrics source "${signal.source}"; configured: ${[...named.keys()].join(', ')}`,
      );
    }
  });
  return { source: new MetricsSourceRegistry(name, named), ...(demo ? { demo } : {}) };
}

function createOne(
  config: MetricsSourceConfig,
  name: string,
  options: CreateMetricsSourceOptions,
): { source: MetricsSource; demo?: DemoMetrics } {
  switch (config.kind) {
    case 'prometheus':
      options.logger?.info({ source: name, url: config.url }, 'metrics: reading Prometheus');
      return {
        source: new PrometheusMetricsSource({
          url: config.url,
          timeoutSeconds: config.timeoutSeconds,
          headers: config.headers,
        }),
      };
    case 'influxdb':
      // Credentials are passed on, never logged.
      options.logger?.info(
        { source: name, url: config.url, database: config.database },
        'metrics: reading InfluxDB',
      );
      return {
        source: new InfluxMetricsSource({
          url: config.url,
          database: config.database,
          timeoutSeconds: config.timeoutSeconds,
          headers: config.headers,
          ...(config.retentionPolicy ? { retentionPolicy: config.retentionPolicy } : {}),
          ...(config.username !== undefined ? { username: config.username } : {}),
          ...(config.password !== undefined ? { password: config.password } : {}),
          ...(config.token !== undefined ? { token: config.token } : {}),
        }),
      };
    case 'synthetic': {
      const generator = new ShopMetricsGenerator({
        seed: config.seed,
        ...(options.ledger ? { ledger: options.ledger } : {}),
        ...(options.placement ? { placement: options.placement } : {}),
        ...(options.roster ? { roster: options.roster } : {}),
      });
      options.logger?.info(
        { source: name, seed: config.seed, series: generator.series().length },
        'metrics: synthetic demo shop',
      );
      return {
        source: new SyntheticMetricsSource(generator),
        demo: { generator, renderExposition: (time) => generator.renderExposition(time) },
      };
    }
  }
}

function invalidConfig(field: string, message: string): EngineError {
  return new EngineError('INVALID_CONFIG', `invalid configuration: ${field}: ${message}`, {
    issues: [{ field, message }],
  });
}
