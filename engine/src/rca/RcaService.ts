import type { EngineContext } from '../context.js';
import { backfillIndexOnce } from '../store/backfillIndexOnce.js';
import type { JobRecord } from '../jobs/JobRunner.js';
import { EngineError, invalidRequest, notFoundAsUndefined, type FieldIssue } from '../errors.js';
import { MAX_POINTS_PER_SERIES } from '../sources/metrics/validateRangeQuery.js';
import type { AnalysisOutput } from './analyzeIncident.js';
import { RcaWorkerPool } from './worker/RcaWorkerPool.js';
import { redactText } from '../util/redact.js';
import { indexMember, readIndexPage } from '../store/readIndexPage.js';
import { collectCluster } from './collect/collectCluster.js';
import { collectGraph } from './collect/collectGraph.js';
import { collectMetrics } from './collect/collectMetrics.js';
import { writeNarrative } from './narrative.js';
import { parseRcaRequest, type ParsedRcaRequest, type RcaResult } from './schemas.js';
import type { IncidentWindow, ProgressFn, RcaInput, RcaTarget, Summarizer } from './types.js';
import { JOB_KIND } from '../jobs/jobKinds.js';

export const RCA_JOB_KIND = JOB_KIND.rca;
const resultKey = (id: string) => `rca:${id}`;
/** Time index of stored results (`${createdAt}|${id}`), outside the `rca:` prefix the backfill scans. */
const RESULTS_BY_TIME = 'rcaindex:created';

export interface RcaServiceOptions {
  /** The model port; absent means template narratives. */
  summarizer?: Summarizer;
  /** Clock in unix seconds (tests pin it). */
  now?: () => number;
  /** The operator-declared edges (the engine's ConfiguredServiceGraph); config.serviceGraph.edges otherwise. */
  configuredEdges?: () => Promise<Array<{ from: string; to: string }>>;
  /** Where analyzeIncident runs; a worker pool by default, so the event loop stays free. */
  workers?: RcaWorkerPool;
}

/** Shortest incident window: a minute, four points at the default 15 s step, the least a level change needs. */
export const MIN_WINDOW_SECONDS = 60;
/**
 * Clock skew tolerated for a window start or end meant as "now" on another machine (a client's clock a little ahead;
 * NTP keeps real ones far closer). Beyond it the window reaches into time that has no data yet.
 */
const FUTURE_SKEW_SECONDS = 60;

/**
 * What the RCA uses of the engine: its metrics and clusters, the store its results live in, the job runner, and its
 * own part of the config (not the whole context).
 */
export type RcaPorts = Pick<EngineContext, 'metrics' | 'clusters' | 'store' | 'jobs'> & {
  config: Pick<EngineContext['config'], 'rca' | 'signals' | 'serviceGraph' | 'defaultNamespace'>;
};

interface ResolvedRequest {
  namespace: string;
  cluster?: string;
  target?: RcaTarget;
  window: IncidentWindow;
}

/**
 * Root-cause analysis as a service: a request becomes a job (progress over the shared job SSE route), the job
 * collects metrics, the service graph and Kubernetes evidence through the configured sources, runs the pure analysis,
 * writes a narrative, and stores the result under `rca:<id>` (the job id) so any replica can list, show or re-run it.
 */
export class RcaService {
  private readonly summarizer?: Summarizer;
  private readonly now: () => number;
  private readonly configuredEdges: () => Promise<Array<{ from: string; to: string }>>;
  private readonly workers: RcaWorkerPool;

  constructor(
    private readonly ctx: RcaPorts,
    options: RcaServiceOptions = {},
  ) {
    this.summarizer = options.summarizer;
    this.now = options.now ?? (() => Date.now() / 1000);
    this.configuredEdges = options.configuredEdges ?? (async () => ctx.config.serviceGraph.edges);
    this.workers = options.workers ?? new RcaWorkerPool();
  }

  /** Stops the analysis workers (engine shutdown). */
  close(): Promise<void> {
    return this.workers.close();
  }

