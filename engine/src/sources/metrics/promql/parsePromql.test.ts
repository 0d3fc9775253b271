import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGNALS } from '../../../config/schema.js';
import { EngineError } from '../../../errors.js';
import { parseNumberOrDuration, parsePromql, unquote } from './parsePromql.js';

function parseError(query: string): EngineError {
  try {
    parsePromql(query);
  } catch (error) {
    return error as EngineError;
  }
  throw new Error(`${query} parsed`);
}

describe('parsePromql', () => {
  it.each(
    DEFAULT_SIGNALS.map((s) => [
      s.name,
      s.query.replaceAll('$namespace', 'shop').replaceAll('$window', '5m'),
    ]),
  )('parses the default signal %s', (_, query) => {
    expect(() => parsePromql(query)).not.toThrow();
  });

  it('maps a selector with every matcher type', () => {
    expect(parsePromql(`x{a="1", b!='2', c=~"3.*", d!~"4"}`)).toEqual({
      kind: 'selector',
      offset: 0,
      matchers: [
        { name: '__name__', type: '=', value: 'x' },
        { name: 'a', type: '=', value: '1' },
        { name: 'b', type: '!=', value: '2' },
        { name: 'c', type: '=~', value: '3.*' },
        { name: 'd', type: '!~', value: '4' },
      ],
    });
  });

  it('binds offset to the nearest selector, as Prometheus does', () => {
    const expr = parsePromql('a + b offset 5m');
    expect(expr).toMatchObject({
      kind: 'binary',
      lhs: { kind: 'selector', offset: 0 },
      rhs: { kind: 'selector', offset: 300 },
    });
    expect(parsePromql('rate(x[1h30m] offset -1d)')).toMatchObject({
      kind: 'call',
      args: [{ kind: 'matrix', range: 5400, selector: { offset: -86_400 } }],
    });
  });

  it('reads matching modifiers', () => {
    expect(parsePromql('a / on(x) group_left(y) b')).toMatchObject({
      kind: 'binary',
      op: '/',
      matching: { on: true, labels: ['x'], group: 'left', include: ['y'] },
    });
    expect(parsePromql('a > bool ignoring(z) b')).toMatchObject({
      returnBool: true,
      matching: { on: false, labels: ['z'] },
    });
    expect(parsePromql('sum(x) without (pod)')).toMatchObject({
      kind: 'aggregate',
      op: 'sum',
      grouping: { without: true, labels: ['pod'] },
    });
  });

  it('reports syntax errors with a position and the query', () => {
    const error = parseError('sum(rate(x[5m])');
    expect(error.code).toBe('PROMQL_ERROR');
    expect(error.message).toMatch(/parse error/);
    expect(error.message).toContain('sum(rate(x[5m])');
    expect(parseError('x{a="1"').code).toBe('PROMQL_ERROR');
  });

  it('names what is outside the subset', () => {
    expect(parseError('x @ 100').message).toMatch(/unsupported in the demo metrics source: the @ modifier/);
    expect(parseError('rate(x[5m:1m])').message).toMatch(
      /unsupported in the demo metrics source: subqueries/,
    );
  });

  it('refuses a selector that matches everything', () => {
    expect(parseError('{a=~".*"}').message).toMatch(/at least one non-empty matcher/);
  });

  it('parses numbers, durations and strings', () => {
    expect(parseNumberOrDuration('1h30m')).toBe(5400);
    expect(parseNumberOrDuration('250ms')).toBe(0.25);
    expect(parseNumberOrDuration('0x1F')).toBe(31);
    expect(parseNumberOrDuration('1e3')).toBe(1000);
    expect(parseNumberOrDuration('Inf')).toBe(Infinity);
    expect(unquote('"a\\"b\\n"')).toBe('a"b\n');
    expect(unquote('`raw\\n`')).toBe('raw\\n');
  });
});
