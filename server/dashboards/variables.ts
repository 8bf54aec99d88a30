/**
 * Template variables: interpolation (`$name`, `${name}`, `${name:format}`, `[[name]]`), option
 * lists (custom, interval), dependencies between variables and the order to evaluate them in, the
 * current selection against fresh options, and the `var-name=value` URL form. Pure: used by the
 * dashboard page (components/dashboards/useDashboardVariables.ts) and anything on the server that
 * needs to interpolate a dashboard's queries.
 *
 * Behaviour follows Grafana's where users rely on it:
 * - A reference is `$` + a whole identifier (`$jobname` never means `$job` + "name"); a name that
 *   is not a variable (`$1` in label_replace, `$unknown`) is left as written.
 * - In PromQL, a variable that can hold several values (multi or with "All") is written as an
 *   escaped regex alternation `(a|b)`, meant for `label=~"$var"`; a plain variable is written as
 *   is. Inside a quoted PromQL string the result is also escaped for the string, so a `.` in a
 *   value arrives as `\\.` in the query text (a regex `\.` once unquoted) and quotes cannot end
 *   the string early. "All" with a custom all value (`.*`) writes that value verbatim.
 * - In the log query language, a value is written with backslash escapes (valid inside and
 *   outside quotes) and several as `(a OR b)`, meant for `field:$var`. Escaped words, not quoted
 *   phrases: on an attribute `field:"x y"` matches words while `field:x\ y` matches the whole
 *   value, which is what a selected value means.
 * - In text (titles, legends) values are the options' texts joined with ", "; All is "All".
 */
import { autoStepMs, DEFAULT_MAX_DATA_POINTS, DEFAULT_MIN_INTERVAL_MS, formatDuration, parseDuration, PROMETHEUS_MAX_POINTS, roundUpInterval } from "@/components/metrics/step";
import { ALL_VALUE, AUTO_INTERVAL_VALUE, type IntervalVariable, type QueryVariable, type Target, type Variable } from "./model";

/** One choice of a variable (what `panels.variableOptions` returns, and custom/interval lists). */
export interface VariableOption {
  text: string;
  value: string;
}

/** Grafana's spelling of the same, accepted when read (`$__auto_interval_<name>`). */
const GRAFANA_AUTO_PREFIX = "$__auto_interval_";

/** A variable's current value as interpolation sees it. */
export interface VariableValue {
  /** One value, or several (multi). `$__all` (or `isAll`) stands for All. */
  value: string | string[];
  /** Display text(s), parallel to `value`; defaults to the value(s). */
  text?: string | string[];
  /** Every option (All excluded): what All stands for without an `allValue`, and texts for scoped values. */
  options?: (string | VariableOption)[];
  /** What All is written as (verbatim), e.g. `.*`. */
  allValue?: string;
  isAll?: boolean;
  /** Multi-value or with "All": PromQL writes even one value as a regex. */
  multi?: boolean;
  includeAll?: boolean;
}

export type VariableValues = ReadonlyMap<string, VariableValue> | Readonly<Record<string, VariableValue>>;

/** Where the text goes: decides the default format of a plain `$var`. */
export type InterpolationContext = "promql" | "logs" | "text" | "regex";

export interface InterpolateOptions {
  format?: InterpolationContext;
  /** Values fixed for one panel (repeats): name → one value. Win over everything else. */
  scoped?: Readonly<Record<string, string>>;
  /** Built-in variables, names without `$` (`__interval` → `30s`); see builtinVariables. */
  builtins?: Readonly<Record<string, string>>;
}

/** Formats accepted in `${name:format}` (Grafana's names). */
export const VARIABLE_FORMATS = [
  "regex",
  "pipe",
  "csv",
  "json",
  "glob",
  "raw",
  "text",
  "doublequote",
  "singlequote",
  "sqlstring",
  "queryparam",
  "lucene",
  "percentencode",
  "date",
] as const;
export type VariableFormat = (typeof VARIABLE_FORMATS)[number];

// ---------------------------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------------------------

