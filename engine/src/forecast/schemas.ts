import { MAX_HORIZON_MINUTES } from '@ai-cloudops/engine-client';
import { z } from 'zod';
import { fieldIssuesFromZod, invalidRequest } from '../errors.js';
import { kubernetesNameSchema, nameSchema, namespaceSchema, promqlSchema } from '../schemas/core.js';

/** Request and response schemas of the forecast API; the HTTP routes, the CLI and the service share them. */

const seriesSelectorShape = {
  namespace: namespaceSchema.optional(),
  /** The service whose series to forecast (matched on the configured service label). */
  service: nameSchema().optional(),
  /** A configured signal name (`request_rate`, `cpu`, ...). */
  signal: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'must be a snake_case signal name')
    .default('request_rate'),
  /** A PromQL of its own instead of the signal's template; must return one series (or one per service). */
  query: promqlSchema.optional(),
  /** The query returns a cumulative counter: per-step increases are forecast, drops count as resets. */
  counter: z.boolean().default(false),
  /** A configured metrics source (`metrics.name` or a key of `metrics.sources`); omitted: the signal's, else the default. */
  source: nameSchema().optional(),
};

/** The one wording of a horizon too long, for the API's bound and for a series' model (`why` says which). */
export const horizonTooLong = (longest: number, why?: string): string =>
  `must be at most ${longest} minutes${why ? ` ${why}` : ''}`;

/**
 * Minutes ahead, as a JSON number: a whole number from 1 (`"60"` was coerced and `0.0001` gave a one-point forecast;
 * found walking the README). Bodies are JSON, so a number is not read from a string here; the CLI sends numbers.
 * One schema for /forecast and /scale-plan, at most MAX_HORIZON_MINUTES (the engine client's, which the plugins'
 * forms read): /scale-plan stopped at a day, so 2,000 minutes was refused there for the API's bound and on /forecast
 * for the model's. The bound a request really meets is its model's (`forecast.horizonSteps`, an hour by default),
 * checked in ForecastService where the series' step is known.
 */
const horizonMinutesSchema = z
  .number({
    // Only a string is told it is one: JSON.parse reads `1e400` as Infinity, a number that z.number() refuses,
    // and "not a string" sent its sender looking for quotes that were not there.
    error: (issue) =>
      typeof issue.input === 'string'
        ? 'must be a whole number of minutes, as a number (not a string)'
        : typeof issue.input === 'number'
          ? 'must be a finite whole number of minutes'
          : 'must be a whole number of minutes',
  })
  .int('must be a whole number of minutes')
  .min(1, 'must be at least 1 minute')
  .max(MAX_HORIZON_MINUTES, horizonTooLong(MAX_HORIZON_MINUTES))
  // Omitted: 60 minutes, or the model's horizon when that is shorter (ForecastService); a number given that the
  // model cannot reach is refused there, since only there is the series' step known.
  .optional()
  .describe(
    `Minutes ahead, at most ${MAX_HORIZON_MINUTES}. Omitted: 60, or the model's horizon (forecast.horizonSteps steps) when shorter; longer than that horizon is a 400 naming it.`,
  );

const needsSeries = (r: { service?: string; query?: string }) => Boolean(r.service || r.query);
const needsSeriesMessage = { message: 'give a service (with a signal) or a query', path: ['service'] };

export const forecastRequestSchema = z
  .object({
    ...seriesSelectorShape,
    horizonMinutes: horizonMinutesSchema,
    /** Hours of history returned beside the forecast, for charts. */
    historyHours: z
      .number()
      .min(0)
      .max(24 * 14)
      .default(6),
  })
  .refine(needsSeries, needsSeriesMessage);

export const trainRequestSchema = z
  .object({
    ...seriesSelectorShape,
    historyDays: z.number().positive().max(90).optional(),
  })
  .refine(needsSeries, needsSeriesMessage);

export const backtestRequestSchema = z
  .object({
    ...seriesSelectorShape,
    historyDays: z.number().positive().max(90).optional(),
    /** Days at the end scored by rolling origin; everything before is for fitting and selection. */
    testDays: z.number().positive().max(30).default(1),
  })
  .refine(needsSeries, needsSeriesMessage);

export const workloadRefSchema = z.object({
  kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']).default('Deployment'),
  name: kubernetesNameSchema,
});

export const scalePlanRequestSchema = z
  .object({
    ...seriesSelectorShape,
    cluster: nameSchema().optional(),
    workload: workloadRefSchema,
    /** Demand one replica serves at the target utilisation; learned from the CPU signal when absent. */
    capacityPerReplica: z.number().positive().optional(),
    horizonMinutes: horizonMinutesSchema,
    /** `recommend` returns the plan; `hpa`/`keda` add manifests; `apply` scales (dry-run first, policy permitting). */
    mode: z.enum(['recommend', 'hpa', 'keda', 'apply']).default('recommend'),
    /** With mode `apply`: stop after the server-side dry run. */
    dryRun: z.boolean().default(false),
  })
  .transform((r) => ({ ...r, service: r.service ?? r.workload.name }));

