import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { EngineError } from '../../../errors.js';
import { compileLabelRegex, type LabelRegex } from '../../../util/labelRegex.js';
import { QUERY_LIMITS } from '../queryLimits.js';
import type { BinaryOp, Expr, LabelMatcher, MatchType, VectorMatching } from './ast.js';

/**
 * Parses PromQL with the official Prometheus grammar (lezer) and maps it onto the evaluator's subset. Syntax errors
 * and constructs outside the subset both become EngineError('PROMQL_ERROR') naming the position and the query.
 */
export function parsePromql(query: string): Expr {
  if (query.length > QUERY_LIMITS.maxQueryChars) {
    throw new EngineError(
      'PROMQL_ERROR',
      `query is ${query.length} characters long; the limit is ${QUERY_LIMITS.maxQueryChars}`,
    );
  }
  // lezer parses and iterates without recursion; the depth is checked here, before the recursive conversion below.
  const tree = parser.parse(query);
  let error: SyntaxNode | undefined;
  let depth = 0;
  let deepest = 0;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError && !error) error = node.node;
      deepest = Math.max(deepest, ++depth);
      return !error && deepest <= QUERY_LIMITS.maxQueryDepth;
    },
    leave: () => void depth--,
  });
  if (deepest > QUERY_LIMITS.maxQueryDepth) {
    throw new EngineError(
      'PROMQL_ERROR',
      `query nests deeper than ${QUERY_LIMITS.maxQueryDepth} levels: split it or use an aggregation instead of a long chain of operators`,
    );
  }
  if (error) {
    const at = error.from;
    const near = query.slice(Math.max(0, at - 10), at + 10);
    throw new EngineError(
      'PROMQL_ERROR',
      at >= query.length
        ? `parse error: unexpected end of input (query: ${query})`
        : `parse error at character ${at + 1}: unexpected "${query.slice(at, at + 1)}" near "${near}" (query: ${query})`,
    );
  }
  const top = tree.topNode.firstChild;
  if (!top) throw new EngineError('PROMQL_ERROR', `parse error: empty query`);
  return new Converter(query).expr(top);
}

const OPERATORS: Record<string, BinaryOp> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Pow: '^',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

class Converter {
  constructor(private readonly query: string) {}

  expr(node: SyntaxNode): Expr {
    switch (node.name) {
      case 'ParenExpr':
        return this.expr(this.children(node)[0] ?? this.fail(node, 'empty parentheses'));
      case 'NumberDurationLiteral':
        return { kind: 'number', value: parseNumberOrDuration(this.text(node)) };
      case 'StringLiteral':
        return { kind: 'string', value: unquote(this.text(node)) };
      case 'VectorSelector':
        return { kind: 'selector', matchers: this.matchers(node), offset: 0 };
      case 'MatrixSelector': {
        const [selector, duration] = this.children(node);
        if (selector?.name !== 'VectorSelector' || duration?.name !== 'DurationExpr') {
          return this.fail(node, 'a range needs a selector and a duration, e.g. x[5m]');
        }
        return {
          kind: 'matrix',
          selector: { matchers: this.matchers(selector), offset: 0 },
          range: this.duration(duration),
        };
      }
      case 'OffsetExpr':
        return this.offset(node);
      case 'UnaryExpr': {
        const [op, operand] = this.children(node);
        if (!op || !operand) return this.fail(node, 'incomplete unary expression');
        return { kind: 'unary', op: this.text(op) === '-' ? '-' : '+', expr: this.expr(operand) };
      }
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'SubqueryExpr':
        return this.unsupported(node, 'subqueries');
      case 'StepInvariantExpr':
        return this.unsupported(node, 'the @ modifier');
      default:
        return this.unsupported(node, `"${this.text(node)}"`);
    }
  }

  private offset(node: SyntaxNode): Expr {
    const children = this.children(node);
    const inner = children[0];
    const duration = children.find((c) => c.name === 'OffsetDurationExpr');
    if (!inner || !duration) return this.fail(node, 'offset needs a duration');
    const seconds = this.offsetDuration(duration);
    return applyOffset(this.expr(inner), seconds, () =>
      this.unsupported(node, 'offset on anything but a selector'),
    );
  }

  private offsetDuration(node: SyntaxNode): number {
    const children = this.children(node);
    if (children[0]?.name === 'UnaryOp' && children[1]) {
      const sign = this.text(children[0]) === '-' ? -1 : 1;
      return sign * this.offsetDuration(children[1]);
    }
    if (children.length === 1 && children[0]!.name === 'NumberDurationLiteralInDurationContext') {
      return parseNumberOrDuration(this.text(children[0]!));
    }
    return this.unsupported(node, 'duration arithmetic');
  }

  private duration(node: SyntaxNode): number {
    const children = this.children(node);
    if (children.length === 1 && children[0]!.name === 'NumberDurationLiteralInDurationContext') {
      const seconds = parseNumberOrDuration(this.text(children[0]!));
      if (!(seconds > 0)) return this.fail(node, 'a range must be positive');
      return seconds;
    }
    return this.unsupported(node, 'duration arithmetic');
  }

  private call(node: SyntaxNode): Expr {
    const identifier = node.getChild('FunctionIdentifier');
    const body = node.getChild('FunctionCallBody');
    if (!identifier || !body) return this.fail(node, 'incomplete function call');
    return { kind: 'call', func: this.text(identifier), args: this.children(body).map((c) => this.expr(c)) };
  }

