import type { EngineContext } from '../context.js';
import type { JobRecord } from '../jobs/JobRunner.js';
import { EngineError, invalidRequest } from '../errors.js';
import type { ForecastConfig } from './config.js';
import { fitForecaster, type Forecaster } from './Forecaster.js';
import type { BacktestResult } from './backtest.js';
import {
  loadHistory,
  resolveQuery,
  seriesKeyOf,
  type History,
  type HistorySelector,
} from './history/loadHistory.js';
import { ModelRegistry, type ModelVersion } from './persistence/ModelRegistry.js';
import { prepareSeries, type PreparedSeries } from './series/prepareSeries.js';
import {
  backtestRequestSchema,
  forecastRequestSchema,
  horizonTooLong,
  parseWith,
  scalePlanRequestSchema,
  trainRequestSchema,
  type ForecastResponse,
  type ScalePlanResponse,
} from './schemas.js';
import { runTrainingInWorker } from './worker/runTrainingInWorker.js';
import type { TrainingOutcome, TrainingTask } from './worker/trainingTask.js';
import { planReplicas, type ForecastPoint } from './autoscale/planReplicas.js';
import { hpaManifest, kedaScaledObject, type Manifest } from './autoscale/manifests.js';
import { applyScalePlan } from './autoscale/applyScalePlan.js';
import { kedaTriggerQuery } from './autoscale/kedaTriggerQuery.js';
import { learnCapacity } from './autoscale/learnCapacity.js';
import type { ClusterSource, WorkloadRef } from '../sources/cluster/ClusterSource.js';
import { escapeLabelValue, escapeRegexLabelValue } from '../sources/metrics/escapeLabelValue.js';
import { JOB_KIND } from '../jobs/jobKinds.js';

/** Baselines only: what a request may fit on the spot when no trained model exists (no LSTM on the request path). */
const COLD_START_MODELS: ForecastConfig['models'] = [
  'naive',
  'seasonal_naive_day',
  'seasonal_naive_week',
  'holt_winters',
  'ensemble',
];

const REQUESTS_KEY = 'forecast:requests';

/**
 * The workload to plan for; an unknown name says which workloads of that kind the namespace has, as an unknown RCA
 * service does (`scale-plan -w nosuch` said only `deployments.apps "nosuch" not found`).
 */
async function workloadNamed(cluster: ClusterSource, ref: WorkloadRef) {
  try {
    return await cluster.getWorkload(ref);
  } catch (error) {
    if (!(error instanceof EngineError && error.code === 'NOT_FOUND')) throw error;
    const known = (await cluster.listWorkloads(ref.namespace))
      .filter((w) => w.kind === ref.kind)
      .map((w) => w.name)
      .sort();
    throw new EngineError('NOT_FOUND', `no ${ref.kind} ${ref.name} in namespace ${ref.namespace}`, {
      issues: [
        {
          field: 'body.workload.name',
          message: `unknown ${ref.kind} in namespace ${ref.namespace}; known: ${known.join(', ') || 'none'}`,
        },
      ],
    });
  }
}

/** Minutes ahead when a request names none (capped at the model's horizon). */
const DEFAULT_HORIZON_MINUTES = 60;

/**
 * Steps ahead for a request. Models are fitted and their intervals calibrated for `forecast.horizonSteps` steps only;
 * a longer horizon used to come back as that many points with no word (600 minutes asked, 60 given), so it is refused
 * naming the field and the longest this series' model reaches.
 */
function horizonSteps(minutes: number | undefined, modelSteps: number, stepSeconds: number): number {
  const stepsFor = (m: number) => Math.max(1, Math.ceil((m * 60) / stepSeconds));
  if (minutes === undefined) return Math.min(modelSteps, stepsFor(DEFAULT_HORIZON_MINUTES));
  if (stepsFor(minutes) <= modelSteps) return stepsFor(minutes);
  const longest = Math.floor((modelSteps * stepSeconds) / 60);
  throw invalidRequest([
    {
      field: 'body.horizonMinutes',
      message: horizonTooLong(
        longest,
        `for this series: its model forecasts ${modelSteps} steps of ${stepSeconds} s (forecast.horizonSteps)`,
      ),
    },
  ]);
}

/**
 * The forecast capability: forecasts from the promoted model of a series (or baselines on the spot when none is
 * trained yet), training and backtests as jobs run in a worker thread, replica plans, and a retraining schedule.
 * History only comes through the MetricsSource.
 */
