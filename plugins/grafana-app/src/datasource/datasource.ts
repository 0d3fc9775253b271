import {
  DataSourceApi,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { t } from '@grafana/i18n';
import { createEngineApi, type EngineApi } from '../api/EngineApi';
import { grafanaFetch } from '../api/grafanaFetch';
import type { RangeSeriesDto, RcaResult, SignalCatalog } from '../api/types';
import { DEFAULT_NAMESPACE } from '../constants';
import { UNESCAPED } from '../locales/unescaped';
import { DEFAULT_ANOMALY_OPTIONS } from './anomalyScore';
import { serviceGraphFrames } from './serviceGraphFrames';
import { anomalyToFrame, forecastToFrame, historyToFrame } from './toFrames';
import { DEFAULT_QUERY, type CloudOpsDataSourceOptions, type CloudOpsQuery } from './types';

/** The engine refuses more than 11,000 points per series. */
const MAX_POINTS = 10_000;

export class CloudOpsDataSource extends DataSourceApi<CloudOpsQuery, CloudOpsDataSourceOptions> {
  private readonly api: EngineApi;
  private readonly defaultNamespace: string;
  private signalsCache?: Promise<SignalCatalog>;

  constructor(instanceSettings: DataSourceInstanceSettings<CloudOpsDataSourceOptions>) {
    super(instanceSettings);
    // The datasource's own proxy route (plugin.json `routes`) forwards to jsonData.engineUrl with the token.
    this.api = createEngineApi({ baseUrl: `${instanceSettings.url ?? ''}/engine`, fetchApi: grafanaFetch });
    this.defaultNamespace = instanceSettings.jsonData?.defaultNamespace || DEFAULT_NAMESPACE;
  }

  getDefaultQuery(): Partial<CloudOpsQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: CloudOpsQuery): boolean {
    if (query.kind === 'service-graph') {
      return !query.hide;
    }
    return !query.hide && Boolean(query.service) && Boolean(query.signal);
  }

  applyTemplateVariables(query: CloudOpsQuery, scopedVars: ScopedVars): CloudOpsQuery {
    const templateSrv = getTemplateSrv();
    const replace = (value?: string) => (value && templateSrv ? templateSrv.replace(value, scopedVars) : value);
    return {
      ...query,
      service: replace(query.service) ?? '',
      signal: replace(query.signal) ?? '',
      namespace: replace(query.namespace),
      rcaId: replace(query.rcaId),
    };
  }

  /** Signals the engine is configured with, for the query editor and for history queries. */
  signals(): Promise<SignalCatalog> {
    if (!this.signalsCache) {
      this.signalsCache = this.api.signals().catch((error) => {
        this.signalsCache = undefined;
        throw error;
      });
    }
    return this.signalsCache;
  }

  async query(request: DataQueryRequest<CloudOpsQuery>): Promise<DataQueryResponse> {
    const targets = request.targets
      .filter((t) => this.filterQuery(t))
      .map((t) => this.applyTemplateVariables({ ...DEFAULT_QUERY, ...t }, request.scopedVars));
    // One failing panel query must not blank the others: failures come back as per-refId errors beside the data.
    const results = await Promise.allSettled(targets.map((t) => this.runQuery(t, request)));
    const data: DataFrame[] = [];
    const errors: DataQueryError[] = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        data.push(...result.value);
      } else {
        const message = result.reason instanceof Error ? result.reason.message : String(result.reason);
        errors.push({ refId: targets[i]!.refId, message });
      }
    });
    return errors.length > 0 ? { data, errors, error: errors[0] } : { data };
  }

  /**
   * Template variables: `services(namespace)` lists the workloads the engine sees (default namespace when empty),
   * `signals()` the configured signal names.
   */
  async metricFindQuery(query: string, options?: { scopedVars?: ScopedVars }): Promise<MetricFindValue[]> {
    const templateSrv = getTemplateSrv();
    const text = (templateSrv ? templateSrv.replace(query, options?.scopedVars) : query).trim();
    const services = /^services\(\s*([^)]*?)\s*\)$/.exec(text);
    if (services) {
      const workloads = await this.api.workloads({ namespace: services[1] || this.defaultNamespace });
      return [...new Set(workloads.map((w) => w.name))].sort().map((name) => ({ text: name, value: name }));
    }
    if (/^signals\(\s*\)$/.test(text)) {
      return (await this.signals()).items.map((s) => ({ text: s.name, value: s.name }));
    }
    throw new Error(
      t('errors.variable-query', 'unknown variable query "{{query}}": use services(namespace) or signals()', {
        query: text,
        ...UNESCAPED,
      })
    );
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const readiness = await this.api.readiness();
      const failing = readiness.checks.filter((c) => !c.ok);
      if (readiness.ready) {
        return {
          status: 'success',
          message: t('test.ready', 'Engine ready ({{profile}} profile): {{count}} checks passed', {
            profile: readiness.profile,
            count: readiness.checks.length,
            ...UNESCAPED,
          }),
        };
      }
      return {
        status: 'error',
        message: t('test.not-ready', 'Engine not ready: {{failing}}', {
          failing: failing.map((c) => `${c.name}: ${c.detail}`).join('; ') || t('test.no-checks', 'no checks reported'),
          ...UNESCAPED,
        }),
      };
    } catch (error) {
      return {
        status: 'error',
        message: t('test.unreachable', 'Cannot reach the engine: {{error}}', {
          error: error instanceof Error ? error.message : String(error),
          ...UNESCAPED,
        }),
      };
    }
  }

  private async runQuery(query: CloudOpsQuery, request: DataQueryRequest<CloudOpsQuery>): Promise<DataFrame[]> {
    const target = { refId: query.refId, service: query.service, signal: query.signal };
    if (query.kind === 'service-graph') {
      return serviceGraphFrames(await this.rcaFor(query), query.refId);
    }
    if (query.kind === 'forecast') {
      const response = await this.api.forecast({
        service: query.service,
        signal: query.signal,
        namespace: query.namespace || undefined,
        horizonMinutes: query.horizonMinutes || undefined,
      });
      return [forecastToFrame(response, target)];
    }
    const from = request.range.from.valueOf();
    const to = request.range.to.valueOf();
    const step = Math.max(1, Math.ceil(request.intervalMs / 1000), Math.ceil((to - from) / 1000 / MAX_POINTS));
    // Anomaly scores need trailing context before the first visible point.
    const contextMs = query.kind === 'anomaly-score' ? DEFAULT_ANOMALY_OPTIONS.window * step * 1000 : 0;
    const series = await this.serviceSeries(query, (from - contextMs) / 1000, to / 1000, step);
    return query.kind === 'anomaly-score' ? [anomalyToFrame(series, target, from)] : [historyToFrame(series, target)];
  }

  /** The RCA a service-graph query names, else the newest one (of its namespace when it names one). */
  private async rcaFor(query: CloudOpsQuery): Promise<RcaResult> {
    if (query.rcaId) {
      return this.api.rca(query.rcaId);
    }
    // Newest first; a page of 50 covers the namespaces of a busy engine without walking every stored result.
    const found = (await this.api.rcas({ limit: 50 })).find((r) => !query.namespace || r.namespace === query.namespace);
    if (!found) {
      throw new Error(
        query.namespace
          ? t('errors.no-rca-in', 'no root-cause analysis in namespace "{{namespace}}" yet', {
              namespace: query.namespace,
              ...UNESCAPED,
            })
          : t('errors.no-rca', 'no root-cause analysis yet')
      );
    }
    return found;
  }

  private async serviceSeries(query: CloudOpsQuery, start: number, end: number, step: number): Promise<RangeSeriesDto> {
    const catalog = await this.signals();
    const signal = catalog.items.find((s) => s.name === query.signal);
    if (!signal) {
      throw new Error(
        t('errors.unknown-signal', 'signal "{{signal}}" is not configured in the engine', {
          signal: query.signal,
          ...UNESCAPED,
        })
      );
    }
    const promql = signal.query
      .split('$namespace')
      .join(query.namespace || this.defaultNamespace)
      .split('$service')
      .join(query.service)
      .split('$window')
      .join(catalog.window);
    const series = await this.api.queryRange({ query: promql, start: Math.floor(start), end: Math.ceil(end), step });
    const match = series.find((s) => s.labels[catalog.serviceLabel] === query.service);
    if (!match) {
      throw new Error(
        t('errors.no-series', 'no {{signal}} series for service "{{service}}"', {
          signal: query.signal,
          service: query.service,
          ...UNESCAPED,
        })
      );
    }
    return match;
  }
}
