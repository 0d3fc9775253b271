import { NO_REDIRECTS, splitUrlCredentials } from '../../util/urlCredentials.js';
import { EngineError } from '../../errors.js';
import type { HealthCheck } from '../../health/HealthCheck.js';
import type {
  InstantSample,
  Labels,
  MetricsSource,
  RangeQuery,
  RangeSeries,
  UnixSeconds,
} from './MetricsSource.js';
import { validateInstantQuery, validateRangeQuery } from './validateRangeQuery.js';

export interface PrometheusMetricsSourceOptions {
  /** Base URL of Prometheus or anything speaking its HTTP API (Thanos, Mimir, VictoriaMetrics), path prefix allowed. */
  url: string;
  timeoutSeconds?: number;
  /** Sent with every request, e.g. `Authorization` or `X-Scope-OrgID`. */
  headers?: Record<string, string>;
}

interface ApiEnvelope {
  status: 'success' | 'error';
  data?: unknown;
  errorType?: string;
  error?: string;
}

type PromSample = [number, string];
type VectorResult = Array<{ metric: Labels; value: PromSample }>;
type MatrixResult = Array<{ metric: Labels; values: PromSample[] }>;

/** Reads metrics over the Prometheus HTTP API (v1). Queries are POSTed as forms so long PromQL never hits URL limits. */
export class PrometheusMetricsSource implements MetricsSource {
  readonly kind = 'prometheus' as const;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(options: PrometheusMetricsSourceOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new EngineError('INVALID_CONFIG', `metrics.url is not a URL: "${options.url}"`, {
        issues: [{ field: 'metrics.url', message: 'must be a URL' }],
      });
    }
    const { url, headers } = splitUrlCredentials(parsed);
    this.base = url.replace(/\/+$/, '');
    this.timeoutMs = (options.timeoutSeconds ?? 30) * 1000;
    // Configured headers win over the URL's credentials.
    this.headers = { ...headers, ...(options.headers ?? {}) };
  }

  get url(): string {
    return this.base;
  }

  async instantQuery(query: string, time?: UnixSeconds): Promise<InstantSample[]> {
    validateInstantQuery(query, time);
    const form = new URLSearchParams({ query });
    if (time !== undefined) form.set('time', String(time));
    const data = (await this.call('POST', '/api/v1/query', form, query)) as {
      resultType: string;
      result: unknown;
    };
    switch (data.resultType) {
      case 'vector':
        return (data.result as VectorResult).map((r) => ({
          labels: r.metric,
          timestamp: r.value[0],
          value: parsePromValue(r.value[1]),
        }));
      case 'scalar': {
        const [timestamp, value] = data.result as PromSample;
        return [{ labels: {}, timestamp, value: parsePromValue(value) }];
      }
      case 'matrix':
        throw new EngineError(
          'PROMQL_ERROR',
          `an instant query must return a vector, but "${query}" returns a range vector; use a range query or wrap it in a function such as rate()`,
        );
      default:
        throw new EngineError('PROMQL_ERROR', `"${query}" returns a ${data.resultType}, not a vector`);
    }
  }

  async rangeQuery(range: RangeQuery): Promise<RangeSeries[]> {
    const q = validateRangeQuery(range);
    const form = new URLSearchParams({
      query: q.query,
      start: String(q.start),
      end: String(q.end),
      step: String(q.stepSeconds),
    });
    const data = (await this.call('POST', '/api/v1/query_range', form, q.query)) as {
      resultType: string;
      result: unknown;
    };
    if (data.resultType !== 'matrix') {
      throw new EngineError(
        'UPSTREAM_ERROR',
        `Prometheus at ${this.base} answered a range query with ${data.resultType}`,
      );
    }
    return (data.result as MatrixResult).map((r) => ({
      labels: r.metric,
      timestamps: r.values.map(([t]) => t),
      values: r.values.map(([, v]) => parsePromValue(v)),
    }));
  }

  async series(matchers: string[], start?: UnixSeconds, end?: UnixSeconds): Promise<Labels[]> {
    if (matchers.length === 0) {
      throw new EngineError('INVALID_INPUT', 'series needs at least one selector', {
        issues: [{ field: 'matchers', message: 'must not be empty' }],
      });
    }
    const form = this.matcherForm(matchers, start, end);
    return (await this.call('POST', '/api/v1/series', form, matchers.join(', '))) as Labels[];
  }

  async labelNames(matchers: string[] = []): Promise<string[]> {
    const form = this.matcherForm(matchers);
    return (await this.call('POST', '/api/v1/labels', form, matchers.join(', '))) as string[];
  }

  async labelValues(label: string, matchers: string[] = []): Promise<string[]> {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) {
      throw new EngineError('INVALID_INPUT', `"${label}" is not a label name`, {
        issues: [{ field: 'label', message: 'must match [a-zA-Z_][a-zA-Z0-9_]*' }],
      });
    }
    // The label values endpoint only takes GET.
    const params = this.matcherForm(matchers);
    return (await this.call('GET', `/api/v1/label/${label}/values`, params, matchers.join(', '))) as string[];
  }

  async check(): Promise<HealthCheck> {
    const started = performance.now();
    try {
      const ready = await this.request('GET', '/-/ready');
      await ready.arrayBuffer();
      // 404: a server without Prometheus' management endpoints (Thanos, Mimir...): buildinfo or a query decides.
      if (!ready.ok && ready.status !== 404) {
        return {
          name: 'metrics',
          ok: false,
          detail: `Prometheus at ${this.base} is not ready (HTTP ${ready.status}); it may still be replaying its WAL`,
          latencyMs: performance.now() - started,
        };
      }
      const build = (await this.call('GET', '/api/v1/status/buildinfo', new URLSearchParams(), '')) as {
        version?: string;
      };
      return {
        name: 'metrics',
        ok: true,
        detail: `Prometheus ${build.version ?? '(unknown version)'} at ${this.base} is ready`,
        latencyMs: performance.now() - started,
      };
    } catch (error) {
      // Servers speaking only the query API (some managed services) have no /-/ready or buildinfo: a query decides.
      if (error instanceof EngineError && error.code === 'UPSTREAM_ERROR') {
        try {
          await this.instantQuery('vector(1)');
          return {
            name: 'metrics',
            ok: true,
            detail: `${this.base} answers PromQL (no readiness endpoint)`,
            latencyMs: performance.now() - started,
          };
        } catch {
          // Fall through to the original error.
        }
      }
      return {
        name: 'metrics',
        ok: false,
        detail: `${error instanceof Error ? error.message : String(error)}; check metrics.url and that Prometheus is running`,
        latencyMs: performance.now() - started,
      };
    }
  }

  private matcherForm(matchers: string[], start?: UnixSeconds, end?: UnixSeconds): URLSearchParams {
    const form = new URLSearchParams();
    for (const m of matchers) form.append('match[]', m);
    if (start !== undefined) form.set('start', String(start));
    if (end !== undefined) form.set('end', String(end));
    return form;
  }

  private async request(method: 'GET' | 'POST', path: string, params?: URLSearchParams): Promise<Response> {
    const url = `${this.base}${path}${method === 'GET' && params && [...params].length > 0 ? `?${params}` : ''}`;
    try {
      return await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...this.headers,
        },
        ...(method === 'POST' ? { body: params?.toString() ?? '' } : {}),
        ...NO_REDIRECTS,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.transportError(error);
    }
  }

  /** One API call: transport errors, HTTP errors and `status: error` envelopes all become EngineErrors. */
  private async call(
    method: 'GET' | 'POST',
    path: string,
    params: URLSearchParams,
    query: string,
  ): Promise<unknown> {
    const response = await this.request(method, path, params);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.transportError(error);
    }
    let body: ApiEnvelope | undefined;
    try {
      body = JSON.parse(text) as ApiEnvelope;
    } catch {
      body = undefined;
    }
    if (response.ok && body?.status === 'success') return body.data;

    const message = body?.error ?? `HTTP ${response.status}: ${text.slice(0, 200)}`;
    const where = `Prometheus at ${this.base}`;
    if (body?.errorType === 'bad_data' || (response.status === 422 && body?.errorType === 'execution')) {
      throw new EngineError('PROMQL_ERROR', `${message} (query: ${query})`);
    }
    if (body?.errorType === 'timeout' || response.status === 504) {
      throw new EngineError(
        'TIMEOUT',
        `${where} timed out evaluating the query: ${message} (query: ${query})`,
      );
    }
    if (response.status === 503) {
      throw new EngineError('UPSTREAM_UNAVAILABLE', `${where} is unavailable: ${message}`);
    }
    throw new EngineError('UPSTREAM_ERROR', `${where} answered ${path} with an error: ${message}`);
  }

  private transportError(error: unknown): EngineError {
    const name = (error as { name?: string })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new EngineError(
        'TIMEOUT',
        `Prometheus at ${this.base} did not answer within ${this.timeoutMs / 1000} s`,
        {
          cause: error,
        },
      );
    }
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return new EngineError('UPSTREAM_UNAVAILABLE', `Prometheus at ${this.base} is unreachable (${reason})`, {
      cause: error,
    });
  }
}

/** Prometheus' float strings: Number() does not understand "+Inf". */
export function parsePromValue(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
    default:
      return Number(text);
  }
}