export class ForecastService {
  readonly registry: ModelRegistry;
  private readonly config: ForecastConfig;
  /** Loaded forecasters by `seriesKey@version`, so a forecast does not reload weights on every request. */
  private readonly cache = new Map<string, Forecaster>();
  /** Training workers run one after another: each already uses what the tfjs backend can get from the cores. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly ctx: EngineContext) {
    this.config = ctx.config.forecast;
    this.registry = new ModelRegistry(ctx.store, this.config.keepVersions);
  }

  async forecast(input: unknown): Promise<ForecastResponse> {
    const request = parseWith(forecastRequestSchema, input);
    const history = await this.history(
      request,
      Math.min(this.config.historyDays, this.config.serveHistoryDays),
    );
    const series = this.prepare(history, request.counter);
    const key = history.seriesKey;
    let forecaster: Forecaster;
    let source: ForecastResponse['source'] = 'stored';
    let version: number | undefined;
    const current = await this.registry.currentVersion(key);
    if (current !== undefined) {
      forecaster = await this.loaded(key, current);
      version = current;
    } else {
      source = 'cold-start';
      forecaster = await fitForecaster(series, { config: { ...this.config, models: COLD_START_MODELS } });
    }
    try {
      const steps = horizonSteps(request.horizonMinutes, forecaster.horizon, series.stepSeconds);
      const points = await this.pointsFrom(forecaster, series, steps);
      const historySteps = Math.min(
        series.z.length,
        Math.round((request.historyHours * 3600) / series.stepSeconds),
      );
      const historyPoints = [];
      for (let i = series.z.length - historySteps; i < series.z.length; i++) {
        if (series.observed[i])
          historyPoints.push({ t: series.start + i * series.stepSeconds, value: series.values[i]! });
      }
      return {
        seriesKey: key,
        model: forecaster.chosen,
        reason:
          forecaster.spec.reason +
          (source === 'cold-start'
            ? ' [cold start: no trained model for this series yet; baselines fitted now]'
            : ''),
        source,
        ...(version !== undefined ? { modelVersion: version } : {}),
        stepSeconds: series.stepSeconds,
        coverage: forecaster.spec.coverage,
        ...(forecaster.spec.scaleMargin !== undefined ? { scaleMargin: forecaster.spec.scaleMargin } : {}),
        points: points.map(({ plan: _plan, ...p }) => p),
        history: historyPoints,
      };
    } finally {
      if (source === 'cold-start') forecaster.dispose();
    }
  }

  /** Starts a training job; the result is the stored model version (promoted only if it passed validation). */
  async train(input: unknown): Promise<JobRecord<ModelVersion>> {
    const request = parseWith(trainRequestSchema, input);
    const days = request.historyDays ?? this.config.historyDays;
    // Resolve now so a bad signal is a 400, not a failed job.
    resolveQuery(this.ctx.config, request);
    return this.ctx.jobs.start(JOB_KIND.forecastTrain, request, async (job) => {
      job.progress(0.01, 'reading history');
      const history = await this.history(request, days);
      const outcome = await this.runTask(history, request.counter, 'train', job.signal, (f, m) =>
        job.progress(0.05 + f * 0.9, m),
      );
      job.progress(0.97, 'storing model');
      const meta = await this.registry.save(history.seriesKey, outcome.spec, outcome.lstm);
      await this.ctx.store.hset(REQUESTS_KEY, {
        [history.seriesKey]: JSON.stringify({ ...request, historyDays: days }),
      });
      job.logger.info(
        { seriesKey: history.seriesKey, version: meta.version, promoted: meta.promoted },
        'forecast model trained',
      );
      return meta;
    });
  }

  /** Starts a backtest job: fit on all but the last `testDays`, score those by rolling origin beside every baseline. */
  async backtest(input: unknown): Promise<JobRecord<BacktestResult & { seriesKey: string }>> {
    const request = parseWith(backtestRequestSchema, input);
    const days = request.historyDays ?? this.config.historyDays;
    if (request.testDays >= days) {
      throw new EngineError('INVALID_INPUT', 'testDays must be shorter than historyDays', {
        issues: [{ field: 'body.testDays', message: `must be below historyDays (${days})` }],
      });
    }
    resolveQuery(this.ctx.config, request);
    return this.ctx.jobs.start(JOB_KIND.forecastBacktest, request, async (job) => {
      const history = await this.history(request, days);
      const testSteps = Math.round((request.testDays * 86400) / history.stepSeconds);
      const outcome = await this.runTask(
        history,
        request.counter,
        'backtest',
        job.signal,
        (f, m) => job.progress(f, m),
        testSteps,
      );
      return { ...outcome.backtest!, seriesKey: history.seriesKey };
    });
  }

