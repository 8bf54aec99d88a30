/**
 * The functions templates can call: Go's text/template builtins (`and`, `or` are evaluated lazily
 * by the evaluator), Prometheus's alerting-template functions (`humanize`, `humanize1024`,
 * `humanizeDuration`, `humanizePercentage`, `humanizeTimestamp`, `title`, `match`,
 * `reReplaceAll`, `graphLink`…), and Alertmanager's notification-template functions (`join`,
 * `trimSpace`, `stringSlice`, `date`, `tz`, `since`, `safeUrl`, `toJson`…).
 *
 * Outputs follow the Go implementations (e.g. `humanize 1234567` is "1.235M",
 * `humanizePercentage 0.1234` is "12.34%", `humanizeDuration 3661` is "1h 1m 1s"). Pure apart
 * from `now`/`since`, which read the clock given in the environment.
 */
import { EvalError } from "./errors";
import { formatFloat, goQuote, goString, goTypeName, sprint, sprintf, sprintln } from "./format";
import { goMatch, goReplaceAll } from "./regex";
import { GoDuration, GoTime, isKnownZone, KV, Pair, SafeHtml, SafeUrl } from "./values";

export type Dialect = "prometheus" | "alertmanager";

export interface FuncEnv {
  /** The clock, epoch milliseconds. */
  now: () => number;
  /** Lookout's external URL (for `externalURL`, `pathPrefix`, links). */
  externalURL: string;
  /** `title` lower-cases the rest of each word in Alertmanager, not in Prometheus. */
  dialect: Dialect;
}

export interface FuncDef {
  minArgs: number;
  /** Infinity for variadic. */
  maxArgs: number;
  fn: (args: unknown[], env: FuncEnv) => unknown;
}

function def(minArgs: number, maxArgs: number, fn: FuncDef["fn"]): FuncDef {
  return { minArgs, maxArgs, fn };
}

// ---------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------

/** Go's strconv.ParseFloat for decimal input (and Inf / NaN). */
function parseGoFloat(s: string): number {
  const t = s.replace(/_/g, "");
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) return Number(t);
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return Number(t.replace(/^([+-]?)/, "")) * (t.startsWith("-") ? -1 : 1);
  throw new EvalError(`strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`);
}

/** Prometheus's convertToFloat: numbers, numeric strings and durations. */
export function toFloat(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string") return parseGoFloat(v);
  if (v instanceof GoDuration) return v.Seconds();
  if (v instanceof SafeHtml) return parseGoFloat(v.value);
  throw new EvalError(`can't convert ${goTypeName(v)} to float`);
}

function toStr(v: unknown, fn: string): string {
  if (typeof v === "string") return v;
  if (v instanceof SafeHtml || v instanceof SafeUrl) return v.value;
  throw new EvalError(`${fn}: expected string; found ${goTypeName(v)}${v === undefined ? "" : ` (${goString(v)})`}`);
}

function toTime(v: unknown, fn: string): GoTime {
  if (v instanceof GoTime) return v;
  throw new EvalError(`${fn}: expected time.Time; found ${goTypeName(v)}`);
}

function toStringList(v: unknown, fn: string): string[] {
  if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? x : goString(x)));
  throw new EvalError(`${fn}: expected []string; found ${goTypeName(v)}`);
}

/** `%.4g`, as the humanize functions print. */
const g4 = (v: number) => formatFloat(v, "g", 4);

// ---------------------------------------------------------------------------------------------
// Prometheus humanizers
// ---------------------------------------------------------------------------------------------

