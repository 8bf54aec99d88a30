/** Canonical PromQL text for an AST (in the spirit of Prometheus's `Expr.String()`). */
import { precedence, type AtModifier, type Expr, type LabelMatcher, type VectorSelector } from "./ast";

const UNITS: Array<[string, number]> = [
  ["y", 365 * 86_400_000], ["w", 7 * 86_400_000], ["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1],
];

/** ms → `1h30m`, `5m`, `500ms`, `0s` (Prometheus `model.Duration` format). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.abs(ms);
  let out = ms < 0 ? "-" : "";
  for (const [unit, size] of UNITS) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LEGACY_METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const KEYWORDS = new Set(["bool", "offset", "on", "ignoring", "group_left", "group_right", "inf", "nan", "by", "without", "and", "or", "unless"]);

export function quoteString(s: string): string {
  return JSON.stringify(s);
}

function labelName(name: string): string {
  return LEGACY_LABEL.test(name) ? name : quoteString(name);
}

function matcher(m: LabelMatcher): string {
  return `${labelName(m.name)}${m.type}${quoteString(m.value)}`;
}

function grouping(labels: string[]): string {
  return `(${labels.map(labelName).join(", ")})`;
}

function modifiers(at: AtModifier | undefined, offset: number): string {
  let out = "";
  if (at) out += "startOrEnd" in at ? ` @ ${at.startOrEnd}()` : ` @ ${(at.timestamp / 1000).toFixed(3)}`;
  if (offset !== 0) out += ` offset ${formatDuration(offset)}`;
  return out;
}

function selectorBody(vs: VectorSelector): string {
  let rest = vs.matchers;
  let name = "";
  const idx = vs.name ? rest.findIndex((m) => m.name === "__name__" && m.type === "=" && m.value === vs.name) : -1;
  if (idx >= 0 && LEGACY_METRIC.test(vs.name) && !KEYWORDS.has(vs.name.toLowerCase())) {
    name = vs.name;
    rest = rest.filter((_, i) => i !== idx);
  }
  if (name && rest.length === 0) return name;
  return `${name}{${rest.map(matcher).join(", ")}}`;
}

function needsParens(child: Expr, parentPrec: number, rightSide: boolean, rightAssoc: boolean): boolean {
  if (child.kind !== "BinaryExpr") return false;
  const p = precedence(child.op);
  if (p !== parentPrec) return p < parentPrec;
  return rightAssoc ? !rightSide : rightSide;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "NumberLiteral":
      return formatNumber(e.value);
    case "StringLiteral":
      return quoteString(e.value);
    case "ParenExpr":
      return `(${printExpr(e.expr)})`;
    case "VectorSelector":
      return selectorBody(e) + modifiers(e.at, e.offset);
    case "MatrixSelector":
      return `${selectorBody(e.vectorSelector)}[${formatDuration(e.range)}]${modifiers(e.vectorSelector.at, e.vectorSelector.offset)}`;
    case "SubqueryExpr": {
      const step = e.step ? formatDuration(e.step) : "";
      const inner = e.expr.kind === "BinaryExpr" || e.expr.kind === "UnaryExpr" ? `(${printExpr(e.expr)})` : printExpr(e.expr);
      return `${inner}[${formatDuration(e.range)}:${step}]${modifiers(e.at, e.offset)}`;
    }
    case "Call":
      return `${e.func}(${e.args.map(printExpr).join(", ")})`;
    case "AggregateExpr": {
      let mod = "";
      if (e.without) mod = ` without ${grouping(e.grouping)} `;
      else if (e.grouping.length > 0) mod = ` by ${grouping(e.grouping)} `;
      const args = e.param ? `${printExpr(e.param)}, ${printExpr(e.expr)}` : printExpr(e.expr);
      return `${e.op}${mod}(${args})`;
    }
    case "UnaryExpr": {
      const inner = e.expr.kind === "BinaryExpr" && e.expr.op !== "^" ? `(${printExpr(e.expr)})` : printExpr(e.expr);
      return `${e.op}${inner}`;
    }
    case "BinaryExpr": {
      const p = precedence(e.op);
      const rightAssoc = e.op === "^";
      let lhs = printExpr(e.lhs);
      let rhs = printExpr(e.rhs);
      if (needsParens(e.lhs, p, false, rightAssoc) || (e.op === "^" && e.lhs.kind === "UnaryExpr")) lhs = `(${lhs})`;
      if (needsParens(e.rhs, p, true, rightAssoc)) rhs = `(${rhs})`;
      let op = e.op as string;
      if (e.returnBool) op += " bool";
      const vm = e.vectorMatching;
      if (vm) {
        if (vm.on || vm.matchingLabels.length > 0) op += ` ${vm.on ? "on" : "ignoring"}${grouping(vm.matchingLabels)}`;
        if (vm.card === "many-to-one" || vm.card === "one-to-many") {
          op += ` ${vm.card === "many-to-one" ? "group_left" : "group_right"}${vm.include.length ? grouping(vm.include) : ""}`;
        }
      }
      return `${lhs} ${op} ${rhs}`;
    }
  }
}
