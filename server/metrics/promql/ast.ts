/**
 * PromQL abstract syntax tree. Node kinds and field names follow Prometheus's own
 * `promql/parser` package (NumberLiteral, VectorSelector, AggregateExpr, …) so that docs and
 * error messages line up. Durations and timestamps are integer milliseconds.
 */

export type ValueType = "scalar" | "vector" | "matrix" | "string";

/** Half-open character range [start, end) in the source string. */
export interface PosRange {
  start: number;
  end: number;
}

export type MatchType = "=" | "!=" | "=~" | "!~";

export interface LabelMatcher {
  type: MatchType;
  name: string;
  value: string;
}

/** `@ <timestamp>` (ms) or `@ start()` / `@ end()`. */
export type AtModifier = { timestamp: number } | { startOrEnd: "start" | "end" };

export interface NumberLiteral {
  kind: "NumberLiteral";
  value: number;
  pos: PosRange;
}

export interface StringLiteral {
  kind: "StringLiteral";
  value: string;
  pos: PosRange;
}

export interface VectorSelector {
  kind: "VectorSelector";
  /** Metric name; "" when only given by matchers other than `__name__="x"`. */
  name: string;
  /** All matchers, including the `__name__` equality matcher when a name is set (as Prometheus). */
  matchers: LabelMatcher[];
  /** Offset in ms (negative = into the future). */
  offset: number;
  at?: AtModifier;
  pos: PosRange;
}

export interface MatrixSelector {
  kind: "MatrixSelector";
  /** Offset and @ of `x[5m] offset 1m` live on this inner selector, as in Prometheus. */
  vectorSelector: VectorSelector;
  range: number;
  pos: PosRange;
}

export interface SubqueryExpr {
  kind: "SubqueryExpr";
  expr: Expr;
  range: number;
  /** 0 = the default evaluation interval (`[5m:]`). */
  step: number;
  offset: number;
  at?: AtModifier;
  pos: PosRange;
}

export interface Call {
  kind: "Call";
  func: string;
  args: Expr[];
  pos: PosRange;
}

export type AggregateOp =
  | "sum" | "avg" | "count" | "min" | "max" | "group" | "stddev" | "stdvar"
  | "topk" | "bottomk" | "quantile" | "count_values";

export interface AggregateExpr {
  kind: "AggregateExpr";
  op: AggregateOp;
  expr: Expr;
  param?: Expr;
  grouping: string[];
  without: boolean;
  pos: PosRange;
}

export type ArithmeticOp = "+" | "-" | "*" | "/" | "%" | "^" | "atan2";
export type ComparisonOp = "==" | "!=" | ">" | "<" | ">=" | "<=";
export type SetOp = "and" | "or" | "unless";
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type VectorMatchCardinality = "one-to-one" | "many-to-one" | "one-to-many" | "many-to-many";

export interface VectorMatching {
  card: VectorMatchCardinality;
  /** Labels of `on(...)` (on = true) or `ignoring(...)` (on = false). */
  matchingLabels: string[];
  on: boolean;
  /** Extra labels of `group_left(...)` / `group_right(...)`. */
  include: string[];
}

export interface BinaryExpr {
  kind: "BinaryExpr";
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  /** Set when both sides are instant vectors (as Prometheus does). */
  vectorMatching?: VectorMatching;
  pos: PosRange;
}

export interface UnaryExpr {
  kind: "UnaryExpr";
  op: "-" | "+";
  expr: Expr;
  pos: PosRange;
}

export interface ParenExpr {
  kind: "ParenExpr";
  expr: Expr;
  pos: PosRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | Call
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

export const COMPARISON_OPS: readonly BinaryOp[] = ["==", "!=", ">", "<", ">=", "<="];
export const SET_OPS: readonly BinaryOp[] = ["and", "or", "unless"];

export function isComparisonOp(op: BinaryOp): op is ComparisonOp {
  return COMPARISON_OPS.includes(op);
}

export function isSetOp(op: BinaryOp): op is SetOp {
  return SET_OPS.includes(op);
}

/** Binding strength of binary operators (higher binds tighter), as in Prometheus. */
export function precedence(op: BinaryOp): number {
  switch (op) {
    case "or":
      return 1;
    case "and":
    case "unless":
      return 2;
    case "==": case "!=": case ">": case "<": case ">=": case "<=":
      return 3;
    case "+": case "-":
      return 4;
    case "*": case "/": case "%": case "atan2":
      return 5;
    case "^":
      return 6;
  }
}

/** Result type of an expression (Prometheus `Expr.Type()`). */
export function exprType(e: Expr): ValueType {
  switch (e.kind) {
    case "NumberLiteral":
      return "scalar";
    case "StringLiteral":
      return "string";
    case "VectorSelector":
    case "AggregateExpr":
      return "vector";
    case "MatrixSelector":
    case "SubqueryExpr":
      return "matrix";
    case "Call":
      return e.func === "scalar" || e.func === "time" || e.func === "pi" ? "scalar" : "vector";
    case "BinaryExpr":
      return exprType(e.lhs) === "scalar" && exprType(e.rhs) === "scalar" ? "scalar" : "vector";
    case "UnaryExpr":
    case "ParenExpr":
      return exprType(e.expr);
  }
}

/** Prometheus's `DocumentedType`, used in error messages. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case "vector":
      return "instant vector";
    case "matrix":
      return "range vector";
    default:
      return t;
  }
}
