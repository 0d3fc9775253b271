/** The PromQL subset the in-process evaluator understands, as a small typed tree (parsed by parsePromql). */

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  type: MatchType;
  value: string;
}

export type BinaryOp =
  '+' | '-' | '*' | '/' | '%' | '^' | '==' | '!=' | '>' | '<' | '>=' | '<=' | 'and' | 'or' | 'unless';

export interface VectorMatching {
  /** `on(...)` when true, `ignoring(...)` when false; absent means all labels (ignoring none). */
  on: boolean;
  labels: string[];
  group?: 'left' | 'right';
  include: string[];
}

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'selector'; matchers: LabelMatcher[]; offset: number }
  | { kind: 'matrix'; selector: { matchers: LabelMatcher[]; offset: number }; range: number }
  | { kind: 'call'; func: string; args: Expr[] }
  | {
      kind: 'aggregate';
      op: string;
      grouping: { without: boolean; labels: string[] } | undefined;
      param?: Expr;
      expr: Expr;
    }
  | {
      kind: 'binary';
      op: BinaryOp;
      lhs: Expr;
      rhs: Expr;
      returnBool: boolean;
      matching: VectorMatching | undefined;
    }
  | { kind: 'unary'; op: '-' | '+'; expr: Expr };

export const COMPARISON_OPS = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS = new Set<BinaryOp>(['and', 'or', 'unless']);
