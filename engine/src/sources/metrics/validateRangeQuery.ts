import { z } from 'zod';
import { EngineError, describeIssues, fieldIssuesFromZod } from '../../errors.js';
import type { RangeQuery } from './MetricsSource.js';
import { QUERY_LIMITS, describeSeconds } from './queryLimits.js';

/** Prometheus refuses more points per series than this; both sources enforce it so callers learn it early. */
export const MAX_POINTS_PER_SERIES = QUERY_LIMITS.maxPointsPerSeries;

const rangeQuerySchema = z
  .object({
    query: z.string().trim().min(1, 'must not be empty').max(QUERY_LIMITS.maxQueryChars),
    start: z.number().finite(),
    end: z.number().finite(),
    stepSeconds: z.number().finite().positive('must be positive'),
  })
  .superRefine((q, ctx) => {
    if (q.end < q.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' });
    else if (q.end - q.start > QUERY_LIMITS.maxRangeSpanSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `the range (end − start) is ${describeSeconds(q.end - q.start)}; at most ${describeSeconds(QUERY_LIMITS.maxRangeSpanSeconds)}`,
      });
    } else if ((q.end - q.start) / q.stepSeconds + 1 > MAX_POINTS_PER_SERIES) {
      ctx.addIssue({
        code: 'custom',
        path: ['stepSeconds'],
        message: `too small for the range: more than ${MAX_POINTS_PER_SERIES} points per series`,
      });
    }
  });

export function validateRangeQuery(query: RangeQuery): RangeQuery {
  const { signal, source, ...fields } = query;
  const parsed = rangeQuerySchema.safeParse(fields);
  if (!parsed.success) {
    const issues = fieldIssuesFromZod(parsed.error.issues, 'rangeQuery');
    throw new EngineError('INVALID_INPUT', `invalid range query: ${describeIssues(issues)}`, { issues });
  }
  return { ...parsed.data, ...(signal ? { signal } : {}), ...(source !== undefined ? { source } : {}) };
}

export function validateInstantQuery(query: string, time?: number): void {
  const issues = [];
  if (typeof query !== 'string' || query.trim() === '')
    issues.push({ field: 'query', message: 'must not be empty' });
  else if (query.length > QUERY_LIMITS.maxQueryChars) {
    issues.push({ field: 'query', message: `must be at most ${QUERY_LIMITS.maxQueryChars} characters` });
  }
  if (time !== undefined && !Number.isFinite(time))
    issues.push({ field: 'time', message: 'must be a finite number' });
  if (issues.length > 0) {
    throw new EngineError('INVALID_INPUT', `invalid instant query: ${describeIssues(issues)}`, { issues });
  }
}