/** RE2 / JavaScript regex metacharacters escaped with one backslash. */
export function regexEscape(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** Escapes for a quoted PromQL string (`"…"` or `'…'`); backtick strings take no escapes. */
function promqlStringEscape(s: string, quote: string): string {
  if (quote === "`") return s;
  const q = quote === "'" ? /[\\']/g : /[\\"]/g;
  return s.replace(q, "\\$&");
}

/** Lucene special characters (Grafana's `lucene` format). */
function luceneEscape(s: string): string {
  return s.replace(/[+\-&|!(){}[\]^"~*?:\\/ ]/g, "\\$&");
}

/**
 * One value for the log query language: every character that could end or change a value is
 * backslash-escaped (the grammar reads `\x` as a literal x both in bare values and in quotes);
 * a leading keyword (`OR`) is escaped too. Empty is `""`.
 */
export function logsEscape(s: string): string {
  if (s === "") return '""';
  const out = s.replace(/[\s()[\]{}"\\:*?<>=!+\-&|]/g, "\\$&");
  return /^(and|or|not)$/i.test(out) ? `\\${out}` : out;
}


// ---------------------------------------------------------------------------------------------
// Interpolation
// ---------------------------------------------------------------------------------------------

/** `$name`, `${name}`, `${name:format}`, `[[name]]`, `[[name:format]]`. */
const REFERENCE = /\$([A-Za-z_]\w*)|\$\{([A-Za-z_]\w*)(?::([^}]*))?\}|\[\[([A-Za-z_]\w*)(?::([^\]]*))?\]\]/g;

function lookup(values: VariableValues, name: string): VariableValue | undefined {
  if (values instanceof Map) return values.get(name);
  return Object.prototype.hasOwnProperty.call(values, name) ? (values as Record<string, VariableValue>)[name] : undefined;
}

const asArray = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
const optionValue = (o: string | VariableOption) => (typeof o === "string" ? o : o.value);
const optionText = (o: string | VariableOption) => (typeof o === "string" ? o : o.text);

interface Resolved {
  name: string;
  all: boolean;
  /** The values to write (All expanded to every option). */
  values: string[];
  texts: string[];
  /** Several values possible: multi, includeAll, or more than one value now. */
  multiple: boolean;
  /** Was the value an array (even of one)? Grafana's formats tell `"a"` from `["a"]`. */
  array: boolean;
  allValue?: string;
}

function resolveValue(name: string, v: VariableValue): Resolved {
  const raw = asArray(v.value);
  const all = v.isAll === true || raw.includes(ALL_VALUE);
  const options = v.options ?? [];
  if (all) {
    return {
      name,
      all,
      values: options.map(optionValue),
      texts: ["All"],
      multiple: true,
      array: true,
      allValue: v.allValue,
    };
  }
  const texts = v.text !== undefined && asArray(v.text).length === raw.length ? asArray(v.text) : raw.map((x) => optionText(options.find((o) => optionValue(o) === x) ?? x));
  return { name, all, values: raw, texts, multiple: v.multi === true || v.includeAll === true || raw.length > 1, array: Array.isArray(v.value), allValue: v.allValue };
}

function regexAlternation(values: string[]): string {
  const escaped = values.map(regexEscape);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join("|")})`;
}

function formatDate(value: string, arg: string | undefined): string {
  const ms = Number(value);
  if (!Number.isFinite(ms)) return value;
  if (arg === "seconds") return String(Math.floor(ms / 1000));
  if (arg === "ms") return String(ms);
  return new Date(ms).toISOString();
}

/** An explicit `${name:format}`; null when the format is unknown (the reference stays as written). */
function applyFormat(r: Resolved, format: string, arg: string | undefined): string | null {
  if (!(VARIABLE_FORMATS as readonly string[]).includes(format)) return null;
  if (r.all && r.allValue !== undefined && format !== "text" && format !== "queryparam") return r.allValue;
  const vals = r.values;
  switch (format as VariableFormat) {
    case "text":
      return r.texts.join(" + ");
    case "raw":
      return vals.join(",");
    case "regex":
      return r.array ? (vals.length === 1 ? regexEscape(vals[0]!) : `(${vals.map(regexEscape).join("|")})`) : regexEscape(vals[0] ?? "");
    case "pipe":
      return vals.join("|");
    case "csv":
      return vals.join(",");
    case "json":
      return JSON.stringify(r.array ? vals : (vals[0] ?? ""));
    case "glob":
      return vals.length > 1 ? `{${vals.join(",")}}` : (vals[0] ?? "");
    case "doublequote":
      return vals.map((x) => `"${x.replace(/"/g, '\\"')}"`).join(",");
    case "singlequote":
      return vals.map((x) => `'${x.replace(/'/g, "\\'")}'`).join(",");
    case "sqlstring":
      return vals.map((x) => `'${x.replace(/'/g, "''")}'`).join(",");
    case "queryparam": {
      const p = new URLSearchParams();
      for (const x of r.all ? [ALL_VALUE] : vals) p.append(`var-${r.name}`, x);
      return p.toString();
    }
    case "lucene":
      return r.array ? `(${vals.map((x) => `"${luceneEscape(x)}"`).join(" OR ")})` : luceneEscape(vals[0] ?? "");
    case "percentencode":
      return encodeURIComponent(vals.length > 1 ? `{${vals.join(",")}}` : (vals[0] ?? ""));
    case "date":
      return vals.map((x) => formatDate(x, arg)).join(",");
  }
}

