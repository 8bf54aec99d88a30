/**
 * Go's number and value formatting, as text/template prints values and as `printf` formats them:
 * strconv.FormatFloat ('e', 'f', 'g' with exact decimal rounding, half to even), fmt's `%v` of
 * template values, and a `Sprintf` for the verbs templates use (`%s %v %d %f %e %g %q %x %X %o %b
 * %t %c %%` with flags `-+# 0`, width and precision).
 *
 * Numbers: a JS `number` is a Go float64; a `bigint` is a Go int (template integer literals,
 * `len`, range indexes). Pure.
 */
import { GoDuration, GoTime, KV, Pair, SafeHtml, SafeUrl } from "./values";

// ---------------------------------------------------------------------------------------------
// Decimal digits of a float64
// ---------------------------------------------------------------------------------------------

/** A non-negative decimal `0.d1d2d3… × 10^dp`; `digits` has no leading or trailing zeros ("" is 0). */
interface Decimal {
  digits: string;
  dp: number;
}

/** The exact decimal value of a finite, non-negative double. */
function exactDecimal(v: number): Decimal {
  if (v === 0) return { digits: "", dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biasedExp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biasedExp === 0) {
    exp = -1074;
  } else {
    mant |= 1n << 52n;
    exp = biasedExp - 1075;
  }
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    // mant × 2^exp = mant × 5^-exp / 10^-exp
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  return trimDecimal(digits, dp);
}

function trimDecimal(digits: string, dp: number): Decimal {
  let start = 0;
  while (start < digits.length && digits[start] === "0") start++;
  let end = digits.length;
  while (end > start && digits[end - 1] === "0") end--;
  if (start === end) return { digits: "", dp: 0 };
  return { digits: digits.slice(start, end), dp: dp - start };
}

/** The shortest digits that read back as `v` (finite, non-negative). */
function shortestDecimal(v: number): Decimal {
  if (v === 0) return { digits: "", dp: 0 };
  const [mantissa, exponent] = v.toExponential().split("e");
  const digits = mantissa!.replace(".", "");
  return trimDecimal(digits, Number(exponent) + 1);
}

/** Rounds an exact decimal to `nd` significant digits, half to even (Go's decimal.Round). */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < d.digits.length) up = true; // more than half
  else up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1; // exactly half: to even
  if (!up) return trimDecimal(d.digits.slice(0, nd), d.dp);
  // Round up: increment the prefix.
  const chars = d.digits.slice(0, nd).split("");
  let i = nd - 1;
  while (i >= 0 && chars[i] === "9") {
    chars[i] = "0";
    i--;
  }
  if (i < 0) return { digits: "1", dp: d.dp + 1 };
  chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1);
  return trimDecimal(chars.join(""), d.dp);
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? d.digits[i]! : "0";
}

function fmtE(neg: boolean, d: Decimal, prec: number, expChar: "e" | "E"): string {
  let s = neg ? "-" : "";
  s += d.digits.length ? d.digits[0] : "0";
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) s += digitAt(d, i);
  }
  const exp = d.digits.length === 0 ? 0 : d.dp - 1;
  const abs = Math.abs(exp);
  return `${s}${expChar}${exp < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let s = neg ? "-" : "";
  if (d.dp > 0) {
    for (let i = 0; i < d.dp; i++) s += digitAt(d, i);
  } else {
    s += "0";
  }
  if (prec > 0) {
    s += ".";
    for (let i = 0; i < prec; i++) s += digitAt(d, d.dp + i);
  }
  return s;
}

/**
 * Go's strconv.FormatFloat(v, fmt, prec, 64) for fmt 'e', 'E', 'f', 'g', 'G'; prec -1 means the
 * shortest representation that reads back as v.
 */
export function formatFloat(v: number, fmt: "e" | "E" | "f" | "g" | "G", prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  const neg = v < 0 || Object.is(v, -0);
  const abs = Math.abs(v);
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(abs);
    switch (fmt) {
      case "e":
      case "E":
        prec = Math.max(d.digits.length - 1, 0);
        break;
      case "f":
        prec = Math.max(d.digits.length - d.dp, 0);
        break;
      default:
        prec = d.digits.length;
    }
  } else {
    d = exactDecimal(abs);
    switch (fmt) {
      case "e":
      case "E":
        d = roundDecimal(d, prec + 1);
        break;
      case "f":
        d = roundDecimal(d, d.dp + prec);
        break;
      default:
        if (prec === 0) prec = 1;
        d = roundDecimal(d, prec);
    }
  }
  if (fmt === "e" || fmt === "E") return fmtE(neg, d, prec, fmt);
  if (fmt === "f") return fmtF(neg, d, prec);
  // 'g': %e for large and small exponents, %f otherwise; trailing zeros dropped.
  let eprec = prec;
  const nd = d.digits.length;
  if (eprec > nd && nd >= d.dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > nd) prec = nd;
    return fmtE(neg, d, Math.max(prec - 1, 0), fmt === "G" ? "E" : "e");
  }
  if (prec > d.dp) prec = nd;
  return fmtF(neg, d, Math.max(prec - d.dp, 0));
}

// ---------------------------------------------------------------------------------------------
// %v of template values
// ---------------------------------------------------------------------------------------------

/** Go's `%v` of a value as text/template prints it. */
export function goString(v: unknown): string {
  if (v === undefined) return "<no value>";
  if (v === null) return "<nil>";
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return formatFloat(v, "g", -1);
    case "bigint":
      return v.toString();
    case "boolean":
      return v ? "true" : "false";
    case "function":
      return "<func>";
    default:
      break;
  }
  if (v instanceof SafeHtml || v instanceof SafeUrl) return v.value;
  if (v instanceof GoTime || v instanceof GoDuration) return v.String();
  if (v instanceof Pair) return `{${v.Name} ${v.Value}}`;
  if (v instanceof KV) return goMapString(v.entries());
  if (v instanceof Map) return goMapString([...v.entries()].map(([k, x]) => [String(k), x] as [string, unknown]));
  if (Array.isArray(v)) return `[${v.map(goString).join(" ")}]`;
  if (v instanceof Error) return v.message;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null) return goMapString(Object.entries(v as Record<string, unknown>));
  // A struct: its field values in braces.
  return `{${Object.values(v as Record<string, unknown>)
    .map((x) => goString(x))
    .join(" ")}}`;
}

function goMapString(entries: [string, unknown][]): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${sorted.map(([k, x]) => `${k}:${goString(x)}`).join(" ")}]`;
}