  /** Validates the request (EngineError INVALID_INPUT naming the field) and starts the analysis as a job. */
  async start(request: unknown): Promise<JobRecord<RcaResult>> {
    const parsed = this.validate(parseRcaRequest(request));
    return this.ctx.jobs.start<RcaResult>(RCA_JOB_KIND, request ?? {}, (job) =>
      this.run(
        parsed,
        request ?? {},
        job.id,
        (fraction, message) => job.progress(fraction, message),
        job.signal,
      ),
    );
  }

  /** Runs an analysis to the end without a job (CLI, tests); the result is stored all the same. */
  async analyze(
    request: unknown,
    id: string = crypto.randomUUID(),
    progress?: ProgressFn,
  ): Promise<RcaResult> {
    return this.run(this.validate(parseRcaRequest(request)), request ?? {}, id, progress);
  }

  async get(id: string): Promise<RcaResult> {
    const raw = await this.ctx.store.get(resultKey(id));
    if (!raw) throw new EngineError('NOT_FOUND', `RCA result ${id} not found`);
    return JSON.parse(raw) as RcaResult;
  }

  /**
   * Up to `limit` stored results, newest first, after the index member `after`, each with its member (for
   * paginateIndexed). Reads the time index and then only the page's results: GET /rca read every stored result per
   * request before. Index entries older than a result lives are pruned, and results stored before the index existed
   * are indexed once per process.
   */
  async page(query: {
    limit: number;
    after?: string | undefined;
  }): Promise<Array<{ record: RcaResult; key: string }>> {
    await this.maintainIndex();
    return readIndexPage(this.ctx.store, RESULTS_BY_TIME, query, (id) =>
      this.get(id).catch(notFoundAsUndefined),
    );
  }

  private indexChecked = false;
  private indexPrunedAt = 0;

  /** As JobRunner.maintainIndex: results stored before the index are indexed once; pruning at most once a minute. */
  private async maintainIndex(): Promise<void> {
    const store = this.ctx.store;
    if (!this.indexChecked) {
      await backfillIndexOnce(store, `${RESULTS_BY_TIME}:version`, '1', async () => {
        const stored = await Promise.all((await store.keys('rca:')).map((k) => store.get(k)));
        const members = stored
          .filter((r): r is string => r !== null)
          .map((r) => indexMember(JSON.parse(r) as RcaResult));
        if (members.length > 0) await store.zadd(RESULTS_BY_TIME, ...members);
      });
      this.indexChecked = true;
    }
    // createdAt is wall-clock time (the analysis clock `now` may be pinned to the incident).
    const now = Date.now();
    if (now - this.indexPrunedAt < 60_000) return;
    this.indexPrunedAt = now;
    await store.zremBelow(
      RESULTS_BY_TIME,
      new Date(now - this.ctx.config.rca.resultTtlSeconds * 1000).toISOString(),
    );
  }

  /** Starts a new analysis with the stored request of an earlier one. */
  async rerun(id: string): Promise<JobRecord<RcaResult>> {
    const previous = await this.get(id);
    return this.start(previous.request);
  }

  /**
   * What the schema cannot know: the configured clusters and the clock. An unknown cluster, a window in the future,
   * shorter than a minute or longer than a range query can read (baseline included) is a 400 naming the field,
   * before a job exists.
   */
  private validate(request: ParsedRcaRequest): ParsedRcaRequest {
    const issues: FieldIssue[] = [];
    const clusters = this.ctx.clusters.names();
    if (request.cluster !== undefined && !clusters.includes(request.cluster)) {
      issues.push({ field: 'body.cluster', message: `unknown cluster; configured: ${clusters.join(', ')}` });
    }
    const signals = this.ctx.config.signals.list.map((x) => x.name);
    if (request.target?.signal !== undefined && !signals.includes(request.target.signal)) {
      issues.push({
        field: 'body.target.signal',
        message: `unknown signal; configured: ${signals.join(', ')}`,
      });
    }
    const { window } = this.resolve(request);
    const endField = request.window ? 'body.window.end' : 'body.alert.endsAt';
    const startField = request.window ? 'body.window.start' : 'body.alert.startsAt';
    const { stepSeconds } = this.ctx.config.rca;
    const maxSeconds =
      (MAX_POINTS_PER_SERIES - 1) * stepSeconds - this.ctx.config.rca.anomaly.baselineSeconds;
    if (window.start > this.now() + FUTURE_SKEW_SECONDS) {
      issues.push({ field: startField, message: 'must not be in the future' });
    } else if (window.end > this.now() + FUTURE_SKEW_SECONDS) {
      // An end 28 h ahead was accepted and stored (found walking the README): there is no data to analyse there.
      issues.push({
        field: endField,
        message: `must not be more than ${FUTURE_SKEW_SECONDS} s in the future (omit it for now)`,
      });
    } else if (window.end - window.start < MIN_WINDOW_SECONDS) {
      issues.push({ field: endField, message: `the window must be at least ${MIN_WINDOW_SECONDS} s long` });
    } else if (window.end - window.start > maxSeconds) {
      issues.push({
        field: startField,
        message: `the window must be at most ${Math.floor(maxSeconds)} s long (${MAX_POINTS_PER_SERIES} points at rca.stepSeconds=${stepSeconds}, baseline included)`,
      });
    }
    if (issues.length > 0) throw invalidRequest(issues);
    return request;
  }

