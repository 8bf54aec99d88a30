/**
 * Parser glue: runs the lezer-promql grammar (the one the Prometheus UI uses) and turns its
 * concrete syntax tree into our typed AST (./ast.ts), then type-checks it the way Prometheus's
 * `parser.ParseExpr` does. Experimental PromQL syntax (duration expressions, limitk/limit_ratio,
 * fill modifiers, trim operators, smoothed/anchored ranges) is rejected.
 */
import type { SyntaxNode } from "@lezer/common";
import { parser } from "@prometheus-io/lezer-promql";
import {
  documentedType,
  exprType,
  isComparisonOp,
  isSetOp,
  type AggregateExpr,
  type AggregateOp,
  type AtModifier,
  type BinaryExpr,
  type BinaryOp,
  type Call,
  type Expr,
  type LabelMatcher,
  type MatchType,
  type MatrixSelector,
  type PosRange,
  type SubqueryExpr,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from "./ast";
import { FUNCTIONS } from "./function-signatures";
import { parseDurationMs } from "../duration";

export class PromQLParseError extends Error {
  readonly position: PosRange;
  constructor(message: string, position: PosRange) {
    super(`parse error: ${message}`);
    this.name = "PromQLParseError";
    this.position = position;
  }
}

function fail(message: string, pos: PosRange): never {
  throw new PromQLParseError(message, pos);
}

/** Parses and type-checks a PromQL expression; throws PromQLParseError. */
export function parseExpr(input: string): Expr {
  const tree = parser.parse(blankTrailingDecimalPoints(input));
  const top = tree.topNode;
  reportSyntaxError(input, top);
  const b = new Builder(input);
  const body = childNodes(top);
  if (body.length === 0) fail("no expression found in input", { start: 0, end: input.length });
  return b.expr(body[0]);
}

/**
 * PromQL accepts `1.` (Go ParseFloat); the lezer grammar does not. Blank such trailing points
 * outside strings and comments; the length, and so every position, stays the same.
 */
function blankTrailingDecimalPoints(src: string): string {
  let out = "";
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && !(c !== "`" && src[j] === "\n")) j += c !== "`" && src[j] === "\\" ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j;
    } else if (c === "#") {
      const j = src.indexOf("\n", i);
      const end = j < 0 ? src.length : j;
      out += src.slice(i, end);
      i = end - 1;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const m = /^[\w:]+/.exec(src.slice(i)) as RegExpExecArray;
      out += m[0];
      i += m[0].length - 1;
    } else if (c === "." && /\d/.test(src[i - 1] ?? "") && !/[\w.]/.test(src[i + 1] ?? "")) {
      out += " ";
    } else {
      out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

function childNodes(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== "LineComment") out.push(c);
  return out;
}

function firstError(node: SyntaxNode): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  node.toTree().iterate({
    enter(n) {
      if (found) return false;
      if (n.type.isError) {
        found = n.node;
        return false;
      }
      return undefined;
    },
  });
  return found;
}

const KEYWORDS = new Set([
  "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "atan2",
]);
const AGGREGATORS = new Set([
  "sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
]);
const PUNCTUATION: Record<string, string> = {
  "(": "left parenthesis '('",
  ")": "right parenthesis ')'",
  "{": "left brace '{'",
  "}": "right brace '}'",
  "[": "left bracket '['",
  "]": "right bracket ']'",
  ",": "\",\"",
  ":": "\":\"",
  "@": "\"@\"",
};