export function humanize(input: unknown): string {
  let v = toFloat(input);
  if (v === 0 || !Number.isFinite(v)) return g4(v);
  if (Math.abs(v) >= 1) {
    let prefix = "";
    for (const p of ["k", "M", "G", "T", "P", "E", "Z", "Y"]) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return g4(v) + prefix;
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return g4(v) + prefix;
}

export function humanize1024(input: unknown): string {
  let v = toFloat(input);
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return g4(v);
  let prefix = "";
  for (const p of ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return g4(v) + prefix;
}

export function humanizeDuration(input: unknown): string {
  let v = toFloat(input);
  if (!Number.isFinite(v)) return g4(v);
  if (v === 0) return g4(v) + "s";
  if (Math.abs(v) >= 1) {
    let sign = "";
    if (v < 0) {
      sign = "-";
      v = -v;
    }
    const duration = Math.trunc(v);
    const seconds = duration % 60;
    const minutes = Math.floor(duration / 60) % 60;
    const hours = Math.floor(duration / 3600) % 24;
    const days = Math.floor(duration / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${g4(v)}s`;
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${g4(v)}${prefix}s`;
}

export function humanizePercentage(input: unknown): string {
  return g4(toFloat(input) * 100) + "%";
}

/** Seconds since the epoch as a time (millisecond precision, as Prometheus's model.Time). */
function floatToTime(v: number): GoTime {
  const ns = v * 1e9;
  if (ns > 9.223372036854776e18 || ns < -9.223372036854776e18) {
    throw new EvalError(`${formatFloat(v, "g", -1)} cannot be represented as a nanoseconds timestamp since it overflows int64`);
  }
  // As Go: int64 nanoseconds, then integer division to milliseconds (model.Time).
  return new GoTime(Number(BigInt(Math.trunc(ns)) / 1_000_000n));
}

export function humanizeTimestamp(input: unknown): string {
  if (input instanceof GoTime) return input.UTC().String();
  const v = toFloat(input);
  if (!Number.isFinite(v)) return g4(v);
  return floatToTime(v).String();
}

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

/** Title case: the first letter of each word upper-cased (Alertmanager also lower-cases the rest). */
export function titleCase(s: string, lowerRest: boolean): string {
  let out = "";
  let inWord = false;
  for (const ch of s) {
    const isWordChar = /[\p{L}\p{N}\p{M}'’_]/u.test(ch);
    if (!isWordChar) {
      inWord = false;
      out += ch;
      continue;
    }
    if (!inWord) {
      out += ch.toUpperCase();
      inWord = true;
    } else {
      out += lowerRest ? ch.toLowerCase() : ch;
    }
  }
  return out;
}

/** net.SplitHostPort, or null when `s` is not host:port. */
function splitHostPort(s: string): { host: string; port: string } | null {
  if (s.startsWith("[")) {
    const m = /^\[([^\]]*)\]:([^:]*)$/.exec(s);
    return m ? { host: m[1]!, port: m[2]! } : null;
  }
  const idx = s.lastIndexOf(":");
  if (idx < 0) return null;
  const host = s.slice(0, idx);
  if (host.includes(":")) return null; // too many colons
  return { host, port: s.slice(idx + 1) };
}

function isIP(s: string): boolean {
  return /^(\d{1,3}\.){3}\d{1,3}$/.test(s) || (s.includes(":") && /^[0-9a-fA-F:.]+$/.test(s));
}

export function stripPort(hostPort: string): string {
  const hp = splitHostPort(hostPort);
  return hp ? hp.host : hostPort;
}

export function stripDomain(hostPort: string): string {
  const hp = splitHostPort(hostPort);
  const host = hp ? hp.host : hostPort;
  if (isIP(host)) return hostPort;
  const short = host.split(".")[0]!;
  if (hp && hp.port !== "") return short.includes(":") ? `[${short}]:${hp.port}` : `${short}:${hp.port}`;
  return short;
}

/** Prometheus durations (`1h30m`, `5m`, `1.5`) to seconds. */
export function parsePromDuration(s: string): number {
  if (/^[0-9]+(\.[0-9]+)?$/.test(s)) return Number(s);
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(s);
  if (!m || s === "") throw new EvalError(`not a valid duration string: ${goQuote(s)}`);
  const [, y, w, d, h, mi, sec, ms] = m.map((x) => Number(x ?? 0));
  return y! * 365 * 86400 + w! * 7 * 86400 + d! * 86400 + h! * 3600 + mi! * 60 + sec! + ms! / 1000;
}

/** Go's html.EscapeString as text/template's `html` does it. */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>"'\0]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "\0": "\uFFFD" })[c]!);
}

/** text/template's `js`. */
function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === "<") out += "\\u003C";
    else if (ch === ">") out += "\\u003E";
    else if (ch === "&") out += "\\u0026";
    else if (ch === "=") out += "\\u003D";
    else if (c < 0x20) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** Go's json.Marshal of template values (HTML characters escaped as Go does). */
export function toJsonValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new EvalError(`json: unsupported value: ${formatFloat(v, "g", -1)}`);
    return v;
  }
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof SafeHtml || v instanceof SafeUrl) return v.value;
  if (v instanceof GoTime) return v.toJSON();
  if (v instanceof GoDuration) return Number(v.nanoseconds);
  if (v instanceof KV) return Object.fromEntries([...v.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (v instanceof Pair) return { Name: v.Name, Value: v.Value };
  if (Array.isArray(v)) return v.map(toJsonValue);
  const withJson = v as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") return toJsonValue(withJson.toJSON());
  if (typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, toJsonValue(x)]),
    );
  }
  throw new EvalError(`json: unsupported type: ${goTypeName(v)}`);
}

