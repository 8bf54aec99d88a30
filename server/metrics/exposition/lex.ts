/**
 * Character-level helpers shared by both parsers: names, quoted strings, numbers. Hand-written
 * scanners (no regular expressions), so no input can make them backtrack.
 */

/** Thrown inside a line; the parser adds the line number and the format. */
export class LineError extends Error {}

const CH_0 = 48;
const CH_9 = 57;
const CH_UNDERSCORE = 95;
const CH_COLON = 58;

export function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isLabelNameStart(c: number): boolean {
  return isLetter(c) || c === CH_UNDERSCORE;
}

export function isLabelNameChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === CH_UNDERSCORE;
}

export function isMetricNameStart(c: number): boolean {
  return isLabelNameStart(c) || c === CH_COLON;
}

export function isMetricNameChar(c: number): boolean {
  return isLabelNameChar(c) || c === CH_COLON;
}

export function isValidMetricName(s: string): boolean {
  if (s.length === 0 || !isMetricNameStart(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) if (!isMetricNameChar(s.charCodeAt(i))) return false;
  return true;
}

export function isValidLabelName(s: string): boolean {
  if (s.length === 0 || !isLabelNameStart(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) if (!isLabelNameChar(s.charCodeAt(i))) return false;
  return true;
}

/** End index of the metric name starting at `i` (=== i when there is none). */
export function scanMetricName(s: string, i: number): number {
  if (i >= s.length || !isMetricNameStart(s.charCodeAt(i))) return i;
  let j = i + 1;
  while (j < s.length && isMetricNameChar(s.charCodeAt(j))) j++;
  return j;
}

/** End index of the label name starting at `i` (=== i when there is none). */
export function scanLabelName(s: string, i: number): number {
  if (i >= s.length || !isLabelNameStart(s.charCodeAt(i))) return i;
  let j = i + 1;
  while (j < s.length && isLabelNameChar(s.charCodeAt(j))) j++;
  return j;
}

export interface Quoted {
  value: string;
  /** Index just past the closing quote. */
  end: number;
}

/**
 * Reads a double-quoted string whose opening quote is at `start`. Escapes `\\`, `\"` and `\n`
 * are decoded; any other escape is an error when `strict` (Prometheus text 0.0.4), or kept
 * verbatim, backslash included (OpenMetrics, as client_python does). A line ending before the
 * closing quote means an unescaped new-line. `what` names the string in error messages.
 */
export function readQuoted(s: string, start: number, strict: boolean, what: string): Quoted {
  let i = start + 1;
  let out = "";
  let from = i;
  for (;;) {
    if (i >= s.length) {
      throw new LineError(`${what} "${out + s.slice(from)}" contains unescaped new-line`);
    }
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) {
      return { value: out + s.slice(from, i), end: i + 1 };
    }
    if (c === 92 /* \ */) {
      out += s.slice(from, i);
      const n = s.charCodeAt(i + 1);
      if (n === 92) out += "\\";
      else if (n === 34) out += '"';
      else if (n === 110 /* n */) out += "\n";
      else if (strict || i + 1 >= s.length) throw new LineError("invalid escape sequence");
      else out += "\\" + s[i + 1];
      i += 2;
      from = i;
      continue;
    }
    i++;
  }
}

/** HELP text: `\\`, `\"` and `\n` decoded; any other backslash is kept verbatim (both formats). */
export function unescapeHelp(s: string): string {
  if (s.indexOf("\\") < 0) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === "\\") out += "\\";
    else if (n === "n") out += "\n";
    else if (n === '"') out += '"';
    else out += "\\" + n;
    i++;
  }
  return out;
}

/**
 * True when `s[from, to)` is a plain decimal: `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?`.
 * Rejects hex, binary, octal, underscores and whitespace.
 */