  async scalePlan(input: unknown): Promise<ScalePlanResponse> {
    const request = parseWith(scalePlanRequestSchema, input);
    const namespace = request.namespace ?? this.ctx.config.defaultNamespace;
    const clusters = this.ctx.clusters;
    const cluster = clusters.get(request.cluster);
    const ref: WorkloadRef = { kind: request.workload.kind, namespace, name: request.workload.name };
    const workload = await workloadNamed(cluster, ref);
    const forecast = await this.forecast({
      namespace,
      service: request.service,
      signal: request.signal,
      query: request.query,
      counter: request.counter,
      horizonMinutes: request.horizonMinutes,
      historyHours: 1,
    });
    let capacity = request.capacityPerReplica;
    let capacitySource: ScalePlanResponse['capacitySource'] = 'given';
    if (capacity === undefined) {
      capacity = await this.learnCapacity(namespace, request.service, request.signal);
      capacitySource = 'learned';
    }
    const autoscale = this.config.autoscale;
    const plan = planReplicas(forecast.points, capacity, autoscale, {
      now: forecast.points[0] ? forecast.points[0].t - forecast.stepSeconds : undefined,
      currentReplicas: workload.replicas,
      stepSeconds: forecast.stepSeconds,
      ...(forecast.scaleMargin !== undefined
        ? { margin: forecast.scaleMargin, recent: forecast.history }
        : {}),
    });
    const response: ScalePlanResponse = {
      workload: ref,
      cluster: cluster.name,
      forecast,
      plan,
      capacitySource,
    };
    let manifests: Manifest[] | undefined;
    if (request.mode === 'hpa') {
      manifests = [hpaManifest(ref, plan, autoscale, { name: metricNameOf(request.signal) })];
    } else if (request.mode === 'keda') {
      const server =
        this.ctx.config.metrics.kind === 'prometheus'
          ? this.ctx.config.metrics.url
          : 'http://prometheus:9090';
      const scope = { namespace, service: request.service, label: this.ctx.config.signals.serviceLabel };
      const field = request.query ? 'body.query' : 'body.signal';
      const query = kedaTriggerQuery(resolveQuery(this.ctx.config, { ...request, namespace }), scope, field);
      manifests = [kedaScaledObject(ref, plan, autoscale, { query, serverAddress: server })];
    } else if (request.mode === 'apply') {
      response.applied = await applyScalePlan(cluster, ref, plan.recommendedReplicas, autoscale, {
        dryRunOnly: request.dryRun,
      });
    }
    if (manifests)
      response.manifests = manifests.map((m) => ({ kind: m.kind, object: m.object, yaml: m.yaml }));
    return response;
  }

  async models(): Promise<Array<{ seriesKey: string; current: number | null; versions: ModelVersion[] }>> {
    const keys = await this.registry.seriesKeys();
    return Promise.all(
      keys.map(async (seriesKey) => ({
        seriesKey,
        current: (await this.registry.currentVersion(seriesKey)) ?? null,
        versions: await this.registry.versions(seriesKey),
      })),
    );
  }

  /**
   * Starts one training job per known series; returns the job records. The engine's scheduler calls it every
   * `retrainIntervalHours`, once across replicas (scheduler/Scheduler.ts).
   */
  async retrainAll(): Promise<JobRecord[]> {
    const requests = await this.ctx.store.hgetall(REQUESTS_KEY);
    const jobs: JobRecord[] = [];
    for (const raw of Object.values(requests)) {
      try {
        jobs.push(await this.train(JSON.parse(raw)));
      } catch (error) {
        this.ctx.logger.warn({ err: error }, 'scheduled forecast retraining could not start');
      }
    }
    return jobs;
  }

  seriesKey(selector: HistorySelector): string {
    return seriesKeyOf(this.ctx.config, selector);
  }

  private async history(selector: HistorySelector, days: number): Promise<History> {
    const history = await loadHistory(this.ctx.metrics, this.ctx.config, selector, {
      stepSeconds: this.config.stepSeconds,
      historyDays: days,
    });
    if (history.values.length < 2) {
      throw new EngineError(
        'NOT_FOUND',
        `too little history for ${history.seriesKey}: ${history.values.length} samples`,
      );
    }
    return history;
  }

  private prepare(history: History, counter: boolean): PreparedSeries {
    return prepareSeries(history.timestamps, history.values, {
      stepSeconds: history.stepSeconds,
      transform: this.config.transform,
      outageMinMinutes: this.config.outageMinMinutes,
      outageMaxZeroShare: this.config.outageMaxZeroShare,
      counter,
      end: history.end,
    });
  }

