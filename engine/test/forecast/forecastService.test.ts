import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configSchema, type EngineConfigInput } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { ForecastService } from '../../src/forecast/ForecastService.js';
import { resolveQuery } from '../../src/forecast/history/loadHistory.js';
import type { ModelVersion } from '../../src/forecast/persistence/ModelRegistry.js';

/**
 * The forecast service end to end on a real demo engine (synthetic metrics of the demo shop through the
 * MetricsSource, simulated cluster through client-node, memory store): cold-start forecast, training in a worker
 * thread as a job with progress, the stored model serving afterwards, replica plans, manifests and policy.
 */
const forecastConfig = {
  historyDays: 2,
  stepSeconds: 300,
  lstm: { units: 8, epochs: 2, maxWindows: 400, minWindows: 100, updateEpochs: 1 },
};
const baseConfig: EngineConfigInput = {
  logLevel: 'silent',
  cluster: { kind: 'simulated', injectFaults: false },
  forecast: forecastConfig,
};
/** 2026-12-07 00:00 UTC: cart's validation MASE is 1.37-1.55 (limit 2) every 10 min from 23:30 to 01:30. */
const NOW = 1_796_601_600;

describe('ForecastService on the demo engine', () => {
  let engine: Engine;
  let service: ForecastService;
  beforeAll(async () => {
    // History ends at the wall clock, and the demo's daily cycle decides whether the model passes validation:
    // at 11:00 and 14:00-21:00 UTC it did not (MASE 2.01-2.55). Date starts at NOW and runs on; timers real.
    vi.useFakeTimers({ toFake: ['Date'], now: NOW * 1000, shouldAdvanceTime: true });
    engine = await createEngine(configSchema.parse(baseConfig));
    service = new ForecastService(engine.context);
  });
  afterAll(async () => {
    await engine?.close();
    vi.useRealTimers();
  });

  it('rejects bad requests with the field named', async () => {
    await expect(service.forecast({ signal: 'request_rate' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ field: 'body.service' })],
    });
    await expect(service.forecast({ service: 'cart', signal: 'nope' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(service.forecast({ service: 'cart', horizonMinutes: -5 })).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'body.horizonMinutes' })],
    });
  });

  it('forecasts with baselines on a cold start and says so', async () => {
    const r = await service.forecast({ service: 'cart', signal: 'request_rate', horizonMinutes: 30 });
    expect(r.source).toBe('cold-start');
    expect(r.points).toHaveLength(6);
    expect(r.reason).toMatch(/cold start/);
    for (const p of r.points) {
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.upper).toBeGreaterThanOrEqual(p.value);
    }
    expect(r.points[0]!.t - r.history.at(-1)!.t).toBe(300);
  });

  it('trains in a worker as a job with progress, stores and then serves the promoted model', async () => {
    const job = await service.train({ service: 'cart', signal: 'request_rate' });
    expect(job.status).toBe('running');
    const progress: number[] = [];
    const stop = engine.context.jobs.subscribe(job.id, (r) => progress.push(r.progress));
    const done = await engine.context.jobs.wait<ModelVersion>(job.id);
    stop();
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('succeeded');
    expect(progress.length).toBeGreaterThan(2);
    expect(done.result).toMatchObject({ version: 1, seriesKey: 'shop/cart/request_rate' });
    const models = await service.models();
    expect(models[0]).toMatchObject({ seriesKey: 'shop/cart/request_rate' });
    // The demo shop's daily traffic is forecastable: the model passes validation and serves from now on.
    expect(done.result!.promoted).toBe(true);
    const r = await service.forecast({ service: 'cart', signal: 'request_rate' });
    expect(r).toMatchObject({ source: 'stored', modelVersion: 1, model: done.result!.chosen });
    expect(r.points).toHaveLength(12);
  }, 120_000);

  it('backtests by rolling origin in a worker, every model beside the baselines', async () => {
    await expect(service.backtest({ service: 'cart', historyDays: 1, testDays: 2 })).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'body.testDays' })],
    });
    const job = await service.backtest({ service: 'cart', testDays: 0.5 });
    const done = await engine.context.jobs.wait<{
      models: Record<string, Array<{ mase: number; n: number }>>;
      baselines: string[];
      chosen: string;
    }>(job.id);
    expect(done.status).toBe('succeeded');
    const result = done.result!;
    expect(Object.keys(result.models)).toEqual(
      expect.arrayContaining(['naive', 'holt_winters', result.chosen]),
    );
    expect(result.models.naive![0]!.n).toBeGreaterThan(100);
    expect(result.models.naive![0]!.mase).toBeGreaterThan(0);
    // The result names its baselines, so the Grafana page and clients mark them without a list of their own.
    expect(result.baselines).toEqual(expect.arrayContaining(['naive', 'holt_winters']));
    expect(result.baselines.every((name) => name in result.models)).toBe(true);
    expect(result.baselines).not.toContain(result.chosen === 'ensemble' ? 'ensemble' : 'lstm');
  }, 120_000);

  it('retrains every trained series on the schedule tick, adding a version', async () => {
    const jobs = await service.retrainAll();
    expect(jobs).toHaveLength(1);
    const done = await engine.context.jobs.wait<ModelVersion>(jobs[0]!.id);
    expect(done.result).toMatchObject({ seriesKey: 'shop/cart/request_rate', version: 2 });
    expect((await service.models())[0]!.versions.map((v) => v.version)).toEqual([1, 2]);
    // The engine's scheduler runs this as its forecast.retrain task.
    expect(engine.scheduler.taskNames()).toContain('forecast.retrain');
  }, 120_000);

  it('runs training workers one at a time', async () => {
    const a = await service.train({ service: 'catalog', signal: 'request_rate' });
    const b = await service.train({ service: 'currency', signal: 'request_rate' });
    // A worker works from its 'history:' report until its job reports storing the model. Whichever history read
    // finishes first takes the training slot first (a race on a busy machine), so the check is that the two spans do
    // not overlap, in either order.
    const spans = new Map<string, { start: number; end: number }>();
    const watch = (id: string) =>
      engine.context.jobs.subscribe(id, (r) => {
        const span = spans.get(id) ?? { start: 0, end: 0 };
        if (r.message.startsWith('history:') && !span.start) span.start = performance.now();
        if (r.message === 'storing model' && !span.end) span.end = performance.now();
        spans.set(id, span);
      });
    const stops = [watch(a.id), watch(b.id)];
    const [da, db] = await Promise.all([engine.context.jobs.wait(a.id), engine.context.jobs.wait(b.id)]);
    for (const stop of stops) stop();
    expect([da.status, db.status]).toEqual(['succeeded', 'succeeded']);
    const [sa, sb] = [spans.get(a.id)!, spans.get(b.id)!];
    for (const span of [sa, sb]) expect(span.start).toBeGreaterThan(0);
    for (const span of [sa, sb]) expect(span.end).toBeGreaterThanOrEqual(span.start);
    const [first, second] = sa.start <= sb.start ? [sa, sb] : [sb, sa];
    expect(second.start).toBeGreaterThanOrEqual(first.end);
  }, 120_000);

  it('plans replicas, renders manifests, and refuses to apply where policy does not allow it', async () => {
    const plan = await service.scalePlan({ workload: { name: 'cart' }, capacityPerReplica: 5, mode: 'hpa' });
    expect(plan.capacitySource).toBe('given');
    expect(plan.plan.recommendedReplicas).toBeGreaterThanOrEqual(1);
    expect(plan.manifests?.[0]?.kind).toBe('HorizontalPodAutoscaler');
    const keda = await service.scalePlan({ workload: { name: 'cart' }, capacityPerReplica: 5, mode: 'keda' });
    expect(keda.manifests?.[0]?.yaml).toContain('keda.sh/v1alpha1');
    // The trigger query, run on the engine's own metrics, returns ONE series: cart's, not the namespace's.
    const trigger = (
      keda.manifests![0]!.object as { spec: { triggers: Array<{ metadata: Record<string, string> }> } }
    ).spec.triggers[0]!.metadata;
    expect(trigger.threshold).toBe('5');
    const now = Math.floor(Date.now() / 1000 / 60) * 60;
    const range = { start: now - 3600, end: now, stepSeconds: 60 };
    const scoped = await engine.context.metrics.rangeQuery({ query: trigger.query!, ...range });
    const all = await engine.context.metrics.rangeQuery({
      query: resolveQuery(engine.context.config, { signal: 'request_rate' }),
      ...range,
    });
    const cart = all.find((s) => s.labels.service === 'cart')!;
    expect(all.length).toBeGreaterThan(1);
    expect(scoped).toHaveLength(1);
    expect(scoped[0]!.values.length).toBeGreaterThan(0);
    expect(scoped[0]!.values).toEqual(cart.values);
    await expect(
      service.scalePlan({ workload: { name: 'cart' }, capacityPerReplica: 5, mode: 'apply' }),
    ).rejects.toMatchObject({
      code: 'POLICY_DENIED',
    });
  });
});