export function goJson(v: unknown): string {
  return JSON.stringify(toJsonValue(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// ---------------------------------------------------------------------------------------------
// Comparisons (eq, lt, …)
// ---------------------------------------------------------------------------------------------

type Basic = { kind: "number"; v: number } | { kind: "bigint"; v: bigint } | { kind: "string"; v: string } | { kind: "bool"; v: boolean } | { kind: "nil" } | { kind: "time"; v: number };

function basic(v: unknown, fn: string): Basic {
  if (v === undefined || v === null) return { kind: "nil" };
  if (typeof v === "number") return { kind: "number", v };
  if (typeof v === "bigint") return { kind: "bigint", v };
  if (typeof v === "string") return { kind: "string", v };
  if (typeof v === "boolean") return { kind: "bool", v };
  if (v instanceof SafeHtml || v instanceof SafeUrl) return { kind: "string", v: v.value };
  if (v instanceof GoTime) return { kind: "time", v: v.ms };
  if (v instanceof GoDuration) return { kind: "bigint", v: v.nanoseconds };
  throw new EvalError(`${fn}: invalid type for comparison (${goTypeName(v)})`);
}

function numeric(b: Basic): number | null {
  if (b.kind === "number") return b.v;
  if (b.kind === "bigint") return Number(b.v);
  return null;
}

/** Go's eq on two basic values; integers and floats compare by value (Go would refuse the mix). */
function equal(a: Basic, b: Basic): boolean {
  if (a.kind === "nil" || b.kind === "nil") return a.kind === b.kind;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null && nb !== null) return a.kind === "bigint" && b.kind === "bigint" ? a.v === b.v : na === nb;
  if (a.kind !== b.kind) throw new EvalError("incompatible types for comparison");
  return (a as { v: unknown }).v === (b as { v: unknown }).v;
}

function less(a: Basic, b: Basic, fn: string): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null && nb !== null) return a.kind === "bigint" && b.kind === "bigint" ? a.v < b.v : na < nb;
  if (a.kind !== b.kind) throw new EvalError(`${fn}: incompatible types for comparison`);
  if (a.kind === "string" || a.kind === "time") return a.v < (b as typeof a).v;
  throw new EvalError(`${fn}: invalid type for comparison`);
}

// ---------------------------------------------------------------------------------------------
// index, slice, len (strings are UTF-8 bytes, as in Go)
// ---------------------------------------------------------------------------------------------

const utf8 = new TextEncoder();
const utf8Length = (s: string) => utf8.encode(s).length;

function lengthOf(v: unknown): bigint {
  if (typeof v === "string") return BigInt(utf8Length(v));
  if (v instanceof SafeHtml || v instanceof SafeUrl) return BigInt(utf8Length(v.value));
  if (Array.isArray(v)) return BigInt(v.length);
  if (v instanceof KV) return BigInt(v.size);
  if (v instanceof Map) return BigInt(v.size);
  if (v && typeof v === "object" && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) return BigInt(Object.keys(v).length);
  throw new EvalError(`len of type ${goTypeName(v)}`);
}

function toIndex(v: unknown, fn: string): number {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new EvalError(`${fn}: cannot index slice/array with type ${goTypeName(v)}`);
}

