import { describe, expect, it } from 'vitest';
import { parsePromql } from '../../sources/metrics/promql/parsePromql.js';
import type { Expr, LabelMatcher } from '../../sources/metrics/promql/ast.js';
import { kedaTriggerQuery } from './kedaTriggerQuery.js';
import { kedaScaledObject, plainNumber } from './manifests.js';
import { planReplicas } from './planReplicas.js';
import { configWith } from '../testing.js';

const scope = { namespace: 'shop', service: 'cart', label: 'service' };

/** Every selector's matchers, from the evaluator's own parse of the query. */
function selectors(expr: Expr): LabelMatcher[][] {
  switch (expr.kind) {
    case 'selector':
      return [expr.matchers];
    case 'matrix':
      return [expr.selector.matchers];
    case 'call':
      return expr.args.flatMap(selectors);
    case 'aggregate':
      return selectors(expr.expr);
    case 'binary':
      return [...selectors(expr.lhs), ...selectors(expr.rhs)];
    case 'unary':
      return selectors(expr.expr);
    default:
      return [];
  }
}

describe('KEDA trigger query', () => {
  it('scopes every selector to the namespace and service and sums to one series', () => {
    const q = kedaTriggerQuery(
      'sum by (service) (rate(http_requests_total{namespace="shop",code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))',
      scope,
    );
    const expr = parsePromql(q);
    expect(expr).toMatchObject({ kind: 'aggregate', op: 'sum', grouping: undefined });
    const all = selectors(expr);
    expect(all).toHaveLength(2);
    for (const m of all) {
      expect(m).toContainEqual({ name: 'namespace', type: '=', value: 'shop' });
      expect(m).toContainEqual({ name: 'service', type: '=', value: 'cart' });
    }
    // The existing code matcher survives.
    expect(all[0]).toContainEqual({ name: 'code', type: '=~', value: '5..' });
  });

  it('escapes label values so a hostile name stays one label value', () => {
    const q = kedaTriggerQuery('rate(x{}[5m])', {
      namespace: 'a"} or vector(1) or up{x="',
      service: 'c\\d',
      label: 'app',
    });
    const [m] = selectors(parsePromql(q));
    expect(m).toContainEqual({ name: 'namespace', type: '=', value: 'a"} or vector(1) or up{x="' });
    expect(m).toContainEqual({ name: 'app', type: '=', value: 'c\\d' });
    expect(selectors(parsePromql(q))).toHaveLength(1);
  });

  it('keeps a matcher the query already sets on the label and rejects what it cannot scope', () => {
    const q = kedaTriggerQuery('up{service="other", }', scope);
    const [m] = selectors(parsePromql(q));
    expect(m!.filter((x) => x.name === 'service')).toEqual([{ name: 'service', type: '=', value: 'other' }]);
    expect(() => kedaTriggerQuery('vector(1)', scope)).toThrow(/selects no series/);
    expect(() => kedaTriggerQuery('sum(rate(x[5m]', scope, 'body.signal')).toThrowError(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        issues: [expect.objectContaining({ field: 'body.signal' })],
      }),
    );
  });

  it('puts a plain decimal threshold in the ScaledObject, as the KEDA Prometheus scaler parses it', () => {
    const config = configWith({ autoscale: { minReplicas: 1, maxReplicas: 10 } }).autoscale;
    const plan = planReplicas([{ t: 300, value: 50, lower: 40, upper: 60 }], 12.5, config, { now: 0 });
    const ref = { kind: 'Deployment' as const, namespace: 'shop', name: 'cart' };
    const keda = kedaScaledObject(ref, plan, config, { query: 'sum(up)', serverAddress: 'http://prom:9090' });
    const trigger = (keda.object as { spec: { triggers: Array<{ metadata: Record<string, string> }> } }).spec
      .triggers[0]!;
    expect(trigger.metadata.threshold).toBe('12.5');
    expect(keda.yaml).toMatch(/threshold: "12\.5"/);
    expect(plainNumber(7)).toBe('7');
    expect(plainNumber(1 / 3)).toBe('0.333');
    expect(() => plainNumber(NaN)).toThrow(RangeError);
  });

  it('keeps the credentials of metrics.url out of the ScaledObject and points KEDA at a TriggerAuthentication', () => {
    const config = configWith({ autoscale: { minReplicas: 1, maxReplicas: 10 } }).autoscale;
    const plan = planReplicas([{ t: 300, value: 50, lower: 40, upper: 60 }], 12.5, config, { now: 0 });
    const ref = { kind: 'Deployment' as const, namespace: 'shop', name: 'cart' };
    const keda = kedaScaledObject(ref, plan, config, {
      query: 'sum(up)',
      serverAddress: 'http://prom:Pa55w0rd@prometheus.monitoring:9090',
    });
    expect(keda.yaml).not.toContain('Pa55w0rd');
    const trigger = (
      keda.object as {
        spec: { triggers: Array<{ metadata: Record<string, string>; authenticationRef?: unknown }> };
      }
    ).spec.triggers[0]!;
    expect(trigger.metadata).toMatchObject({
      serverAddress: 'http://prometheus.monitoring:9090',
      authModes: 'basic',
    });
    expect(trigger.authenticationRef).toEqual({ name: 'cart-prometheus-auth' });
  });
});
