import type { EngineConfig } from '../../config/schema.js';
import { EngineError } from '../../errors.js';
import { escapeLabelValue } from './escapeLabelValue.js';
import { escapeInfluxStringValue } from './influxql.js';
import type { HealthCheck } from '../../health/HealthCheck.js';
import type {
  InstantQueryOptions,
  InstantSample,
  Labels,
  MetricsSource,
  RangeQuery,
  RangeSeries,
  UnixSeconds,
} from './MetricsSource.js';

/**
 * Several named metrics sources behind the one MetricsSource interface: a query goes to the source it names
 * (`RangeQuery.source`, `InstantQueryOptions.source`), otherwise to the default. Capabilities keep one port; a signal
 * or a request picks the backend its query is written for. The label calls (series, labelNames, labelValues) take
 * PromQL selectors and go to the default source.
 */
export class MetricsSourceRegistry implements MetricsSource {
  private readonly sources: ReadonlyMap<string, MetricsSource>;

  constructor(
    readonly defaultName: string,
    sources: ReadonlyMap<string, MetricsSource>,
  ) {
    if (!sources.has(defaultName))
      throw new Error(`metrics source registry: no default source "${defaultName}"`);
    this.sources = sources;
  }

  get kind(): MetricsSource['kind'] {
    return this.get(undefined).kind;
  }

  names(): string[] {
    return [...this.sources.keys()];
  }

  /** The named source (the default when undefined); an unknown name is a 400 that lists the configured ones. */
  get(name: string | undefined): MetricsSource {
    const source = this.sources.get(name ?? this.defaultName);
    if (!source) {
      throw new EngineError('INVALID_INPUT', `unknown metrics source "${name}"`, {
        issues: [{ field: 'source', message: `must be one of ${this.names().join(', ')}` }],
      });
    }
    return source;
  }

  async instantQuery(
    query: string,
    time?: UnixSeconds,
    options: InstantQueryOptions = {},
  ): Promise<InstantSample[]> {
    return this.get(options.source).instantQuery(query, time, options);
  }

  async rangeQuery(query: RangeQuery): Promise<RangeSeries[]> {
    return this.get(query.source).rangeQuery(query);
  }

  async series(matchers: string[], start?: UnixSeconds, end?: UnixSeconds): Promise<Labels[]> {
    return this.get(undefined).series(matchers, start, end);
  }

  async labelNames(matchers?: string[]): Promise<string[]> {
    return this.get(undefined).labelNames(matchers);
  }

  async labelValues(label: string, matchers?: string[]): Promise<string[]> {
    return this.get(undefined).labelValues(label, matchers);
  }

  /** The default source's check; use checkEach() to see every source. */
  async check(): Promise<HealthCheck> {
    return this.get(undefined).check();
  }

  /**
   * Every source checked at once, each named `metrics` (a lone source, as before) or `metrics:<name>`, so /readyz
   * and `doctor` say which backend is down. A check that throws is reported, not propagated.
   */
  async checkEach(): Promise<HealthCheck[]> {
    const single = this.sources.size === 1;
    return Promise.all(
      [...this.sources].map(async ([name, source]) => {
        const check = await source.check().catch((error: unknown) => ({
          name: 'metrics',
          ok: false,
          detail: error instanceof Error ? error.message : String(error),
        }));
        return { ...check, name: single ? 'metrics' : `metrics:${name}` };
      }),
    );
  }
}

/** Every metrics source checked: the registry's each, or a lone source's one check. */
export function checkMetricsSources(source: MetricsSource): Promise<HealthCheck[]> {
  return source instanceof MetricsSourceRegistry ? source.checkEach() : source.check().then((c) => [c]);
}

/** The kind of the source a query goes to (`name` in a registry; the source itself otherwise). */
export function kindOf(source: MetricsSource, name?: string): MetricsSource['kind'] {
  return source instanceof MetricsSourceRegistry ? source.get(name).kind : source.kind;
}

/** The kind of a configured source by name (undefined: the default), read from config alone. */
export function configuredKind(config: EngineConfig['metrics'], name?: string): MetricsSource['kind'] {
  return name === undefined || name === config.name
    ? config.kind
    : (config.sources[name]?.kind ?? config.kind);
}

/** How label values enter a template written for a source: InfluxQL's string escape, or PromQL's (escapeLabelValue). */
export function templateEscapeFor(kind: MetricsSource['kind']): (value: string) => string {
  return kind === 'influxdb' ? escapeInfluxStringValue : escapeLabelValue;
}