/** Describes the token at `at` in Prometheus's style (`identifier "foo"`, `number "5"`, …). */
function describeToken(src: string, at: number): { text: string; end: number } {
  let i = at;
  while (i < src.length && /\s/.test(src[i])) i++;
  if (i >= src.length) return { text: "end of input", end: src.length };
  const rest = src.slice(i);
  let m: RegExpMatchArray | null;
  if ((m = rest.match(/^[a-zA-Z_:][\w:]*/))) {
    const word = m[0];
    const lower = word.toLowerCase();
    if (KEYWORDS.has(lower)) return { text: `<${lower}>`, end: i + word.length };
    if (AGGREGATORS.has(lower)) return { text: `<aggr:${lower}>`, end: i + word.length };
    return { text: `identifier "${word}"`, end: i + word.length };
  }
  if ((m = rest.match(/^(0x[0-9a-f]+|[0-9.][\w.]*(?:[eE][+-]?\d+)?)/i))) {
    return { text: `number "${m[0]}"`, end: i + m[0].length };
  }
  if ((m = rest.match(/^("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`[^`]*`?)/))) {
    const closed = m[0].length > 1 && m[0][m[0].length - 1] === m[0][0];
    return { text: closed ? `string ${m[0]}` : "unterminated quoted string", end: i + m[0].length };
  }
  if ((m = rest.match(/^(==|!=|>=|<=|=~|!~|[-+*/%^<>=!])/))) return { text: `"${m[0]}"`, end: i + m[0].length };
  const ch = rest[0];
  if (PUNCTUATION[ch]) return { text: PUNCTUATION[ch], end: i + 1 };
  return { text: `character: '${ch}'`, end: i + 1 };
}

function reportSyntaxError(src: string, top: SyntaxNode): void {
  const err = firstError(top);
  if (!err) return;
  // `foo(x)` where foo is not a known function: lezer sees a selector followed by junk.
  let prev = err.prevSibling;
  while (prev && prev.name === "LineComment") prev = prev.prevSibling;
  if (prev && prev.name === "Identifier" && err.parent?.name === "VectorSelector" && src.slice(err.from, err.to).trim().startsWith("(")) {
    fail(`unknown function with name "${src.slice(prev.from, prev.to)}"`, { start: prev.from, end: prev.to });
  }
  let start = err.from;
  while (start < src.length && /\s/.test(src[start])) start++;
  const tok = describeToken(src, err.from);
  fail(`unexpected ${tok.text}`, { start: Math.min(start, src.length), end: tok.end });
}

// ---------------------------------------------------------------------------------------------
// Literals

export { parseDurationMs };

/** Number literal text (with optional sign; hex, octal, Inf, NaN, exponent, duration) → value. */
function parseNumber(text: string, pos: PosRange): number {
  let s = text;
  let sign = 1;
  if (s[0] === "-" || s[0] === "+") {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  const lower = s.toLowerCase();
  if (lower === "inf") return sign * Infinity;
  if (lower === "nan") return NaN;
  s = s.trimStart();
  if (/^0x[0-9a-f]+$/i.test(s)) return sign * parseInt(s.slice(2), 16);
  if (/^0[0-7]+$/.test(s)) return sign * parseInt(s.slice(1), 8);
  const dur = parseDurationMs(s);
  if (dur !== undefined) return (sign * dur) / 1000;
  const n = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : NaN;
  if (Number.isNaN(n)) fail(`bad number or duration syntax: "${text}"`, pos);
  return sign * n;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"',
};

/** Go `strconv.Unquote` semantics for "…" and '…'; backticks are raw. */
export function unquoteString(raw: string, pos: PosRange): string {
  const q = raw[0];
  const body = raw.slice(1, -1);
  if (q === "`") return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      if (c === "\n") fail("unterminated quoted string", pos);
      out += c;
      continue;
    }
    const e = body[++i];
    if (e in SIMPLE_ESCAPES) {
      if ((e === "'" && q === '"') || (e === '"' && q === "'")) fail(`unknown escape sequence: \\${e}`, pos);
      out += SIMPLE_ESCAPES[e];
      continue;
    }
    const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hexLen > 0) {
      const hex = body.slice(i + 1, i + 1 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) fail("invalid escape sequence in string", pos);
      const code = parseInt(hex, 16);
      if (e === "x") out += String.fromCharCode(code);
      else if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) fail("invalid escape sequence in string", pos);
      else out += String.fromCodePoint(code);
      i += hexLen;
      continue;
    }
    if (e !== undefined && /[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) fail("invalid escape sequence in string", pos);
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
      continue;
    }
    fail(`unknown escape sequence: \\${e ?? ""}`, pos);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tree → AST

const BINARY_OPS: Record<string, BinaryOp> = {
  Add: "+", Sub: "-", Mul: "*", Div: "/", Mod: "%", Pow: "^", Atan2: "atan2",
  Eql: "==", Neq: "!=", Gtr: ">", Lss: "<", Gte: ">=", Lte: "<=",
  And: "and", Or: "or", Unless: "unless",
};

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: "=", Neq: "!=", EqlRegex: "=~", NeqRegex: "!~" };

const PARAM_AGGREGATORS: ReadonlySet<string> = new Set(["topk", "bottomk", "quantile", "count_values"]);

function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.type) {
    case "=":
      return m.value === "";
    case "!=":
      return m.value !== "";
    default: {
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${m.value})$`, "s");
      } catch {
        return false;
      }
      return re.test("") === (m.type === "=~");
    }
  }
}

type Postfix = (e: Expr, node: SyntaxNode) => Expr;

class Builder {
  constructor(private readonly src: string) {}

  private text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  private pos(n: SyntaxNode): PosRange {
    return { start: n.from, end: n.to };
  }

  /**
   * Builds `n`; `post` is a postfix (range, subquery, offset, @) to attach to it. lezer-promql
   * attaches postfixes to a whole binary/unary expression (`a + b[5m]` parses as `(a + b)[5m]`);
   * PromQL binds them tightest, so they are pushed down to the rightmost operand here.
   */
  expr(n: SyntaxNode, post?: Postfix): Expr {
    if (n.name === "BinaryExpr") return this.binary(n, post);
    if (n.name === "UnaryExpr") return this.unary(n, post);
    if (n.name === "MatrixSelector") return this.matrixSelector(n, post);
    if (n.name === "SubqueryExpr") return this.subquery(n, post);
    if (n.name === "OffsetExpr") return this.offset(n, post);
    if (n.name === "StepInvariantExpr") return this.at(n, post);
    const e = this.primary(n);
    return post ? post(e, n) : e;
  }

  private primary(n: SyntaxNode): Expr {
    switch (n.name) {
      case "NumberDurationLiteral":
        return { kind: "NumberLiteral", value: parseNumber(this.text(n), this.pos(n)), pos: this.pos(n) };
      case "StringLiteral":
        return { kind: "StringLiteral", value: unquoteString(this.text(n), this.pos(n)), pos: this.pos(n) };
      case "ParenExpr":
        return { kind: "ParenExpr", expr: this.expr(childNodes(n)[0]), pos: this.pos(n) };
      case "VectorSelector":
        return this.vectorSelector(n);
      case "FunctionCall":
        return this.call(n);
      case "AggregateExpr":
        return this.aggregate(n);
      case "SmoothedExpr":
      case "AnchoredExpr":
        return fail("smoothed and anchored modifiers are experimental and not enabled", this.pos(n));
      default:
        return fail(`unexpected ${describeToken(this.src, n.from).text}`, this.pos(n));
    }
  }

  private unary(n: SyntaxNode, post?: Postfix): Expr {
    const [opNode, operand] = childNodes(n);
    const op = this.text(opNode) === "-" ? "-" : "+";
    const inner = this.expr(operand, post);
    const pos = { start: n.from, end: Math.max(n.to, inner.pos.end) };
    if (inner.kind === "NumberLiteral") {
      return { kind: "NumberLiteral", value: op === "-" ? -inner.value : inner.value, pos };
    }
    const t = exprType(inner);
    if (t !== "scalar" && t !== "vector") {
      fail("unary expression only allowed on expressions of type scalar or instant vector", pos);
    }
    return { kind: "UnaryExpr", op, expr: inner, pos };
  }

  private binary(n: SyntaxNode, post?: Postfix): Expr {
    const kids = childNodes(n);
    const lhsNode = kids[0];
    const rhsNode = kids[kids.length - 1];
    const opNode = kids[1];
    const op = BINARY_OPS[opNode.name];
    if (!op) fail(`binary operator "${this.text(opNode)}" is experimental and not enabled`, this.pos(opNode));
    let returnBool = false;
    let matching: VectorMatching = { card: "one-to-one", matchingLabels: [], on: false, include: [] };
    for (const k of kids.slice(2, -1)) {
      if (k.name === "BoolModifier") returnBool = true;
      else if (k.name === "MatchingModifierClause") matching = this.matching(k);
      else fail("fill modifiers are experimental and not enabled", this.pos(k));
    }

    // lezer folds a sign into a leading number literal (`-2^3`); PromQL binds ^ tighter than unary minus.
    const lhsText = this.text(lhsNode);
    if (op === "^" && lhsNode.name === "NumberDurationLiteral" && (lhsText[0] === "-" || lhsText[0] === "+")) {
      const lit: Expr = {
        kind: "NumberLiteral",
        value: parseNumber(lhsText.slice(1), this.pos(lhsNode)),
        pos: { start: lhsNode.from + 1, end: lhsNode.to },
      };
      const rhs = this.expr(rhsNode, post);
      const pow = this.checkBinary({
        kind: "BinaryExpr", op, lhs: lit, rhs, returnBool, vectorMatching: matching,
        pos: { start: lhsNode.from + 1, end: Math.max(n.to, rhs.pos.end) },
      });
      const t = exprType(pow);
      if (t !== "scalar" && t !== "vector") {
        fail("unary expression only allowed on expressions of type scalar or instant vector", this.pos(n));
      }
      return { kind: "UnaryExpr", op: lhsText[0] === "-" ? "-" : "+", expr: pow, pos: { start: n.from, end: pow.pos.end } };
    }
    const lhs = this.expr(lhsNode);
    const rhs = this.expr(rhsNode, post);
    return this.checkBinary({
      kind: "BinaryExpr", op, lhs, rhs, returnBool, vectorMatching: matching,
      pos: { start: n.from, end: Math.max(n.to, rhs.pos.end) },
    });
  }

  /** Prometheus's checkAST rules for binary expressions. */
  private checkBinary(e: BinaryExpr): BinaryExpr {
    const lt = exprType(e.lhs);
    const rt = exprType(e.rhs);
    const vm = e.vectorMatching as VectorMatching;
    if (e.returnBool && !isComparisonOp(e.op)) fail("bool modifier can only be used on comparison operators", e.pos);
    if (isComparisonOp(e.op) && !e.returnBool && lt === "scalar" && rt === "scalar") {
      fail("comparisons between scalars must use BOOL modifier", e.pos);
    }
    if (isSetOp(e.op) && vm.card === "one-to-one") vm.card = "many-to-many";
    if (vm.on) {
      for (const l of vm.matchingLabels) {
        if (vm.include.includes(l)) fail(`label "${l}" must not occur in ON and GROUP clause at once`, e.pos);
      }
    }
    if (lt !== "scalar" && lt !== "vector") fail("binary expression must contain only scalar and instant vector types", e.lhs.pos);
    if (rt !== "scalar" && rt !== "vector") fail("binary expression must contain only scalar and instant vector types", e.rhs.pos);
    if (lt !== "vector" || rt !== "vector") {
      if (vm.matchingLabels.length > 0 || vm.on || vm.include.length > 0 || vm.card === "many-to-one" || vm.card === "one-to-many") {
        fail("vector matching only allowed between instant vectors", e.pos);
      }
      delete e.vectorMatching;
    } else if (isSetOp(e.op)) {
      if (vm.card === "one-to-many" || vm.card === "many-to-one") fail(`no grouping allowed for "${e.op}" operation`, e.pos);
    }
    if ((lt === "scalar" || rt === "scalar") && isSetOp(e.op)) {
      fail(`set operator "${e.op}" not allowed in binary scalar expression`, e.pos);
    }
    return e;
  }

  private matching(n: SyntaxNode): VectorMatching {
    const vm: VectorMatching = { card: "one-to-one", matchingLabels: [], on: false, include: [] };
    let seenGroup = false;
    for (const k of childNodes(n)) {
      if (k.name === "On") vm.on = true;
      else if (k.name === "GroupLeft") {
        vm.card = "many-to-one";
        seenGroup = true;
      } else if (k.name === "GroupRight") {
        vm.card = "one-to-many";
        seenGroup = true;
      } else if (k.name === "GroupingLabels") {
        if (seenGroup) vm.include = this.labels(k);
        else vm.matchingLabels = this.labels(k);
      }
    }
    return vm;
  }

  private labels(n: SyntaxNode): string[] {
    return childNodes(n).map((k) => this.labelName(k));
  }

  private labelName(n: SyntaxNode): string {
    if (n.name === "QuotedLabelName") {
      const s = childNodes(n)[0];
      return unquoteString(this.text(s), this.pos(s));
    }
    return this.text(n);
  }

  private vectorSelector(n: SyntaxNode): VectorSelector {
    const pos = this.pos(n);
    let name = "";
    let nameNode: SyntaxNode | undefined;
    const matchers: LabelMatcher[] = [];
    for (const k of childNodes(n)) {
      if (k.name === "Identifier") {
        name = this.text(k);
        nameNode = k;
      } else if (k.name === "LabelMatchers") {
        for (const m of childNodes(k)) {
          if (m.name === "QuotedLabelName") {
            const metric = this.labelName(m);
            if (nameNode) fail(`metric name must not be set twice: "${name}" or "${metric}"`, this.pos(m));
            name = metric;
            nameNode = m;
          } else {
            const [ln, op, value] = childNodes(m);
            const type = MATCH_OPS[childNodes(op)[0]?.name ?? ""];
            if (!type) fail(`unexpected ${describeToken(this.src, op.from).text} in label matching`, this.pos(op));
            matchers.push({ type, name: this.labelName(ln), value: unquoteString(this.text(value), this.pos(value)) });
          }
        }
      }
    }
    if (nameNode) {
      matchers.push({ type: "=", name: "__name__", value: name });
    } else {
      const byName = matchers.find((m) => m.name === "__name__" && m.type === "=");
      if (byName) name = byName.value;
    }
    if (matchers.every(matchesEmpty)) fail("vector selector must contain at least one non-empty matcher", pos);
    return { kind: "VectorSelector", name, matchers, offset: 0, pos };
  }

  private durationMs(n: SyntaxNode, what: string): number {
    const kids = childNodes(n);
    if (kids.length === 1 && kids[0].name === "NumberDurationLiteralInDurationContext") {
      return this.durationLiteral(kids[0], what);
    }
    if (n.name === "NumberDurationLiteralInDurationContext") return this.durationLiteral(n, what);
    return fail("experimental duration expression is not enabled", this.pos(n));
  }

  private durationLiteral(n: SyntaxNode, what: string): number {
    const text = this.text(n);
    const d = parseDurationMs(text);
    if (d !== undefined) return d;
    if (/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
      const secs = Number(text);
      if (Number.isFinite(secs)) return Math.round(secs * 1000);
    }
    return fail(`unexpected duration "${text}" in ${what}`, this.pos(n));
  }

  private matrixSelector(n: SyntaxNode, post?: Postfix): Expr {
    const [inner, dur] = childNodes(n);
    return this.expr(inner, (e, node) => {
      const pos = { start: e.pos.start, end: n.to };
      if (node.name === "OffsetExpr") fail("no offset modifiers allowed before range", pos);
      if (node.name === "StepInvariantExpr") fail("no @ modifiers allowed before range", pos);
      if (e.kind !== "VectorSelector" || node.name !== "VectorSelector") fail("ranges only allowed for vector selectors", pos);
      const range = this.durationMs(dur, "range");
      if (range <= 0) fail("duration must be greater than 0", this.pos(dur));
      const m: MatrixSelector = { kind: "MatrixSelector", vectorSelector: e, range, pos };
      return post ? post(m, n) : m;
    });
  }

  private subquery(n: SyntaxNode, post?: Postfix): Expr {
    const [inner, rangeNode, stepNode] = childNodes(n);
    return this.expr(inner, (expr) => {
      const sq = this.subqueryOf(expr, { start: expr.pos.start, end: n.to }, rangeNode, stepNode);
      return post ? post(sq, n) : sq;
    });
  }

  private subqueryOf(expr: Expr, pos: PosRange, rangeNode: SyntaxNode, stepNode: SyntaxNode | undefined): SubqueryExpr {
    const t = exprType(expr);
    if (t !== "vector") fail(`subquery is only allowed on instant vector, got ${t} instead`, pos);
    const range = this.durationMs(rangeNode, "subquery range");
    if (range <= 0) fail("duration must be greater than 0", this.pos(rangeNode));
    const step = stepNode ? this.durationMs(stepNode, "subquery step") : 0;
    if (stepNode && step <= 0) fail("duration must be greater than 0", this.pos(stepNode));
    return { kind: "SubqueryExpr", expr, range, step, offset: 0, pos };
  }

  /** The node offset / @ attach to: selector, matrix's inner selector, or subquery. */
  private modifierTarget(e: Expr, what: string, pos: PosRange): VectorSelector | SubqueryExpr {
    if (e.kind === "VectorSelector" || e.kind === "SubqueryExpr") return e;
    if (e.kind === "MatrixSelector") return e.vectorSelector;
    return fail(`${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`, pos);
  }

  private offsetMs(n: SyntaxNode): number {
    const kids = childNodes(n);
    if (kids.length === 2 && kids[0].name === "UnaryOp") {
      const v = this.offsetMs(kids[1]);
      return this.text(kids[0]) === "-" ? -v : v;
    }
    return this.durationMs(n, "offset");
  }

  private offset(n: SyntaxNode, post?: Postfix): Expr {
    const kids = childNodes(n);
    return this.expr(kids[0], (e) => {
      const pos = { start: e.pos.start, end: n.to };
      const target = this.modifierTarget(e, "offset", pos);
      if (target.offset !== 0) fail("offset may not be set multiple times", pos);
      target.offset = this.offsetMs(kids[kids.length - 1]);
      e.pos = pos;
      return post ? post(e, n) : e;
    });
  }

  private at(n: SyntaxNode, post?: Postfix): Expr {
    const kids = childNodes(n);
    return this.expr(kids[0], (e) => {
      const pos = { start: e.pos.start, end: n.to };
      const target = this.modifierTarget(e, "@", pos);
      if (target.at) fail("@ <timestamp> may not be set multiple times", pos);
      target.at = this.atModifier(kids[kids.length - 1]);
      e.pos = pos;
      return post ? post(e, n) : e;
    });
  }

  private atModifier(v: SyntaxNode): AtModifier {
    let at: AtModifier;
    if (v.name === "AtModifierPreprocessors") {
      at = { startOrEnd: this.text(v).toLowerCase() === "start" ? "start" : "end" };
    } else {
      const secs = parseNumber(this.text(v), this.pos(v));
      const ms = Math.round(secs * 1000);
      if (!Number.isFinite(secs) || !Number.isSafeInteger(ms)) {
        fail(`timestamp out of bounds for @ modifier: ${this.text(v)}`, this.pos(v));
      }
      at = { timestamp: ms };
    }
    return at;
  }

  private expectType(e: Expr, want: ValueType, context: string): void {
    const got = exprType(e);
    if (got !== want) fail(`expected type ${documentedType(want)} in ${context}, got ${documentedType(got)}`, e.pos);
  }

  private call(n: SyntaxNode): Call {
    const [ident, body] = childNodes(n);
    const name = this.text(ident);
    const fn = FUNCTIONS.get(name);
    if (!fn) fail(`unknown function with name "${name}"`, this.pos(ident));
    const args = childNodes(body).map((a) => this.expr(a));
    const pos = this.pos(n);
    const nargs = fn.argTypes.length;
    if (fn.variadic === 0) {
      if (args.length !== nargs) fail(`expected ${nargs} argument(s) in call to "${name}", got ${args.length}`, pos);
    } else {
      const min = nargs - 1;
      if (args.length < min) fail(`expected at least ${min} argument(s) in call to "${name}", got ${args.length}`, pos);
      if (fn.variadic > 0 && args.length > min + fn.variadic) {
        fail(`expected at most ${min + fn.variadic} argument(s) in call to "${name}", got ${args.length}`, pos);
      }
    }
    args.forEach((a, i) => {
      this.expectType(a, fn.argTypes[Math.min(i, nargs - 1)], `call to function "${name}"`);
    });
    return { kind: "Call", func: name, args, pos };
  }

  private aggregate(n: SyntaxNode): AggregateExpr {
    const pos = this.pos(n);
    let op = "";
    let grouping: string[] = [];
    let without = false;
    let body: SyntaxNode | undefined;
    for (const k of childNodes(n)) {
      if (k.name === "AggregateOp") op = this.text(k).toLowerCase();
      else if (k.name === "AggregateModifier") {
        for (const m of childNodes(k)) {
          if (m.name === "Without") without = true;
          else if (m.name === "GroupingLabels") grouping = this.labels(m);
        }
      } else if (k.name === "FunctionCallBody") body = k;
    }
    if (op === "limitk" || op === "limit_ratio") {
      fail(`${op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`, pos);
    }
    const args = body ? childNodes(body).map((a) => this.expr(a)) : [];
    if (args.length === 0) fail("no arguments for aggregate expression provided", pos);
    const wantParam = PARAM_AGGREGATORS.has(op);
    const want = wantParam ? 2 : 1;
    if (args.length !== want) {
      fail(`wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`, pos);
    }
    const expr = args[args.length - 1];
    const param = wantParam ? args[0] : undefined;
    this.expectType(expr, "vector", "aggregation expression");
    if (param) this.expectType(param, op === "count_values" ? "string" : "scalar", "aggregation parameter");
    const out: AggregateExpr = { kind: "AggregateExpr", op: op as AggregateOp, expr, grouping, without, pos };
    if (param) out.param = param;
    return out;
  }
}