export function isDecimal(s: string, from: number, to: number): boolean {
  let i = from;
  if (i < to && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
  let intDigits = 0;
  while (i < to && isDigit(s.charCodeAt(i))) {
    i++;
    intDigits++;
  }
  let fracDigits = 0;
  if (i < to && s.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < to && isDigit(s.charCodeAt(i))) {
      i++;
      fracDigits++;
    }
  }
  if (intDigits === 0 && fracDigits === 0) return false;
  if (i < to && (s.charCodeAt(i) === 101 || s.charCodeAt(i) === 69) /* e E */) {
    i++;
    if (i < to && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
    let expDigits = 0;
    while (i < to && isDigit(s.charCodeAt(i))) {
      i++;
      expDigits++;
    }
    if (expDigits === 0) return false;
  }
  return i === to;
}

function special(t: string, allowSignedNaN: boolean): number | undefined {
  let sign = 1;
  let body = t;
  const c = t.charCodeAt(0);
  if (c === 43 || c === 45) {
    sign = c === 45 ? -1 : 1;
    body = t.slice(1);
  }
  const lower = body.toLowerCase();
  if (lower === "inf" || lower === "infinity") return sign * Infinity;
  if (lower === "nan" && (allowSignedNaN || body.length === t.length)) return NaN;
  return undefined;
}

/**
 * A sample value. `prometheus` follows Go's strconv.ParseFloat as used by expfmt (decimal,
 * `Inf`/`Infinity` with optional sign, unsigned `NaN`, any case; overflow rejected);
 * `openmetrics` follows client_python (Python float(): signed NaN allowed, overflow → ±Inf).
 */
export function parseFloatToken(t: string, dialect: "prometheus" | "openmetrics"): number | undefined {
  if (t.length === 0) return undefined;
  if (isDecimal(t, 0, t.length)) {
    const v = Number(t);
    if (dialect === "prometheus" && !Number.isFinite(v)) return undefined;
    return v;
  }
  return special(t, dialect === "openmetrics");
}

/** A 0.0.4 timestamp: a signed 64-bit decimal integer of milliseconds. */
export function parseIntegerMs(t: string): number | undefined {
  let i = 0;
  if (t.length > 0 && (t.charCodeAt(0) === 43 || t.charCodeAt(0) === 45)) i = 1;
  if (i >= t.length) return undefined;
  for (let j = i; j < t.length; j++) if (!isDigit(t.charCodeAt(j))) return undefined;
  const v = Number(t);
  // int64 range (as a double, so approximate at the very edge; enough for a validity check).
  if (v >= 2 ** 63 || v < -(2 ** 63)) return undefined;
  return v;
}

/**
 * An OpenMetrics timestamp (decimal seconds, no NaN/Inf) converted to epoch milliseconds.
 * Without an exponent the fraction is truncated to nanoseconds, like client_python; the decimal
 * point is shifted textually, so `1.1` gives exactly 1100.
 */
export function parseSecondsToMs(t: string): number | undefined {
  if (!isDecimal(t, 0, t.length)) return undefined;
  let e = t.indexOf("e");
  if (e < 0) e = t.indexOf("E");
  let v: number;
  if (e >= 0) {
    v = Number(`${t.slice(0, e)}e${Number(t.slice(e + 1)) + 3}`);
  } else {
    const dot = t.indexOf(".");
    const intPart = dot < 0 ? t : t.slice(0, dot);
    const frac = dot < 0 ? "" : t.slice(dot + 1, dot + 10);
    v = Number(`${intPart === "" || intPart === "+" || intPart === "-" ? intPart + "0" : intPart}.${frac || "0"}e3`);
  }
  return Number.isFinite(v) ? v : undefined;
}

/** Number of Unicode code points (OpenMetrics counts exemplar label length in characters). */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function newLabels(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** Canonical key of a label set (sorted names), minus one optional name. */
export function labelsKey(labels: Record<string, string>, without?: string): string {
  const names = Object.keys(labels);
  if (names.length === 0) return "";
  names.sort();
  let key = "";
  for (const n of names) {
    if (n === without) continue;
    key += `${n}\u0000${labels[n]}\u0001`;
  }
  return key;
}
