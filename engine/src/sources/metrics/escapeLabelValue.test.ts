import { describe, expect, it } from 'vitest';
import { ShopMetricsGenerator } from '../../sim/metrics/ShopMetricsGenerator.js';
import { SyntheticMetricsSource } from './SyntheticMetricsSource.js';
import { escapeLabelValue, escapeRegexLabelValue, fillQueryTemplate } from './escapeLabelValue.js';
import { parsePromql } from './promql/parsePromql.js';

const T = 1_764_000_000;
const source = new SyntheticMetricsSource(new ShopMetricsGenerator({ seed: 3 }), () => T);
const template = 'up{namespace="$namespace"}';

describe('escapeLabelValue', () => {
  it.each([
    'shop"} or vector(1) or up{x="',
    'back\\slash"',
    'line\nbreak\r\ttab\x00nul\x7f',
    'emoji 🙂 and a lone surrogate \ud800',
    "`backtick` and 'single'",
  ])('round-trips %j through the PromQL parser as one label value', (value) => {
    const expr = parsePromql(`up{namespace="${escapeLabelValue(value)}"}`);
    expect(expr).toEqual({
      kind: 'selector',
      matchers: [
        { name: '__name__', type: '=', value: 'up' },
        { name: 'namespace', type: '=', value: expect.any(String) },
      ],
      offset: 0,
    });
    const got = (expr as { matchers: Array<{ value: string }> }).matchers[1]!.value;
    // A lone surrogate is not text in any encoding and comes back as U+FFFD; everything else comes back exactly.
    expect(got).toBe(value.replace('\ud800', '\ufffd'));
  });

  it('keeps an injected namespace from widening the query: no series match, where unescaped it returned vector(1)', async () => {
    const injected = 'shop"} or vector(1) or up{x="';
    const raw = template.replaceAll('$namespace', injected);
    expect((await source.instantQuery(raw, T)).length).toBeGreaterThan(0);
    const safe = fillQueryTemplate(template, { namespace: injected });
    expect(await source.instantQuery(safe, T)).toEqual([]);
    expect(await source.instantQuery(fillQueryTemplate(template, { namespace: 'shop' }), T)).not.toEqual([]);
  });
});

describe('escapeRegexLabelValue', () => {
  it('matches the literal value only', async () => {
    const value = 'a.b+c(d)"e\\';
    const expr = parsePromql(`up{pod=~"${escapeRegexLabelValue(value)}-.*"}`) as {
      matchers: Array<{ value: string }>;
    };
    const re = new RegExp(`^(?:${expr.matchers[1]!.value})$`);
    expect(re.test(`${value}-7f9c`)).toBe(true);
    expect(re.test('aXb+c(d)"e\\-7f9c')).toBe(false);
  });
});