  private resolve(request: ParsedRcaRequest): ResolvedRequest {
    const { config } = this.ctx;
    const labels = request.alert?.labels ?? {};
    const namespace = request.namespace ?? labels.namespace ?? config.defaultNamespace;
    const alertService = labels.service ?? labels.app ?? labels.job;
    const target: RcaTarget | undefined =
      request.target ?? (alertService ? { service: alertService } : undefined);
    const now = this.now();
    let start: number;
    let end: number;
    if (request.window) {
      start = request.window.start;
      end = request.window.end ?? now;
    } else if (request.alert?.startsAt !== undefined) {
      start = request.alert.startsAt;
      end = Math.min(now, request.alert.endsAt ?? now);
      if (end <= start) end = start + config.rca.anomaly.defaultWindowSeconds;
    } else {
      end = now;
      start = now - config.rca.anomaly.defaultWindowSeconds;
    }
    return {
      namespace,
      cluster: request.cluster,
      target,
      window: { baselineStart: start - config.rca.anomaly.baselineSeconds, start, end },
    };
  }

  /** `signal` (the job's) stops the analysis between phases, its metric queries and its worker task. */
  private async run(
    parsed: ParsedRcaRequest,
    raw: unknown,
    id: string,
    progress?: ProgressFn,
    signal?: AbortSignal,
  ): Promise<RcaResult> {
    const { config } = this.ctx;
    const rca = config.rca;
    const resolved = this.resolve(parsed);
    const timings: Record<string, number> = {};
    const warnings: string[] = [];
    const startedAt = performance.now();
    progress?.(0.05, 'collecting metrics and cluster evidence');

    const cluster = this.ctx.clusters.get(resolved.cluster);
    let t0 = performance.now();
    const [metrics, clusterEvidence] = await Promise.all([
      collectMetrics(this.ctx.metrics, config.signals.list, {
        ...(signal ? { signal } : {}),
        namespace: resolved.namespace,
        serviceLabel: config.signals.serviceLabel,
        rateWindow: config.signals.window,
        stepSeconds: rca.stepSeconds,
        window: resolved.window,
        sameHoursDays: rca.anomaly.sameHoursDays,
      }).finally(() => (timings.collectMetricsMs = performance.now() - t0)),
      collectCluster(cluster, {
        namespace: resolved.namespace,
        window: resolved.window,
        changeLookbackSeconds: rca.kubernetes.changeLookbackSeconds,
        tailLines: rca.logs.tailLines,
        maxPods: rca.logs.maxPods,
      }).finally(() => (timings.collectClusterMs = performance.now() - t0)),
    ]);
    warnings.push(...metrics.warnings, ...clusterEvidence.warnings);
    assertSomethingToAnalyse(
      resolved,
      metrics.series,
      clusterEvidence,
      metrics.warnings.length + clusterEvidence.warnings.length,
    );
    progress?.(
      0.4,
      `collected ${metrics.series.length} series, ${clusterEvidence.events.length} events, ${clusterEvidence.logs.length} log lines`,
    );

    throwIfCancelled(signal);
    t0 = performance.now();
    const graph = await collectGraph(this.ctx.metrics, {
      configEdges: await this.configuredEdges().catch((error: unknown) => {
        warnings.push(`configured service graph: ${error instanceof Error ? error.message : String(error)}`);
        return config.serviceGraph.edges;
      }),
      edgeQuery: rca.graph.edgeQuery,
      callerLabel: rca.graph.callerLabel,
      calleeLabel: rca.graph.calleeLabel,
      namespace: resolved.namespace,
      rateWindow: config.signals.window,
      window: resolved.window,
      services: [...new Set([...metrics.series.map((s) => s.service), ...clusterEvidence.services])],
    });
    timings.collectGraphMs = performance.now() - t0;
    warnings.push(...graph.warnings);

    const input: RcaInput = {
      window: resolved.window,
      target: resolved.target,
      series: metrics.series,
      graph: graph.graph,
      logs: clusterEvidence.logs,
      events: clusterEvidence.events,
      changes: clusterEvidence.changes,
    };
    t0 = performance.now();
    throwIfCancelled(signal);
    const analysis: AnalysisOutput = await this.workers.analyze(input, rca, progress, signal);
    timings.analyzeMs = performance.now() - t0;
    Object.assign(timings, analysis.timings);

    progress?.(0.92, 'writing the narrative');
    t0 = performance.now();
    const { narrative, source } = await writeNarrative(
      analysis.candidates,
      resolved.target,
      analysis.reason,
      this.summarizer,
      warnings,
    );
    timings.narrativeMs = performance.now() - t0;
    timings.totalMs = performance.now() - startedAt;

    const result: RcaResult = {
      id,
      request: raw,
      createdAt: new Date().toISOString(),
      namespace: resolved.namespace,
      cluster: cluster.name,
      window: resolved.window,
      target: resolved.target,
      candidates: analysis.candidates,
      onset: analysis.onset,
      baseline: analysis.baseline,
      serviceGraph: analysis.graph,
      narrative,
      narrativeSource: source,
      // A source's error message may quote its URL or a header; the result is served to every viewer.
      warnings: warnings.map(redactText),
      timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 10) / 10])),
    };
    await this.ctx.store.batch([
      { op: 'set', key: resultKey(id), value: JSON.stringify(result), ttlSeconds: rca.resultTtlSeconds },
      { op: 'zadd', key: RESULTS_BY_TIME, members: [indexMember(result)] },
    ]);
    return result;
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('TIMEOUT', 'RCA cancelled');
}

