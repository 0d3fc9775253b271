import { EngineError } from '../../errors.js';
import type { LabelMatcher } from './promql/ast.js';
import { parsePromql } from './promql/parsePromql.js';

/**
 * The one place InfluxQL text is built from values: every tag value, identifier and regex the engine puts into an
 * InfluxQL statement goes through the functions below (InfluxQL's lexer: `\` escapes the quote of the literal).
 */
export function quoteInfluxString(value: string): string {
  return `'${escapeInfluxStringValue(value)}'`;
}

/**
 * The body of an InfluxQL single-quoted string: backslash and quote escaped, a newline as `\n` (a raw one ends the
 * literal with a parse error), other control characters dropped; signal templates put `'$namespace'` around it.
 */
export function escapeInfluxStringValue(value: string): string {
  return (
    value
      .replace(/\\/g, '\\\\')
      .replace(/'/g, "\\'")
      .replace(/\n/g, '\\n')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
      .replace(/[\x00-\x1f\x7f]/g, '')
  );
}

export function quoteInfluxIdentifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A PromQL regex (fully anchored, RE2 like Go's) as an InfluxQL regex literal with the same meaning. */
export function influxRegex(pattern: string): string {
  return `/^(?:${pattern.replace(/\//g, '\\/')})$/`;
}

/** A PromQL label matcher as an InfluxQL condition on the tag of the same name. */
export function matcherCondition(m: LabelMatcher): string {
  const tag = quoteInfluxIdentifier(m.name);
  switch (m.type) {
    case '=':
      return `${tag} = ${quoteInfluxString(m.value)}`;
    case '!=':
      return `${tag} != ${quoteInfluxString(m.value)}`;
    case '=~':
      return `${tag} =~ ${influxRegex(m.value)}`;
    case '!~':
      return `${tag} !~ ${influxRegex(m.value)}`;
  }
}

export interface InfluxSelector {
  /** The measurement (the PromQL metric name); undefined when the selector names none. */
  measurement?: string;
  /** InfluxQL conditions on tags, ANDed. */
  conditions: string[];
}

/**
 * A PromQL series selector (`up{job="api"}`, the form series()/labelValues() take) in InfluxDB's terms: `__name__`
 * is the measurement (by equality; other matchers on it cannot be expressed on SHOW statements), other labels tags.
 */
export function influxSelector(selector: string): InfluxSelector {
  let expr;
  try {
    expr = parsePromql(selector);
  } catch (error) {
    throw new EngineError(
      'INVALID_INPUT',
      `"${selector}" is not a series selector: ${(error as Error).message}`,
      {
        issues: [{ field: 'matchers', message: 'must be a selector like metric{label="value"}' }],
      },
    );
  }
  if (expr.kind !== 'selector') {
    throw new EngineError('INVALID_INPUT', `"${selector}" is not a series selector`, {
      issues: [{ field: 'matchers', message: 'must be a selector like metric{label="value"}' }],
    });
  }
  let measurement: string | undefined;
  const conditions: string[] = [];
  for (const m of expr.matchers) {
    if (m.name !== '__name__') conditions.push(matcherCondition(m));
    else if (m.type === '=') measurement = m.value;
    else {
      throw new EngineError('INVALID_INPUT', `InfluxDB selects measurements by name only: "${selector}"`, {
        issues: [{ field: 'matchers', message: '__name__ must be matched with =' }],
      });
    }
  }
  return { measurement, conditions };
}

/** ` FROM "m" WHERE a AND b` for a SHOW statement, each part only when present. */
export function fromWhere(selector: InfluxSelector | undefined): string {
  if (!selector) return '';
  const from =
    selector.measurement !== undefined ? ` FROM ${quoteInfluxIdentifier(selector.measurement)}` : '';
  const where = selector.conditions.length > 0 ? ` WHERE ${selector.conditions.join(' AND ')}` : '';
  return from + where;
}

/** The measurements named after FROM in a SELECT (quoted or bare, optionally db.rp.-qualified), for error messages. */
export function measurementsOf(query: string): string[] {
  const from = /\bFROM\s+((?:(?:"(?:[^"\\]|\\.)*"|[A-Za-z_][\w.]*)\s*,?\s*)+)/i.exec(query);
  if (!from) return [];
  const names: string[] = [];
  for (const part of from[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|([A-Za-z_][\w.]*)/g)) {
    const name = part[1] !== undefined ? part[1].replace(/\\(.)/g, '$1') : part[2]!;
    if (/^(WHERE|GROUP|ORDER|LIMIT|SLIMIT|OFFSET|FILL|TZ)$/i.test(name)) break;
    names.push(part[2] !== undefined ? name.split('.').pop()! : name);
  }
  return names;
}

/**
 * What InfluxQL's lexer reads before keywords, left to right: single-quoted strings, double-quoted identifiers, regex
 * literals (after `=~` / `!~`; elsewhere `/` divides), each with its backslash escapes, and `--` and block comments.
 * An unterminated one runs to the end, so a match never fails once begun and the scan is linear (a quote required at
 * the end took 76 ms on 8,192 characters of `'\`, quadratic).
 */
const INFLUX_LITERAL =
  /'(?:[^'\\]|\\[\s\S])*(?:'|\\?$)|"(?:[^"\\]|\\[\s\S])*(?:"|\\?$)|(?:=~|!~)\s*\/(?:[^/\\]|\\[\s\S])*(?:\/|\\?$)|--[^\n]*|\/\*(?:[^*]|\*(?!\/))*(?:\*\/|$)/g;

/**
 * Refuses InfluxQL that would change InfluxDB, before it reaches it under the source's credentials: a viewer sent
 * `DROP DATABASE` through the metrics API and it ran (InfluxDB 1.x runs any statement, over GET too, measured with
 * Debian's 1.6). Refused, outside literals and comments: a statement that starts with a writing keyword, more than one
 * statement, and `SELECT ... INTO`. Anything else (a typo included) is InfluxDB's to parse, and reads.
 */
export function assertReadOnlyInfluxQL(query: string): void {
  const code = query.replace(INFLUX_LITERAL, ' ');
  const problem = /^\s*(?:drop|delete|create|alter|grant|revoke|kill|set)\b/i.test(code)
    ? 'must read (SELECT), not change the database'
    : /;\s*\S/.test(code)
      ? 'must be one statement'
      : /\binto\b/i.test(code)
        ? 'must not write (SELECT ... INTO)'
        : undefined;
  if (problem === undefined) return;
  throw new EngineError(
    'INVALID_INPUT',
    `InfluxQL query ${problem}: the engine only reads (query: ${query})`,
    {
      issues: [{ field: 'query', message: `${problem}: the engine only reads` }],
    },
  );
}
