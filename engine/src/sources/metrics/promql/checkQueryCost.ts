import { EngineError } from '../../../errors.js';
import { QUERY_LIMITS, describeSeconds } from '../queryLimits.js';
import type { Expr, LabelMatcher } from './ast.js';
import { LOOKBACK_SECONDS, type GridSeriesProvider } from './evaluatePromql.js';

/**
 * Refuses a query before evaluation when a range window is too long or the samples it would read exceed
 * QUERY_LIMITS.maxSamples: the sum over its selectors of (matching series × grid points each reads), counted the
 * way the evaluator reads them. Returns the estimate (the benchmark and tests report it).
 */
export function checkQueryCost(expr: Expr, times: Float64Array, provider: GridSeriesProvider): number {
  let total = 0;
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'selector':
        total += selectorSamples(e.matchers, times, provider, LOOKBACK_SECONDS, true);
        return;
      case 'matrix':
        if (e.range > QUERY_LIMITS.maxRangeWindowSeconds) {
          throw new EngineError(
            'PROMQL_ERROR',
            `range window [${describeSeconds(e.range)}] is longer than the limit of ${describeSeconds(QUERY_LIMITS.maxRangeWindowSeconds)}`,
          );
        }
        total += selectorSamples(e.selector.matchers, times, provider, e.range, false);
        return;
      case 'call':
        e.args.forEach(visit);
        return;
      case 'aggregate':
        if (e.param) visit(e.param);
        visit(e.expr);
        return;
      case 'binary':
        visit(e.lhs);
        visit(e.rhs);
        return;
      case 'unary':
        visit(e.expr);
        return;
      default:
        return;
    }
  };
  visit(expr);
  if (total > QUERY_LIMITS.maxSamples) {
    throw new EngineError(
      'PROMQL_ERROR',
      `query would read ${total.toLocaleString('en')} samples; the limit is ${QUERY_LIMITS.maxSamples.toLocaleString('en')}: narrow the time range, the range window or the selector`,
    );
  }
  return total;
}

/** Grid points one series of a selector reads across all steps (the evaluator's non-sparse path reads kFrom..kTo). */
function selectorSamples(
  matchers: LabelMatcher[],
  times: Float64Array,
  provider: GridSeriesProvider,
  windowSeconds: number,
  sparseAllowed: boolean,
): number {
  if (times.length === 0) return 0;
  const dt = provider.intervalSeconds;
  const span = times[times.length - 1]! - times[0]!;
  const contiguous = Math.floor((span + windowSeconds) / dt) + 2;
  const perSeries = sparseAllowed && contiguous > 4 * times.length ? times.length : contiguous;
  return perSeries * provider.select(matchers).length;
}