/** A plain `$var` in its context. */
function applyContext(r: Resolved, context: InterpolationContext): string {
  if (context === "text") return r.all ? "All" : r.texts.join(", ");
  if (r.all && r.allValue !== undefined) return r.allValue;
  const vals = r.values;
  switch (context) {
    case "promql":
      if (!r.multiple) return vals[0] ?? "";
      return vals.length === 0 ? "" : regexAlternation(vals);
    case "regex":
      return vals.length === 0 ? "" : regexAlternation(vals);
    case "logs":
      if (!r.multiple || (vals.length === 1 && !r.all)) return logsEscape(vals[0] ?? "");
      return vals.length === 0 ? '""' : `(${vals.map(logsEscape).join(" OR ")})`;
  }
}

/**
 * Tracks whether a position of a PromQL text is inside a string literal (and which quote), so a
 * value can be escaped for it. Comments (`# …`) are skipped.
 */
class PromqlQuoteScanner {
  private pos = 0;
  private quote: string | null = null;
  private comment = false;
  constructor(private readonly text: string) {}
  /** Advance over text[pos, to) and return the quote open at `to` (null outside strings and in comments). */
  advance(to: number): string | null {
    const t = this.text;
    for (let i = this.pos; i < to; i++) {
      const c = t[i]!;
      if (this.comment) {
        if (c === "\n") this.comment = false;
      } else if (this.quote) {
        if (c === "\\" && this.quote !== "`") i++;
        else if (c === this.quote) this.quote = null;
      } else if (c === '"' || c === "'" || c === "`") this.quote = c;
      else if (c === "#") this.comment = true;
    }
    this.pos = to;
    return this.quote;
  }
  skip(to: number) {
    this.pos = to;
  }
}

/**
 * Replaces variable references in `text`. Unknown variables and unknown formats are left as
 * written. Scoped values win over built-ins, which win over dashboard variables.
 */