/**
 * A namespace or target service that nothing knows (no series in the window, no workload, event or log) is a typo
 * far more often than a silent incident: answered as NOT_FOUND naming the field, not as a confident ranking of other
 * services (`rca -s nosuch` used to answer "the incident on nosuch most likely starts at shipping"). When a source
 * failed (warnings) the absence proves nothing, so the analysis goes on and says what failed.
 */
function assertSomethingToAnalyse(
  resolved: { namespace: string; target?: { service: string } },
  series: Array<{ service: string }>,
  cluster: { services: string[]; events: unknown[]; logs: unknown[] },
  failures: number,
): void {
  if (failures > 0) return;
  if (
    series.length === 0 &&
    cluster.services.length === 0 &&
    cluster.events.length === 0 &&
    cluster.logs.length === 0
  ) {
    throw new EngineError(
      'NOT_FOUND',
      `nothing to analyse in namespace "${resolved.namespace}": no series, workloads, events or logs in the window`,
      {
        issues: [
          {
            field: 'body.namespace',
            message: 'no series, workloads, events or logs in this namespace and window',
          },
        ],
      },
    );
  }
  const target = resolved.target?.service;
  if (target && !series.some((x) => x.service === target) && !cluster.services.includes(target)) {
    throw new EngineError(
      'NOT_FOUND',
      `no series or workload named "${target}" in namespace "${resolved.namespace}"`,
      {
        issues: [
          {
            field: 'body.target.service',
            message: `unknown in namespace ${resolved.namespace}; known: ${[...new Set([...series.map((x) => x.service), ...cluster.services])].sort().join(', ')}`,
          },
        ],
      },
    );
  }
}
