import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { EngineError } from '../../errors.js';
import { escapeLabelValue } from '../../sources/metrics/escapeLabelValue.js';
import { parsePromql } from '../../sources/metrics/promql/parsePromql.js';

export interface WorkloadScope {
  namespace: string;
  /** The workload's value of `label` (the signal's service label, `signals.serviceLabel`). */
  service: string;
  label: string;
}

/**
 * The PromQL a KEDA Prometheus trigger runs for one workload. KEDA's scaler needs a query returning a single
 * element (its docs: "query must return a vector/scalar single element response"), but the signal templates are
 * written for the forecaster and return one series per service of the namespace (`sum by (service) (...)`); given
 * as is, KEDA would scale the workload on whichever service came first. So every vector selector of the query gets
 * the workload's namespace and service matchers (label values through escapeLabelValue; a selector that already
 * matches on the label keeps its own matcher), and the whole is wrapped in `sum(...)` so one series comes back.
 * Positions come from the official Prometheus grammar (lezer), so quotes and braces inside label values are not
 * mistaken for selector syntax.
 */
export function kedaTriggerQuery(query: string, scope: WorkloadScope, field = 'body.query'): string {
  const tree = parser.parse(query);
  const edits: Array<{ at: number; text: string }> = [];
  let broken = false;
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) broken = true;
      if (ref.type.name !== 'VectorSelector') return;
      const edit = scopeSelector(query, ref.node, scope);
      if (edit) edits.push(edit);
      return false;
    },
  });
  if (broken) {
    throw new EngineError('INVALID_INPUT', 'the trigger query is not valid PromQL', {
      issues: [{ field, message: 'PromQL parse error' }],
    });
  }
  if (edits.length === 0) {
    throw new EngineError('INVALID_INPUT', 'the trigger query selects no series to scope to the workload', {
      issues: [{ field, message: 'needs at least one metric selector' }],
    });
  }
  let scoped = query;
  for (const e of edits.sort((a, b) => b.at - a.at))
    scoped = scoped.slice(0, e.at) + e.text + scoped.slice(e.at);
  const result = `sum(${scoped})`;
  parsePromql(result);
  return result;
}

/** The text to insert so one selector carries the namespace and service matchers it lacks. */
function scopeSelector(
  query: string,
  selector: SyntaxNode,
  scope: WorkloadScope,
): { at: number; text: string } | undefined {
  const matchers = selector.getChild('LabelMatchers');
  const present = new Set<string>();
  if (matchers) {
    for (let m = matchers.firstChild; m; m = m.nextSibling) {
      const name = m.getChild('LabelName');
      if (name) present.add(query.slice(name.from, name.to));
    }
  }
  const wanted: Array<[string, string]> = [
    ['namespace', scope.namespace],
    [scope.label, scope.service],
  ];
  const missing = wanted
    .filter(([name]) => !present.has(name))
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  if (missing.length === 0) return undefined;
  if (!matchers) return { at: selector.to, text: `{${missing.join(',')}}` };
  const inner = query.slice(matchers.from + 1, matchers.to - 1).trim();
  const sep = inner === '' || inner.endsWith(',') ? '' : ',';
  return { at: matchers.to - 1, text: sep + missing.join(',') };
}