export function interpolate(text: string, values: VariableValues, opts: InterpolateOptions = {}): string {
  if (!text.includes("$") && !text.includes("[[")) return text;
  const context = opts.format ?? "text";
  const scanner = context === "promql" ? new PromqlQuoteScanner(text) : null;
  let out = "";
  let last = 0;
  const re = new RegExp(REFERENCE.source, "g");
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[1] ?? m[2] ?? m[4]!;
    const formatSpec = m[3] ?? m[5];
    const value = valueOf(name, values, opts);
    if (!value) continue;
    const r = resolveValue(name, value);
    let replacement: string | null;
    let raw: boolean;
    if (formatSpec !== undefined && formatSpec !== "") {
      const colon = formatSpec.indexOf(":");
      const format = colon < 0 ? formatSpec : formatSpec.slice(0, colon);
      const arg = colon < 0 ? undefined : formatSpec.slice(colon + 1);
      replacement = applyFormat(r, format, arg);
      raw = format === "raw" || (r.all && r.allValue !== undefined);
    } else {
      replacement = applyContext(r, context);
      raw = r.all && r.allValue !== undefined;
    }
    if (replacement === null) continue;
    const quote = scanner ? scanner.advance(m.index) : null;
    scanner?.skip(m.index + m[0].length);
    if (quote && !raw) replacement = promqlStringEscape(replacement, quote);
    out += text.slice(last, m.index) + replacement;
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

function valueOf(name: string, values: VariableValues, opts: InterpolateOptions): VariableValue | undefined {
  const variable = lookup(values, name);
  const scoped = opts.scoped && Object.prototype.hasOwnProperty.call(opts.scoped, name) ? opts.scoped[name] : undefined;
  if (scoped !== undefined) {
    // A repeat's value keeps its variable's flags (a multi variable is still written as a regex).
    const option = variable?.options?.find((o) => optionValue(o) === scoped);
    return { ...variable, value: scoped, text: option ? optionText(option) : scoped, isAll: false };
  }
  const builtin = opts.builtins && Object.prototype.hasOwnProperty.call(opts.builtins, name) ? opts.builtins[name] : undefined;
  if (builtin !== undefined) return { value: builtin };
  return variable;
}

/** Names of variables referenced in `text` (built-ins included, each once, in order of appearance). */
export function referencedNames(text: string): string[] {
  const out: string[] = [];
  const re = new RegExp(REFERENCE.source, "g");
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[1] ?? m[2] ?? m[4]!;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Built-in variables
// ---------------------------------------------------------------------------------------------

/** Prometheus's usual scrape interval; `$__rate_interval` is at least four of them. */
export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;

/**
 * `$__interval`, `$__interval_ms`, `$__rate_interval` (given an interval), `$__range`,
 * `$__range_s`, `$__range_ms`, `$__from`, `$__to` (given a range; epoch ms, `${__from:date}` for
 * ISO), `$__dashboard` (given a title).
 */
export function builtinVariables(input: { range?: { start: number; end: number } | null; intervalMs?: number; scrapeIntervalMs?: number; dashboard?: string }): Record<string, string> {
  const out: Record<string, string> = {};
  if (input.intervalMs !== undefined && input.intervalMs > 0) {
    const scrape = input.scrapeIntervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS;
    out.__interval = formatDuration(input.intervalMs);
    out.__interval_ms = String(Math.round(input.intervalMs));
    out.__rate_interval = formatDuration(Math.max(input.intervalMs + scrape, 4 * scrape));
  }
  if (input.range) {
    const ms = Math.max(0, Math.round(input.range.end - input.range.start));
    const s = Math.round(ms / 1000);
    out.__range = `${s}s`;
    out.__range_s = String(s);
    out.__range_ms = String(ms);
    out.__from = String(Math.round(input.range.start));
    out.__to = String(Math.round(input.range.end));
  }
  if (input.dashboard !== undefined) out.__dashboard = input.dashboard;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Options of custom and interval variables
// ---------------------------------------------------------------------------------------------

/**
 * A custom variable's list: comma-separated, `\,` for a comma inside an option, `text : value`
 * (spaces around the colon) for a text that differs from the value. Blank items are skipped and
 * a repeated value is listed once.
 */
export function parseCustomOptions(query: string): VariableOption[] {
  const items: string[] = [];
  let cur = "";
  for (let i = 0; i < query.length; i++) {
    const c = query[i]!;
    if (c === "\\" && query[i + 1] === ",") {
      cur += ",";
      i++;
    } else if (c === ",") {
      items.push(cur);
      cur = "";
    } else cur += c;
  }
  items.push(cur);
  const out: VariableOption[] = [];
  for (const item of items) {
    const m = /^(.+?)\s+:\s+(.+)$/s.exec(item.trim());
    const option = m ? { text: m[1]!.trim(), value: m[2]!.trim() } : { text: item.trim(), value: item.trim() };
    if (option.value === "" || out.some((o) => o.value === option.value)) continue;
    out.push(option);
  }
  return out;
}

/** "auto" of an interval variable: range / autoCount rounded up to a nice interval, never below autoMin. */
export function autoInterval(variable: Pick<IntervalVariable, "autoCount" | "autoMin">, rangeMs: number): string {
  const min = parseDuration(variable.autoMin) ?? 0;
  return formatDuration(Math.max(min, roundUpInterval(Math.max(1, rangeMs) / Math.max(1, variable.autoCount))));
}

/**
 * An interval variable's options (durations that parse, in the given order; "auto" first when
 * enabled, stored as AUTO_INTERVAL_VALUE) and what auto stands for over this range.
 */
export function intervalOptions(variable: Pick<IntervalVariable, "query" | "auto" | "autoCount" | "autoMin">, rangeMs: number): { options: VariableOption[]; auto: string | null } {
  const options: VariableOption[] = [];
  for (const part of variable.query.split(",")) {
    const d = part.trim();
    if (d && parseDuration(d) !== null && !options.some((o) => o.value === d)) options.push({ text: d, value: d });
  }
  if (!variable.auto) return { options, auto: null };
  return { options: [{ text: "auto", value: AUTO_INTERVAL_VALUE }, ...options], auto: autoInterval(variable, rangeMs) };
}

// ---------------------------------------------------------------------------------------------
// Dependencies and evaluation order
// ---------------------------------------------------------------------------------------------

/** The texts of a variable that may refer to other variables. */
function dependentTexts(v: Variable): string[] {
  if (v.type === "query") return [v.query, v.regex ?? "", v.logQuery ?? ""];
  return [];
}

/** For each variable, the other dashboard variables its query / regex / log query mention (itself included when it does). */
export function variableDependencies(variables: readonly Variable[]): Record<string, string[]> {
  const names = new Set(variables.map((v) => v.name));
  const out: Record<string, string[]> = {};
  for (const v of variables) {
    const deps: string[] = [];
    for (const t of dependentTexts(v)) for (const n of referencedNames(t)) if (names.has(n) && !deps.includes(n)) deps.push(n);
    out[v.name] = deps;
  }
  return out;
}

export interface EvaluationOrder {
  /** Names in the order to evaluate them (parents before children; otherwise document order). */
  order: string[];
  /** Variables that cannot be evaluated (circular references, or depending on one): name → message. */
  errors: Record<string, string>;
}

/** Topological order of the variables; cycles reported per variable. */
export function evaluationOrder(variables: readonly Variable[]): EvaluationOrder {
  const deps = variableDependencies(variables);
  const order: string[] = [];
  const placed = new Set<string>();
  let pending = variables.map((v) => v.name);
  for (;;) {
    const next = pending.find((n) => deps[n]!.every((d) => placed.has(d)));
    if (next === undefined) break;
    order.push(next);
    placed.add(next);
    pending = pending.filter((n) => n !== next);
  }
  const errors: Record<string, string> = {};
  const cycleOf = (start: string): string[] | null => {
    // Shortest path start → … → start through unplaced variables (BFS).
    const prev = new Map<string, string>();
    const queue = [start];
    const seen = new Set<string>();
    while (queue.length) {
      const n = queue.shift()!;
      for (const d of deps[n] ?? []) {
        if (placed.has(d)) continue;
        if (d === start) {
          const path = [start];
          for (let c: string | undefined = n; c !== undefined && c !== start; c = prev.get(c)) path.unshift(c);
          path.unshift(start);
          return path;
        }
        if (seen.has(d)) continue;
        seen.add(d);
        prev.set(d, n);
        queue.push(d);
      }
    }
    return null;
  };
  for (const n of pending) {
    const cycle = cycleOf(n);
    if (cycle) errors[n] = `Circular reference: ${cycle.map((c) => `$${c}`).join(" → ")}`;
  }
  for (const n of pending) {
    if (errors[n]) continue;
    const blocked = deps[n]!.filter((d) => !placed.has(d));
    errors[n] = `Depends on ${blocked.map((d) => `$${d}`).join(", ")}, which cannot be evaluated`;
  }
  return { order, errors };
}

// ---------------------------------------------------------------------------------------------
// Current selection
// ---------------------------------------------------------------------------------------------

/**
 * The selection to use given fresh options (All excluded from `options`): the URL's values, else
 * the saved current value, kept when still valid (matched by value, then by text); a multi
 * variable keeps the valid subset; otherwise All (when included) or the first option. Returns
 * values (`$__all` for All); empty when there is nothing to choose from.
 * Text boxes keep any value; constants are their query.
 */
export function resolveCurrent(variable: Variable, options: readonly VariableOption[], urlValues?: readonly string[]): string[] {
  const saved = variable.current ? asArray(variable.current.value) : [];
  const wanted = urlValues && urlValues.length > 0 ? [...urlValues] : saved;
  if (variable.type === "constant") return [variable.query];
  if (variable.type === "textbox") return [wanted[0] ?? variable.query];
  const multi = variable.type !== "interval" && variable.multi;
  const includeAll = variable.type !== "interval" && variable.includeAll;
  if (includeAll && wanted.includes(ALL_VALUE)) return [ALL_VALUE];
  const valid: string[] = [];
  for (const w of wanted) {
    const want = variable.type === "interval" && w.startsWith(GRAFANA_AUTO_PREFIX) ? AUTO_INTERVAL_VALUE : w;
    const hit = options.find((o) => o.value === want) ?? options.find((o) => o.text === want);
    if (hit && !valid.includes(hit.value)) valid.push(hit.value);
  }
  if (valid.length > 0) return multi ? valid : [valid[0]!];
  if (includeAll) return [ALL_VALUE];
  return options.length > 0 ? [options[0]!.value] : [];
}

// ---------------------------------------------------------------------------------------------
// URL
// ---------------------------------------------------------------------------------------------

const URL_PREFIX = "var-";

/**
 * Writes selections as Grafana does (`var-job=a&var-job=b`, `var-job=$__all`) into `into` (a
 * copy when not given), replacing earlier values of those variables. An empty selection is
 * written as one empty value, so it is told apart from "not in the URL".
 */
export function variablesToUrl(values: Readonly<Record<string, readonly string[]>>, into?: URLSearchParams): URLSearchParams {
  const p = into ?? new URLSearchParams();
  for (const [name, vals] of Object.entries(values)) {
    p.delete(URL_PREFIX + name);
    if (vals.length === 0) p.append(URL_PREFIX + name, "");
    for (const v of vals) p.append(URL_PREFIX + name, v);
  }
  return p;
}

/** The `var-*` parameters: name → values in URL order. */
export function variablesFromUrl(search: { forEach(cb: (value: string, key: string) => void): void } | string): Record<string, string[]> {
  const p = typeof search === "string" ? new URLSearchParams(search) : search;
  const out: Record<string, string[]> = {};
  p.forEach((value, key) => {
    if (!key.startsWith(URL_PREFIX) || key.length === URL_PREFIX.length) return;
    (out[key.slice(URL_PREFIX.length)] ??= []).push(value);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Resolving every variable of a dashboard
// ---------------------------------------------------------------------------------------------

/** What `panels.variableOptions` takes: a query variable's query, interpolated, over a range. */
export interface VariableOptionsInput {
  datasource: QueryVariable["datasource"];
  query: string;
  logQuery?: string;
  regex?: string;
  sort: QueryVariable["sort"];
  start: number;
  end: number;
}

/** What the caller knows of a query variable's options for an input (fetched, pending, failed). */
export interface FetchedOptions {
  options?: VariableOption[];
  loading: boolean;
  error?: string;
}

/** One variable after resolution. */
export interface VariableState {
  variable: Variable;
  /** Its options (All not included). */
  options: VariableOption[];
  /** Selected values (`$__all` for All); unchecked against options while they load. */
  selected: string[];
  loading: boolean;
  error?: string;
  /** Query variables: what to fetch (absent while a parent loads, or without a range). */
  input?: VariableOptionsInput;
  /** Interval variables with auto: what auto stands for. */
  auto?: string | null;
}

export interface ResolveContext {
  /** `var-*` values from the URL (variablesFromUrl). */
  urlValues: Readonly<Record<string, readonly string[]>>;
  /** The current range (refresh "time", interval auto). */
  range: { start: number; end: number } | null;
  /** The range when the dashboard loaded (refresh "load"); the current one when absent. */
  loadRange?: { start: number; end: number } | null;
  dashboard?: string;
  /** Options known for a query variable's input. */
  fetched: (input: VariableOptionsInput) => FetchedOptions;
}

/** Variable queries look at whole minutes, so a refresh a few seconds later asks the same thing. */
const OPTIONS_RANGE_ALIGN_MS = 60_000;

/** A query variable's fetch input, its texts interpolated with the values resolved so far. */
export function queryVariableInput(variable: QueryVariable, values: VariableValues, range: { start: number; end: number }, dashboard?: string): VariableOptionsInput {
  const start = Math.floor(range.start / OPTIONS_RANGE_ALIGN_MS) * OPTIONS_RANGE_ALIGN_MS;
  const end = Math.ceil(range.end / OPTIONS_RANGE_ALIGN_MS) * OPTIONS_RANGE_ALIGN_MS;
  const builtins = builtinVariables({ range: { start, end }, dashboard });
  const input: VariableOptionsInput = {
    datasource: variable.datasource,
    query: interpolate(variable.query, values, { format: variable.datasource === "promql" ? "promql" : "text", builtins }),
    sort: variable.sort,
    start,
    end,
  };
  if (variable.logQuery) input.logQuery = interpolate(variable.logQuery, values, { format: "logs", builtins });
  if (variable.regex) input.regex = interpolate(variable.regex, values, { format: "regex", builtins });
  return input;
}

/** How interpolation sees a resolved variable. */
export function stateValue(s: VariableState): VariableValue {
  const v = s.variable;
  const selectable = v.type === "query" || v.type === "custom";
  const multi = selectable && v.multi;
  let selected = s.selected;
  if (v.type === "interval" && s.auto) selected = selected.map((x) => (x === AUTO_INTERVAL_VALUE ? s.auto! : x));
  return {
    value: multi ? selected : (selected[0] ?? ""),
    options: s.options,
    isAll: selected.includes(ALL_VALUE),
    multi,
    includeAll: selectable && v.includeAll,
    allValue: selectable ? v.allValue : undefined,
  };
}

/**
 * Resolves every variable in dependency order: options (custom and interval parsed, query ones
 * from `fetched` for an input built with the parents' values), then the selection (URL, else
 * saved, checked against the options). A child waits (loading, no input) while a parent loads.
 * Returned in the dashboard's order.
 */
export function resolveVariables(variables: readonly Variable[], ctx: ResolveContext): VariableState[] {
  const { order, errors } = evaluationOrder(variables);
  const deps = variableDependencies(variables);
  const byName = new Map(variables.map((v) => [v.name, v]));
  const states = new Map<string, VariableState>();
  const values = new Map<string, VariableValue>();
  const wanted = (v: Variable) => {
    const url = ctx.urlValues[v.name];
    if (url && url.length > 0) return [...url];
    return v.current ? asArray(v.current.value) : [];
  };
  const rangeMs = ctx.range ? ctx.range.end - ctx.range.start : 0;

  for (const name of order) {
    const v = byName.get(name)!;
    const url = ctx.urlValues[name];
    let state: VariableState;
    switch (v.type) {
      case "custom": {
        const options = parseCustomOptions(v.query);
        state = { variable: v, options, selected: resolveCurrent(v, options, url), loading: false };
        break;
      }
      case "interval": {
        const { options, auto } = intervalOptions(v, rangeMs);
        state = { variable: v, options, selected: resolveCurrent(v, options, url), loading: false, auto };
        break;
      }
      case "textbox":
      case "constant":
        state = { variable: v, options: [], selected: resolveCurrent(v, [], url), loading: false };
        break;
      case "query": {
        const parentLoading = deps[name]!.some((d) => states.get(d)?.loading);
        const range = v.refresh === "time" ? ctx.range : (ctx.loadRange ?? ctx.range);
        if (parentLoading) {
          state = { variable: v, options: [], selected: wanted(v), loading: true };
          break;
        }
        if (!range) {
          state = { variable: v, options: [], selected: wanted(v), loading: false, error: "No valid time range" };
          break;
        }
        const input = queryVariableInput(v, values, range, ctx.dashboard);
        const got = ctx.fetched(input);
        if (got.options && !got.error) state = { variable: v, options: got.options, selected: resolveCurrent(v, got.options, url), loading: got.loading, input };
        else state = { variable: v, options: got.options ?? [], selected: wanted(v), loading: got.loading, error: got.error, input };
        break;
      }
    }
    states.set(name, state);
    values.set(name, stateValue(state));
  }
  for (const v of variables) {
    if (states.has(v.name)) continue;
    states.set(v.name, { variable: v, options: [], selected: wanted(v), loading: false, error: errors[v.name] });
  }
  return variables.map((v) => states.get(v.name)!);
}

/** Name → value for interpolation. */
export function variableValues(states: readonly VariableState[]): Map<string, VariableValue> {
  return new Map(states.map((s) => [s.variable.name, stateValue(s)]));
}

/** Name → values for repeats: All expanded to every option, interval auto to its duration. */
export function repeatValuesOf(states: readonly VariableState[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of states) {
    const v = stateValue(s);
    if (v.isAll) out[s.variable.name] = s.options.map((o) => o.value);
    else out[s.variable.name] = asArray(v.value).filter((x, i, a) => a.indexOf(x) === i);
  }
  return out;
}

/**
 * URL values that resolution replaced (gone from the options, or a second value of a single
 * variable): name → the resolved selection, to write back so the URL says what is shown. Only
 * for variables that are in the URL, settled (not loading, no error) and have a selection.
 */
export function urlCorrections(states: readonly VariableState[], urlValues: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of states) {
    const url = urlValues[s.variable.name];
    if (!url || url.length === 0 || s.loading || s.error || s.selected.length === 0 || s.variable.type === "constant") continue;
    if (url.length !== s.selected.length || url.some((x, i) => x !== s.selected[i])) out[s.variable.name] = [...s.selected];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Panels: interval and targets
// ---------------------------------------------------------------------------------------------

/**
 * A panel's `$__interval` (Grafana's): the range over max data points (the panel's, else its
 * width in pixels) rounded up to a nice interval, never below the panel's min interval (15 s when
 * unset) nor above Prometheus's 11,000 points.
 */
export function panelIntervalMs(panel: { interval?: string; maxDataPoints?: number }, rangeMs: number, widthPx: number): number {
  const min = (panel.interval ? parseDuration(panel.interval) : null) ?? DEFAULT_MIN_INTERVAL_MS;
  const points = panel.maxDataPoints ?? (widthPx > 0 ? Math.round(widthPx) : DEFAULT_MAX_DATA_POINTS);
  return autoStepMs(rangeMs, { minIntervalMs: min, maxDataPoints: Math.min(PROMETHEUS_MAX_POINTS, Math.max(1, points)) });
}

/**
 * A panel's targets ready to run: hidden ones dropped; PromQL expressions (PromQL format), legend
 * formats (text) and log queries (logs format) interpolated with the scoped (repeat) values and
 * the built-ins. A PromQL target's own min interval raises its `$__interval` and is its scrape
 * interval for `$__rate_interval`.
 */
export function interpolateTargets(
  targets: readonly Target[],
  values: VariableValues,
  opts: { scoped?: Readonly<Record<string, string>>; range: { start: number; end: number }; intervalMs: number; dashboard?: string },
): Target[] {
  const out: Target[] = [];
  for (const t of targets) {
    if (t.hide) continue;
    if (t.kind === "promql") {
      const own = t.interval ? parseDuration(t.interval) : null;
      const builtins = builtinVariables({ range: opts.range, intervalMs: Math.max(opts.intervalMs, own ?? 0), scrapeIntervalMs: own ?? undefined, dashboard: opts.dashboard });
      const expr = interpolate(t.expr, values, { format: "promql", scoped: opts.scoped, builtins });
      const legendFormat = t.legendFormat === undefined ? undefined : interpolate(t.legendFormat, values, { format: "text", scoped: opts.scoped, builtins });
      out.push(legendFormat === undefined ? { ...t, expr } : { ...t, expr, legendFormat });
    } else {
      const builtins = builtinVariables({ range: opts.range, intervalMs: opts.intervalMs, dashboard: opts.dashboard });
      out.push({ ...t, query: interpolate(t.query, values, { format: "logs", scoped: opts.scoped, builtins }) });
    }
  }
  return out;
}