  private async pointsFrom(
    forecaster: Forecaster,
    series: PreparedSeries,
    steps: number,
  ): Promise<ForecastPoint[]> {
    const last = series.z.length - 1;
    const f = await forecaster.forecastFrom(series, [last]);
    return Array.from({ length: steps }, (_, h) => ({
      t: series.start + (last + h + 1) * series.stepSeconds,
      value: f.point[h]!,
      lower: f.lower[h]!,
      upper: f.upper[h]!,
      plan: f.plan[h]!,
    }));
  }

  private async loaded(key: string, version: number): Promise<Forecaster> {
    const id = `${key}@${version}`;
    let f = this.cache.get(id);
    if (!f) {
      f = (await this.registry.load(key, version)).forecaster;
      for (const [k, old] of this.cache) {
        if (k.startsWith(`${key}@`)) {
          old.dispose();
          this.cache.delete(k);
        }
      }
      this.cache.set(id, f);
    }
    return f;
  }

  /** Runs one training or backtest in a worker, one at a time (a queue): each holds a core for seconds. */
  private runTask(
    history: History,
    counter: boolean,
    kind: TrainingTask['kind'],
    signal: AbortSignal,
    onProgress: (fraction: number, message: string) => void,
    testSteps?: number,
  ): Promise<TrainingOutcome> {
    const run = () =>
      signal.aborted
        ? Promise.reject(new EngineError('TIMEOUT', 'training cancelled before it started'))
        : runTrainingInWorker(
            {
              kind,
              timestamps: history.timestamps,
              values: history.values,
              stepSeconds: history.stepSeconds,
              counter,
              config: this.config,
              end: history.end,
              ...(testSteps !== undefined ? { testSteps } : {}),
            },
            { signal, onProgress },
          );
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    onProgress(0, 'waiting for a training slot');
    return next;
  }

  /** Demand per replica at the target utilisation, from the last day of the demand signal, CPU and replica counts. */
  private async learnCapacity(namespace: string, service: string, signal: string): Promise<number> {
    const day = await Promise.all(
      [signal, 'cpu'].map((s) =>
        loadHistory(
          this.ctx.metrics,
          this.ctx.config,
          { namespace, service, signal: s },
          { stepSeconds: this.config.stepSeconds, historyDays: 1 },
        ),
      ),
    );
    const [demand, cpu] = day as [History, History];
    const replicasQuery = `sum(kube_deployment_status_replicas_ready{namespace="${escapeLabelValue(namespace)}",deployment="${escapeLabelValue(service)}"})`;
    const replicas = await this.ctx.metrics
      .rangeQuery({
        query: replicasQuery,
        start: demand.start,
        end: demand.end,
        stepSeconds: this.config.stepSeconds,
      })
      .then((r) => r[0])
      .catch(() => undefined);
    const cluster = this.ctx.clusters.get();
    const workload = await cluster
      .getWorkload({ kind: 'Deployment', namespace, name: service })
      .catch(() => undefined);
    const cpuRequest = await this.cpuRequestOf(namespace, service);
    const cpuAt = new Map(cpu.timestamps.map((t, i) => [t, cpu.values[i]!]));
    const replicasAt = new Map(replicas?.timestamps.map((t, i) => [t, replicas.values[i]!]) ?? []);
    const samples = demand.timestamps.map((t, i) => ({
      demand: demand.values[i]!,
      cpuCores: cpuAt.get(t) ?? NaN,
      replicas: replicasAt.get(t) ?? workload?.replicas ?? NaN,
    }));
    const learned = learnCapacity(samples, cpuRequest, this.config.autoscale.targetUtilization);
    if (!learned) {
      throw new EngineError(
        'INVALID_INPUT',
        'cannot learn per-replica capacity from metrics; give capacityPerReplica',
        {
          issues: [
            {
              field: 'body.capacityPerReplica',
              message: 'required when demand, CPU and replica metrics are missing',
            },
          ],
        },
      );
    }
    return learned.capacityPerReplica;
  }

  private async cpuRequestOf(namespace: string, service: string): Promise<number> {
    const [ns, pods] = [escapeLabelValue(namespace), `${escapeRegexLabelValue(service)}-.*`];
    const q = `sum(kube_pod_container_resource_requests{namespace="${ns}",resource="cpu",pod=~"${pods}"}) / count(kube_pod_info{namespace="${ns}",pod=~"${pods}"})`;
    const r = await this.ctx.metrics.instantQuery(q).catch(() => []);
    const v = r[0]?.value;
    // Without the request metric, assume the demo shop's 100m request per pod.
    return v && Number.isFinite(v) && v > 0 ? v : 0.1;
  }
}

function metricNameOf(signal: string): string {
  return signal === 'request_rate' ? 'http_requests_per_second' : signal;
}