function indexOne(item: unknown, key: unknown): unknown {
  if (item instanceof KV) return item.get(toStr(key, "index"));
  if (item instanceof Map) return item.get(key);
  if (Array.isArray(item) || typeof item === "string") {
    const i = toIndex(key, "index");
    const len = Array.isArray(item) ? item.length : utf8Length(item);
    if (i < 0 || i >= len) throw new EvalError(`index out of range: ${i}`);
    return Array.isArray(item) ? item[i] : BigInt(utf8.encode(item)[i]!);
  }
  if (item && typeof item === "object" && (Object.getPrototypeOf(item) === Object.prototype || Object.getPrototypeOf(item) === null)) {
    return (item as Record<string, unknown>)[toStr(key, "index")];
  }
  if (item === undefined || item === null) throw new EvalError("index of untyped nil");
  throw new EvalError(`can't index item of type ${goTypeName(item)}`);
}

function sliceOf(item: unknown, idx: unknown[]): unknown {
  const isStr = typeof item === "string";
  if (!isStr && !Array.isArray(item)) throw new EvalError(`can't slice item of type ${goTypeName(item)}`);
  if (idx.length > 2 && isStr) throw new EvalError("cannot 3-index slice a string");
  const len = isStr ? utf8Length(item) : (item as unknown[]).length;
  const [i = 0, j = len] = idx.map((x) => toIndex(x, "slice"));
  if (i < 0 || j < i || j > len) throw new EvalError(`index out of range: ${i}:${j}`);
  if (isStr) return new TextDecoder().decode(utf8.encode(item).subarray(i, j));
  return (item as unknown[]).slice(i, j);
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

function explorerLink(expr: string, tab: "graph" | "table"): string {
  const p = new URLSearchParams();
  p.set("g0.expr", expr);
  p.set("g0.tab", tab);
  return `/explore/metrics?${p.toString()}`;
}

export const FUNCTIONS: Record<string, FuncDef> = {
  // Go builtins (and / or are evaluated lazily by the evaluator; listed here for the parser).
  and: def(1, Infinity, (a) => a[a.length - 1]),
  or: def(1, Infinity, (a) => a[a.length - 1]),
  not: def(1, 1, () => {
    throw new EvalError("not is evaluated by the executor");
  }),
  len: def(1, 1, ([v]) => lengthOf(v)),
  index: def(1, Infinity, ([item, ...keys]) => keys.reduce((acc, k) => indexOne(acc, k), item)),
  slice: def(1, 4, ([item, ...idx]) => sliceOf(item, idx)),
  print: def(0, Infinity, (a) => sprint(a)),
  printf: def(1, Infinity, ([f, ...rest]) => sprintf(toStr(f, "printf"), rest)),
  println: def(0, Infinity, (a) => sprintln(a)),
  html: def(1, Infinity, (a) => htmlEscape(sprint(a))),
  js: def(1, Infinity, (a) => jsEscape(sprint(a))),
  urlquery: def(1, Infinity, (a) => queryEscape(sprint(a))),
  eq: def(2, Infinity, ([a, ...rest]) => {
    const x = basic(a, "eq");
    return rest.some((b) => equal(x, basic(b, "eq")));
  }),
  ne: def(2, 2, ([a, b]) => !equal(basic(a, "ne"), basic(b, "ne"))),
  lt: def(2, 2, ([a, b]) => less(basic(a, "lt"), basic(b, "lt"), "lt")),
  le: def(2, 2, ([a, b]) => {
    const x = basic(a, "le");
    const y = basic(b, "le");
    return less(x, y, "le") || equal(x, y);
  }),
  gt: def(2, 2, ([a, b]) => {
    const x = basic(a, "gt");
    const y = basic(b, "gt");
    return !less(x, y, "gt") && !equal(x, y);
  }),
  ge: def(2, 2, ([a, b]) => !less(basic(a, "ge"), basic(b, "ge"), "ge")),

  // Prometheus.
  humanize: def(1, 1, ([v]) => humanize(v)),
  humanize1024: def(1, 1, ([v]) => humanize1024(v)),
  humanizeDuration: def(1, 1, ([v]) => humanizeDuration(v)),
  humanizePercentage: def(1, 1, ([v]) => humanizePercentage(v)),
  humanizeTimestamp: def(1, 1, ([v]) => humanizeTimestamp(v)),
  toTime: def(1, 1, ([v]) => {
    const f = toFloat(v);
    if (!Number.isFinite(f)) throw new EvalError(`${formatFloat(f, "g", -1)} is not a valid timestamp`);
    return floatToTime(f);
  }),
  toDuration: def(1, 1, ([v]) => GoDuration.fromSeconds(toFloat(v))),
  parseDuration: def(1, 1, ([v]) => parsePromDuration(toStr(v, "parseDuration"))),
  title: def(1, 1, ([v], env) => titleCase(toStr(v, "title"), env.dialect === "alertmanager")),
  toUpper: def(1, 1, ([v]) => toStr(v, "toUpper").toUpperCase()),
  toLower: def(1, 1, ([v]) => toStr(v, "toLower").toLowerCase()),
  stripPort: def(1, 1, ([v]) => stripPort(toStr(v, "stripPort"))),
  stripDomain: def(1, 1, ([v]) => stripDomain(toStr(v, "stripDomain"))),
  match: def(2, 2, ([re, s]) => goMatch(toStr(re, "match"), toStr(s, "match"))),
  reReplaceAll: def(3, 3, ([re, repl, s]) => goReplaceAll(toStr(re, "reReplaceAll"), toStr(repl, "reReplaceAll"), toStr(s, "reReplaceAll"))),
  safeHtml: def(1, 1, ([v]) => new SafeHtml(toStr(v, "safeHtml"))),
  externalURL: def(0, 0, (_a, env) => env.externalURL),
  pathPrefix: def(0, 0, (_a, env) => {
    try {
      return new URL(env.externalURL).pathname.replace(/\/$/, "");
    } catch {
      return "";
    }
  }),
  graphLink: def(1, 1, ([expr]) => explorerLink(toStr(expr, "graphLink"), "graph")),
  tableLink: def(1, 1, ([expr]) => explorerLink(toStr(expr, "tableLink"), "table")),
  args: def(0, Infinity, (a) => Object.fromEntries(a.map((v, i) => [`arg${i}`, v]))),
  now: def(0, 0, (_a, env) => env.now() / 1000),

  // Alertmanager.
  trimSpace: def(1, 1, ([v]) => toStr(v, "trimSpace").trim()),
  join: def(2, 2, ([sep, list]) => toStringList(list, "join").join(toStr(sep, "join"))),
  safeUrl: def(1, 1, ([v]) => new SafeUrl(toStr(v, "safeUrl"))),
  urlUnescape: def(1, 1, ([v]) => {
    try {
      return decodeURIComponent(toStr(v, "urlUnescape").replace(/\+/g, " "));
    } catch {
      throw new EvalError(`invalid URL escape in ${goQuote(String(v))}`);
    }
  }),
  stringSlice: def(0, Infinity, (a) => a.map((x) => toStr(x, "stringSlice"))),
  date: def(2, 2, ([layout, t]) => toTime(t, "date").Format(toStr(layout, "date"))),
  tz: def(2, 2, ([name, t]) => {
    const zone = toStr(name, "tz");
    if (!isKnownZone(zone)) throw new EvalError(`unknown time zone ${zone}`);
    return toTime(t, "tz").In(zone === "Local" ? "UTC" : zone);
  }),
  since: def(1, 1, ([t], env) => new GoDuration(BigInt(env.now() - toTime(t, "since").ms) * 1_000_000n)),
  toJson: def(1, 1, ([v]) => goJson(v)),
};

/** Functions of Prometheus that need a query engine; named so errors can say why. */
export const UNSUPPORTED_FUNCTIONS: Record<string, string> = {
  query: "templates cannot run queries in Lookout; use the rule's $value and $labels",
  first: "it works on query results, and templates cannot run queries in Lookout",
  label: "it works on query results, and templates cannot run queries in Lookout",
  value: "it works on query results, and templates cannot run queries in Lookout",
  strvalue: "it works on query results, and templates cannot run queries in Lookout",
  sortByLabel: "it works on query results, and templates cannot run queries in Lookout",
  call: "templates have no function values to call",
};

export const FUNCTION_NAMES: ReadonlySet<string> = new Set(Object.keys(FUNCTIONS));