/** Go's type name of a value, for messages. */
export function goTypeName(v: unknown): string {
  if (v === undefined || v === null) return "<nil>";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "float64";
    case "bigint":
      return "int";
    case "boolean":
      return "bool";
    case "function":
      return "func";
    default:
      break;
  }
  if (v instanceof SafeHtml) return "template.HTML";
  if (v instanceof SafeUrl) return "template.URL";
  if (v instanceof GoTime) return "time.Time";
  if (v instanceof GoDuration) return "time.Duration";
  if (v instanceof KV) return "template.KV";
  if (v instanceof Pair) return "template.Pair";
  if (Array.isArray(v)) {
    const named = (v.constructor as { goType?: string }).goType;
    if (named) return named;
    return v.length > 0 && v.every((x) => typeof x === "string") ? "[]string" : "[]interface {}";
  }
  const proto = Object.getPrototypeOf(v) as { constructor?: { goType?: string; name?: string } } | null;
  if (proto === Object.prototype || proto === null) return "map[string]interface {}";
  return proto.constructor?.goType ?? proto.constructor?.name ?? "struct";
}

// ---------------------------------------------------------------------------------------------
// Quoting
// ---------------------------------------------------------------------------------------------

/** Go's strconv.Quote (printable Unicode kept, control characters escaped). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\v":
        out += "\\v";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c >= 0x80 && c < 0xa0) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

// ---------------------------------------------------------------------------------------------
// Sprintf
// ---------------------------------------------------------------------------------------------

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | null;
  prec: number | null;
}

function pad(s: string, spec: Spec, numeric = false): string {
  if (spec.width === null) return s;
  const len = [...s].length;
  if (len >= spec.width) return s;
  const n = spec.width - len;
  if (spec.minus) return s + " ".repeat(n);
  if (spec.zero && numeric) {
    // Zero padding goes after the sign.
    const sign = s[0] === "-" || s[0] === "+" || s[0] === " " ? s[0] : "";
    return sign + "0".repeat(n) + s.slice(sign.length);
  }
  return " ".repeat(n) + s;
}

function withSign(s: string, spec: Spec): string {
  if (s.startsWith("-")) return s;
  if (spec.plus) return "+" + s;
  if (spec.space) return " " + s;
  return s;
}

function isIntegral(v: unknown): v is bigint | number {
  return typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));
}

function toBigInt(v: bigint | number): bigint {
  return typeof v === "bigint" ? v : BigInt(v);
}

function formatInteger(v: bigint, radix: number, verb: string, spec: Spec): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString(radix);
  if (verb === "X") digits = digits.toUpperCase();
  if (spec.prec !== null && digits.length < spec.prec) digits = "0".repeat(spec.prec - digits.length) + digits;
  if (spec.sharp) {
    if (radix === 16) digits = (verb === "X" ? "0X" : "0x") + digits;
    else if (radix === 8 && !digits.startsWith("0")) digits = "0" + digits;
    else if (radix === 2) digits = "0b" + digits;
  }
  const s = withSign((neg ? "-" : "") + digits, spec);
  return pad(s, { ...spec, zero: spec.zero && spec.prec === null }, true);
}

function badVerb(verb: string, v: unknown): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${goString(v)})`;
}

function stringBytesHex(s: string, upper: boolean, spec: Spec): string {
  let hex = Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, "0")).join("");
  if (upper) hex = hex.toUpperCase();
  if (spec.sharp) hex = (upper ? "0X" : "0x") + hex;
  return hex;
}

function formatOne(verb: string, v: unknown, spec: Spec): string {
  if (v instanceof SafeHtml || v instanceof SafeUrl) v = v.value;
  if ((v instanceof GoTime || v instanceof GoDuration) && verb !== "d") v = v.String();
  switch (verb) {
    case "v":
      if (typeof v === "number") return pad(withSign(formatFloat(v, "g", spec.prec ?? -1), spec), spec, true);
      if (typeof v === "bigint") return formatInteger(v, 10, "d", spec);
      if (typeof v === "string" && spec.sharp) return pad(goQuote(v), spec);
      return pad(goString(v), spec);
    case "s":
      if (typeof v === "string") return pad(spec.prec !== null ? [...v].slice(0, spec.prec).join("") : v, spec);
      if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return badVerb(verb, v);
      return pad(goString(v), spec);
    case "q":
      if (typeof v === "string") return pad(goQuote(v), spec);
      if (isIntegral(v)) return pad(`'${String.fromCodePoint(Number(v))}'`, spec);
      return badVerb(verb, v);
    case "d":
      if (v instanceof GoDuration) return formatInteger(v.nanoseconds, 10, verb, spec);
      if (isIntegral(v)) return formatInteger(toBigInt(v), 10, verb, spec);
      return badVerb(verb, v);
    case "b":
    case "o":
    case "O":
      if (isIntegral(v)) {
        const s = formatInteger(toBigInt(v), verb === "b" ? 2 : 8, verb, spec);
        return verb === "O" ? s.replace(/^([-+ ]?)/, "$10o") : s;
      }
      return badVerb(verb, v);
    case "x":
    case "X":
      if (isIntegral(v)) return formatInteger(toBigInt(v), 16, verb, spec);
      if (typeof v === "string") return pad(stringBytesHex(v, verb === "X", spec), spec);
      return badVerb(verb, v);
    case "c":
      if (isIntegral(v)) return pad(String.fromCodePoint(Number(v)), spec);
      return badVerb(verb, v);
    case "U":
      if (isIntegral(v)) return pad(`U+${Number(v).toString(16).toUpperCase().padStart(4, "0")}`, spec);
      return badVerb(verb, v);
    case "t":
      if (typeof v === "boolean") return pad(v ? "true" : "false", spec);
      return badVerb(verb, v);
    case "e":
    case "E":
    case "f":
    case "F":
    case "g":
    case "G": {
      let x: number;
      if (typeof v === "number") x = v;
      else if (typeof v === "bigint") return badVerb(verb, v);
      else return badVerb(verb, v);
      const f = verb === "F" ? "f" : (verb as "e" | "E" | "f" | "g" | "G");
      const prec = spec.prec ?? (f === "g" || f === "G" ? -1 : 6);
      let s = formatFloat(x, f, prec);
      if (spec.sharp && !s.includes(".") && Number.isFinite(x)) {
        const e = s.search(/[eE]/);
        s = e < 0 ? s + "." : s.slice(0, e) + "." + s.slice(e);
      }
      if (!Number.isFinite(x)) {
        if (Number.isNaN(x)) s = spec.plus ? "+NaN" : spec.space ? " NaN" : "NaN";
        else if (x > 0) s = spec.plus ? "+Inf" : spec.space ? " Inf" : "+Inf";
        return pad(s, { ...spec, zero: false });
      }
      return pad(withSign(s, spec), spec, true);
    }
    default:
      return `%!${verb}(${goTypeName(v)}=${goString(v)})`;
  }
}

/** Go's fmt.Sprintf for the common verbs; mismatches print as Go prints them (`%!d(string=x)`). */
export function sprintf(format: string, args: unknown[]): string {
  let out = "";
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: null, prec: null };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === "-") spec.minus = true;
      else if (c === "+") spec.plus = true;
      else if (c === "#") spec.sharp = true;
      else if (c === " ") spec.space = true;
      else if (c === "0") spec.zero = !spec.minus;
      else break;
    }
    const readNumber = (): number | null => {
      if (format[i] === "*") {
        i++;
        const a = args[argIndex++];
        return isIntegral(a) ? Number(a) : null;
      }
      const start = i;
      while (i < format.length && format[i]! >= "0" && format[i]! <= "9") i++;
      return i > start ? Number(format.slice(start, i)) : null;
    };
    spec.width = readNumber();
    if (spec.width !== null && spec.width < 0) {
      spec.minus = true;
      spec.width = -spec.width;
    }
    if (format[i] === ".") {
      i++;
      spec.prec = readNumber() ?? 0;
    }
    const verb = format[i];
    i++;
    if (verb === undefined) {
      out += "%!(NOVERB)";
      break;
    }
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(verb, args[argIndex++], spec);
  }
  if (argIndex < args.length) {
    out += `%!(EXTRA ${args
      .slice(argIndex)
      .map((a) => `${goTypeName(a)}=${goString(a)}`)
      .join(", ")})`;
  }
  return out;
}

/** Go's fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = "";
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== "string" && typeof args[i - 1] !== "string") out += " ";
    out += goString(a);
  });
  return out;
}

/** Go's fmt.Sprintln: spaces between all operands and a newline. */
export function sprintln(args: unknown[]): string {
  return args.map(goString).join(" ") + "\n";
}
