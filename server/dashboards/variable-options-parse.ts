/**
 * The pure parts of query variables (variable-options.ts): reading a PromQL variable query in
 * Grafana's Prometheus syntax, printing `query_result` lines, the regex filter and the sort.
 *
 * Variable queries:
 * - `label_names()` / `label_names(selector)`: label names;
 * - `label_values(label)` / `label_values(selector, label)`: values of a label;
 * - `metrics(regex)`: metric names matching a (JavaScript, unanchored) regex;
 * - `query_result(expr)`: one option per result series, `name{labels} value timestamp`;
 * - anything else: an expression, treated like `query_result(…)`.
 *
 * Pure: no I/O, safe anywhere.
 */
import { quoteLabelValue } from "@/components/metrics/legend";
import { formatGoFloat } from "@/server/metrics/format-float";

export type VariableQuery =
  | { kind: "label_names"; selector?: string }
  | { kind: "label_values"; label: string; selector?: string }
  | { kind: "metrics"; regex: string }
  | { kind: "query_result"; expr: string };

export interface VariableOption {
  text: string;
  value: string;
}

export type VariableSort = "none" | "alpha-asc" | "alpha-desc" | "num-asc" | "num-desc";

const CALL_RE = /^(label_names|label_values|metrics|query_result)\s*\(([\s\S]*)\)\s*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class VariableQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VariableQueryError";
  }
}

/** Reads a PromQL variable query. Throws VariableQueryError on a malformed function call. */
export function parseVariableQuery(query: string): VariableQuery {
  const q = query.trim();
  if (!q) throw new VariableQueryError("The variable query is empty");
  const m = CALL_RE.exec(q);
  // `metrics_total` or `label_values_x{}` are expressions, not calls: the regex wants the `(` right after the name.
  if (!m || !balanced(m[2]!)) return { kind: "query_result", expr: q };
  const fn = m[1]!;
  const arg = m[2]!.trim();
  switch (fn) {
    case "label_names":
      return arg ? { kind: "label_names", selector: arg } : { kind: "label_names" };
    case "label_values": {
      const comma = lastTopLevelComma(arg);
      const label = (comma < 0 ? arg : arg.slice(comma + 1)).trim();
      const selector = comma < 0 ? "" : arg.slice(0, comma).trim();
      if (!LABEL_NAME_RE.test(label)) throw new VariableQueryError(`label_values: ${label ? `"${label}" is not a label name` : "a label name is required"}`);
      if (comma >= 0 && !selector) throw new VariableQueryError("label_values: the selector before the comma is empty");
      return selector ? { kind: "label_values", label, selector } : { kind: "label_values", label };
    }
    case "metrics":
      return { kind: "metrics", regex: arg };
    default:
      if (!arg) throw new VariableQueryError("query_result: an expression is required");
      return { kind: "query_result", expr: arg };
  }
}

/** Whether brackets and quotes of `s` are balanced (so `f(a) + g(b)` is not read as a call of `f`). */
function balanced(s: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "{" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === "]") {
      if (--depth < 0) return false;
    }
  }
  return depth === 0 && quote === null;
}

/** Index of the last comma outside brackets and quotes, or -1. */
function lastTopLevelComma(s: string): number {
  let depth = 0;
  let quote: string | null = null;
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "{" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === "]") depth--;
    else if (c === "," && depth === 0) last = i;
  }
  return last;
}

/** A `query_result` line: `name{a="1",b="2"} value timestampMs` (the metric name left out when absent). */
export function queryResultLine(labels: Record<string, string>, value: number, timestampMs: number): string {
  const pairs = Object.keys(labels)
    .filter((k) => k !== "__name__")
    .sort()
    .map((k) => `${k}=${quoteLabelValue(labels[k]!)}`);
  return `${labels.__name__ ?? ""}{${pairs.join(",")}} ${formatGoFloat(value)} ${timestampMs}`;
}

/**
 * A variable's regex: `/re/flags`, or a bare pattern matched against the whole value (as Grafana
 * reads one without slashes). Throws VariableQueryError when it does not compile.
 */
export function parseVariableRegex(text: string): RegExp {
  const s = text.trim();
  const m = /^\/([\s\S]*)\/([a-z]*)$/.exec(s);
  try {
    // A global or sticky flag would make `exec` stateful between options.
    return m ? new RegExp(m[1]!, m[2]!.replace(/[gy]/g, "")) : new RegExp(`^(?:${s})$`);
  } catch (err) {
    throw new VariableQueryError(`Invalid regex ${s}: ${(err as Error).message}`);
  }
}

/**
 * Options kept by the regex: a value must match; a named group `text` and/or `value` picks each,
 * else the first capture group picks both. Without a regex every value is kept. Duplicate values
 * are dropped (first one wins).
 */
export function filterOptions(values: readonly (string | VariableOption)[], regex?: string): VariableOption[] {
  const re = regex?.trim() ? parseVariableRegex(regex) : null;
  const out: VariableOption[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    let opt: VariableOption | null = typeof v === "string" ? { text: v, value: v } : v;
    if (re) {
      const m = re.exec(opt.value);
      if (!m) opt = null;
      else if (m.groups && (m.groups.text !== undefined || m.groups.value !== undefined)) {
        const value = m.groups.value ?? m.groups.text!;
        opt = { text: m.groups.text ?? value, value };
      } else if (m.length > 1 && m[1] !== undefined && m[1] !== "") opt = { text: m[1], value: m[1] };
    }
    if (!opt || seen.has(opt.value)) continue;
    seen.add(opt.value);
    out.push(opt);
  }
  return out;
}

/**
 * The first number in a text, NaN without one: `node-12` → 12 (a dash after a word is a separator),
 * `-1.5e3 ms` → -1500 (a sign at the start or after a space is a sign).
 */
function firstNumber(s: string): number {
  const m = /(\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(s);
  if (!m) return NaN;
  const n = Number(m[0]);
  const sign = s[m.index - 1];
  const before = m.index >= 2 ? s[m.index - 2]! : "";
  return sign === "-" && (before === "" || /\s/.test(before)) ? -n : n;
}

/** Sorts options: by text (code points) or by the first number in the text; texts without a number go last. */
export function sortOptions(options: readonly VariableOption[], sort: VariableSort): VariableOption[] {
  const out = [...options];
  switch (sort) {
    case "none":
      return out;
    case "alpha-asc":
      return out.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    case "alpha-desc":
      return out.sort((a, b) => (a.text < b.text ? 1 : a.text > b.text ? -1 : 0));
    case "num-asc":
    case "num-desc": {
      const dir = sort === "num-asc" ? 1 : -1;
      const keyed = out.map((o) => ({ o, n: firstNumber(o.text) }));
      keyed.sort((a, b) => {
        const an = Number.isNaN(a.n);
        const bn = Number.isNaN(b.n);
        if (an || bn) return an && bn ? 0 : an ? 1 : -1;
        return (a.n - b.n) * dir;
      });
      return keyed.map((k) => k.o);
    }
  }
}