export type ForecastRequest = z.infer<typeof forecastRequestSchema>;
export type TrainRequest = z.infer<typeof trainRequestSchema>;
export type BacktestRequest = z.infer<typeof backtestRequestSchema>;
export type ScalePlanRequest = z.infer<typeof scalePlanRequestSchema>;
export type ForecastRequestInput = z.input<typeof forecastRequestSchema>;
export type ScalePlanRequestInput = z.input<typeof scalePlanRequestSchema>;

export const forecastPointSchema = z.object({
  t: z.number(),
  value: z.number(),
  lower: z.number(),
  upper: z.number(),
});

export const forecastResponseSchema = z.object({
  seriesKey: z.string(),
  model: z.string(),
  reason: z.string(),
  /** `stored` = a trained, promoted version; `cold-start` = baselines fitted on the spot (no trained model yet). */
  source: z.enum(['stored', 'cold-start']),
  modelVersion: z.number().optional(),
  stepSeconds: z.number(),
  /** Nominal coverage of the points' lower/upper interval (0.9 = a 90% prediction interval), not a measured one. */
  coverage: z.number(),
  /** The learnt predictive scaling margin (actual over predicted demand peak, `autoscale.coverQuantile`). */
  scaleMargin: z.number().optional(),
  points: z.array(forecastPointSchema),
  history: z.array(z.object({ t: z.number(), value: z.number() })),
});
export type ForecastResponse = z.infer<typeof forecastResponseSchema>;

export const horizonMetricsSchema = z.object({
  horizon: z.number(),
  n: z.number(),
  mae: z.number().nullable(),
  rmse: z.number().nullable(),
  mase: z.number().nullable(),
  smape: z.number().nullable(),
  coverage: z.number().nullable(),
});

export const modelVersionSchema = z.object({
  seriesKey: z.string(),
  version: z.number(),
  createdAt: z.string(),
  chosen: z.string(),
  reason: z.string(),
  valid: z.boolean(),
  promoted: z.boolean(),
  validationMase: z.number().nullable(),
  hasLstm: z.boolean(),
});

/**
 * What a `forecast.backtest` job resolves with (its record's `result`): every model's and baseline's errors per
 * horizon over the rolling origins of the test part. Named here so the API document and the typed client carry it;
 * NaN metrics (a model without intervals has no coverage) are sent as null.
 */
export const backtestResultSchema = z.object({
  seriesKey: z.string(),
  chosen: z.string(),
  reason: z.string(),
  /** Unix seconds: the first scored target and the series' end. */
  testStart: z.number(),
  end: z.number(),
  /** The MASE denominator (in-sample MAE of the daily seasonal naive). */
  scale: z.number(),
  /** Model name (baselines included) → metrics for horizons 1..H. */
  models: z.record(z.string(), z.array(horizonMetricsSchema)),
  /** The names in `models` that are baselines (the simple rules every model must beat), for clients to mark. */
  baselines: z.array(z.string()),
  predictMsPerOrigin: z.number(),
});
export type BacktestResultDto = z.infer<typeof backtestResultSchema>;

export const modelListSchema = z.object({
  items: z.array(
    z.object({
      seriesKey: z.string(),
      current: z.number().nullable(),
      versions: z.array(modelVersionSchema),
    }),
  ),
});

export const replicaPlanSchema = z.object({
  capacityPerReplica: z.number(),
  currentReplicas: z.number().optional(),
  recommendedReplicas: z.number(),
  steps: z.array(z.object({ t: z.number(), demand: z.number(), needed: z.number(), replicas: z.number() })),
  reason: z.string(),
});

export const scalePlanResponseSchema = z.object({
  workload: z.object({ kind: z.string(), namespace: z.string(), name: z.string() }),
  cluster: z.string(),
  forecast: forecastResponseSchema,
  plan: replicaPlanSchema,
  capacitySource: z.enum(['given', 'learned']),
  manifests: z
    .array(z.object({ kind: z.string(), object: z.record(z.string(), z.unknown()), yaml: z.string() }))
    .optional(),
  applied: z
    .object({
      dryRun: z.boolean(),
      from: z.number(),
      to: z.number(),
      dryRunReplicas: z.number(),
      replicas: z.number().optional(),
    })
    .optional(),
});
export type ScalePlanResponse = z.infer<typeof scalePlanResponseSchema>;

export function parseWith<S extends z.ZodType>(schema: S, input: unknown, prefix = 'body'): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  // The wording of every refused request, so the CLI prints the same one-shot and through --server.
  if (!parsed.success) throw invalidRequest(fieldIssuesFromZod(parsed.error.issues, prefix));
  return parsed.data;
}
