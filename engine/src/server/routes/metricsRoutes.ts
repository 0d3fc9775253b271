import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine.js';
import type { RangeSeries } from '../../sources/metrics/MetricsSource.js';
import { EngineError, isEngineError } from '../../errors.js';
import { promValueSchema, toPromValue } from '../../sources/metrics/promValue.js';
import {
  promqlSchema,
  rangeQuerySchema,
  rangeSeriesSchema,
  signalInfoSchema,
  timeInputSchema,
} from '../../schemas/core.js';

/**
 * PromQL through the configured metrics source, so the plugins chart what the engine sees (Prometheus or demo).
 * Span, points and query length are checked by the schemas; window, depth and samples by the source (queryLimits.ts).
 */
export const metricsRoutes: FastifyPluginAsyncZod<{ engine: Engine }> = async (app, { engine }) => {
  const { metrics } = engine.context;
  // Queries in flight stop when the server closes (SIGTERM), instead of holding the shutdown for their whole run.
  const inFlight = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const controller of inFlight) controller.abort();
  });
  const abortOnClose = (reply: FastifyReply): AbortSignal => {
    const controller = new AbortController();
    inFlight.add(controller);
    // The response closes when it is sent or when the connection drops; only the latter leaves it unfinished.
    reply.raw.once('close', () => {
      inFlight.delete(controller);
      if (!reply.raw.writableFinished) controller.abort();
    });
    return controller.signal;
  };

  app.get(
    '/metrics/query_range',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Range query through the configured metrics source',
        querystring: rangeQuerySchema,
        response: { 200: z.object({ series: z.array(rangeSeriesSchema) }) },
      },
    },
    async (request, reply) => {
      const { query, start, end, step, source } = request.query;
      const signal = abortOnClose(reply);
      const series = await namingQuery(
        metrics.rangeQuery({ query, start, end, stepSeconds: step, signal, ...(source ? { source } : {}) }),
      );
      // A stream of the documented shape; the type provider only knows the object form.
      return reply.type('application/json').send(Readable.from(seriesJson(series)) as never);
    },
  );

  app.get(
    '/metrics/query',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Instant query through the configured metrics source',
        querystring: z.object({
          query: promqlSchema,
          time: timeInputSchema.optional(),
          source: z.string().min(1).optional(),
        }),
        response: {
          200: z.object({
            samples: z.array(
              z.object({
                labels: z.record(z.string(), z.string()),
                timestamp: z.number(),
                value: promValueSchema,
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const signal = abortOnClose(reply);
      const { source } = request.query;
      const samples = await namingQuery(
        metrics.instantQuery(request.query.query, request.query.time, {
          signal,
          ...(source ? { source } : {}),
        }),
      );
      return { samples: samples.map((sample) => ({ ...sample, value: toPromValue(sample.value) })) };
    },
  );

  app.get(
    '/signals',
    {
      schema: {
        tags: ['metrics'],
        summary: 'The configured signals (named PromQL templates)',
        response: {
          200: z.object({ serviceLabel: z.string(), window: z.string(), items: z.array(signalInfoSchema) }),
        },
      },
    },
    async () => ({
      serviceLabel: engine.config.signals.serviceLabel,
      window: engine.config.signals.window,
      items: engine.config.signals.list,
    }),
  );
};

/**
 * `{"series":[...]}` one series at a time with a turn of the event loop between them: the largest answer the limits
 * admit (11 series × 11,000 points, 3.5 MB) took 25–60 ms to check against the response schema and 20 ms to stringify
 * in one piece. The schema stays in the route for the OpenAPI document; the sources build exactly that shape.
 */
async function* seriesJson(series: RangeSeries[]): AsyncGenerator<string> {
  yield '{"series":[';
  for (let i = 0; i < series.length; i++) {
    if (i > 0) await nextTurn();
    const { labels, timestamps, values } = series[i]!;
    // ±Inf and NaN as Prometheus' strings: JSON.stringify made them null.
    const wire = values.every(Number.isFinite) ? values : values.map(toPromValue);
    yield (i > 0 ? ',' : '') + JSON.stringify({ labels, timestamps, values: wire });
  }
  yield ']}';
}

/**
 * Errors of a query in this request's terms, as every other 400 names its field: a query the source rejects is about
 * the `query` parameter, an unknown source about `source`.
 */
async function namingQuery<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (isEngineError(error) && error.code === 'PROMQL_ERROR' && error.issues.length === 0) {
      throw new EngineError('PROMQL_ERROR', error.message, {
        issues: [{ field: 'querystring.query', message: error.message }],
        cause: error,
      });
    }
    // The registry names an unknown source `source` for every caller; here it is this request's parameter.
    if (isEngineError(error) && error.issues.some((i) => i.field === 'source')) {
      const issues = error.issues.map((i) =>
        i.field === 'source' ? { ...i, field: 'querystring.source' } : i,
      );
      throw new EngineError(error.code, error.message, { issues, cause: error });
    }
    throw error;
  }
}