  private aggregate(node: SyntaxNode): Expr {
    const op = this.text(node.getChild('AggregateOp') ?? this.fail(node, 'missing aggregation'));
    const modifier = node.getChild('AggregateModifier');
    const body = node.getChild('FunctionCallBody');
    if (!body) return this.fail(node, `${op} needs an argument`);
    const args = this.children(body).map((c) => this.expr(c));
    let grouping: { without: boolean; labels: string[] } | undefined;
    if (modifier) {
      grouping = {
        without: modifier.getChild('Without') !== null,
        labels: this.groupingLabels(modifier.getChild('GroupingLabels')),
      };
    }
    const expr = args.at(-1);
    if (!expr) return this.fail(node, `${op} needs an argument`);
    return { kind: 'aggregate', op, grouping, ...(args.length > 1 ? { param: args[0]! } : {}), expr };
  }

  private binary(node: SyntaxNode): Expr {
    const children = this.children(node);
    const opNode = children.find((c) => OPERATORS[c.name] !== undefined);
    const operands = children.filter(
      (c) => c !== opNode && c.name !== 'BoolModifier' && c.name !== 'MatchingModifierClause',
    );
    if (!opNode || operands.length !== 2) return this.fail(node, 'incomplete binary expression');
    const op = OPERATORS[opNode.name]!;
    const clause = children.find((c) => c.name === 'MatchingModifierClause');
    let matching: VectorMatching | undefined;
    if (clause) {
      const groupingLists = this.children(clause).filter((c) => c.name === 'GroupingLabels');
      const group = clause.getChild('GroupLeft')
        ? 'left'
        : clause.getChild('GroupRight')
          ? 'right'
          : undefined;
      matching = {
        on: clause.getChild('On') !== null,
        labels: this.groupingLabels(groupingLists[0] ?? null),
        ...(group ? { group } : {}),
        include: group ? this.groupingLabels(groupingLists[1] ?? null) : [],
      };
    }
    return {
      kind: 'binary',
      op,
      lhs: this.expr(operands[0]!),
      rhs: this.expr(operands[1]!),
      returnBool: children.some((c) => c.name === 'BoolModifier'),
      matching,
    };
  }

  private groupingLabels(node: SyntaxNode | null): string[] {
    if (!node) return [];
    return this.children(node).map((c) =>
      c.name === 'QuotedLabelName' ? unquote(this.text(c)) : this.text(c),
    );
  }

  private matchers(node: SyntaxNode): LabelMatcher[] {
    const out: LabelMatcher[] = [];
    const name = node.getChild('Identifier');
    if (name) out.push({ name: '__name__', type: '=', value: this.text(name) });
    const list = node.getChild('LabelMatchers');
    for (const m of list ? this.children(list) : []) {
      if (m.name === 'QuotedLabelName') {
        out.push({ name: '__name__', type: '=', value: unquote(this.text(m)) });
        continue;
      }
      const labelNode = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
      const opNode = m.getChild('MatchOp')?.firstChild;
      const valueNode = m.getChild('StringLiteral');
      if (!labelNode || !opNode || !valueNode) this.fail(m, 'incomplete label matcher');
      const label =
        labelNode!.name === 'QuotedLabelName' ? unquote(this.text(labelNode!)) : this.text(labelNode!);
      const type = MATCH_OPS[opNode!.name];
      if (!type) this.fail(m, 'unknown match operator');
      out.push({ name: label, type: type!, value: unquote(this.text(valueNode!)) });
    }
    if (out.length === 0) this.fail(node, 'a selector needs a metric name or a label matcher');
    if (out.every((m) => matchesEmpty(m))) {
      this.fail(node, 'vector selector must contain at least one non-empty matcher');
    }
    return out;
  }

  private children(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
    return out;
  }

  private text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }

  private fail(node: SyntaxNode, message: string): never {
    throw new EngineError(
      'PROMQL_ERROR',
      `parse error at character ${node.from + 1}: ${message} (query: ${this.query})`,
    );
  }

  private unsupported(node: SyntaxNode, what: string): never {
    throw new EngineError(
      'PROMQL_ERROR',
      `unsupported in the demo metrics source: ${what} at character ${node.from + 1} (query: ${this.query})`,
    );
  }
}

/** `a + b offset 5m` parses as an offset over the binary expression; Prometheus binds it to the nearest selector. */
function applyOffset(expr: Expr, seconds: number, unsupported: () => never): Expr {
  switch (expr.kind) {
    case 'selector':
      return { ...expr, offset: expr.offset + seconds };
    case 'matrix':
      return { ...expr, selector: { ...expr.selector, offset: expr.selector.offset + seconds } };
    case 'binary':
      return { ...expr, rhs: applyOffset(expr.rhs, seconds, unsupported) };
    default:
      return unsupported();
  }
}

/** RE2, as Prometheus compiles a matcher (linear time); what RE2 cannot parse is a PROMQL_ERROR naming the label. */
function labelRegex(m: LabelMatcher): LabelRegex {
  try {
    return compileLabelRegex(m.value);
  } catch (error) {
    throw new EngineError(
      'PROMQL_ERROR',
      `invalid regular expression "${m.value}" for label ${m.name}: ${(error as Error).message}`,
    );
  }
}

function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.type) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return labelRegex(m).test('');
    case '!~':
      return !labelRegex(m).test('');
  }
}

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

export function parseNumberOrDuration(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/i.test(text)) return parseInt(text, 16);
  if (/^[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?$/i.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new EngineError('PROMQL_ERROR', `bad number or duration "${text}"`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]!]!, 0);
}

/** PromQL strings: double or single quotes with Go escapes, or backticks taken literally. */
export function unquote(text: string): string {
  const quote = text[0];
  const body = text.slice(1, -1);
  if (quote === '`') return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{3}|.)/g, (_, esc: string) => {
    switch (esc[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'u':
      case 'x':
        return String.fromCharCode(parseInt(esc.slice(1), 16));
      default:
        return /^[0-7]{3}$/.test(esc) ? String.fromCharCode(parseInt(esc, 8)) : esc;
    }
  });
}
