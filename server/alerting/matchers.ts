/**
 * Alertmanager label matchers: `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"`.
 *
 * Two parsers, as Alertmanager has them:
 * - `utf8`: the current syntax (Alertmanager's matcher/parse). A list in optional braces
 *   (`{a="b", c=~"d|e"}` or `a="b",c=~"d|e"`), trailing comma allowed. Names and values are either
 *   double-quoted (Go string escapes: `\"`, `\\`, `\n`, `\t`, `\xHH`, `\u…`, `\U…`, octal; any
 *   UTF-8, so `{"service.name"="x"}`) or unquoted runs without whitespace and without any of
 *   `{}!=~,\"'` and backtick (`foo=bar`, `foo=🙂`, `name-with-dashes=~[a-z]+`).
 *   Errors carry byte positions (`0:8: end of input: expected close brace`).
 * - `classic`: the older pkg/labels parser: names `[a-zA-Z_:][a-zA-Z0-9_:]*`, values quoted or
 *   not, only `\"`, `\\`, `\n` unescaped (any other backslash is kept), commas inside quotes kept.
 * - `fallback` (Alertmanager's default for its configuration and API): the UTF-8 parser, and the
 *   classic parser for input only it accepts (`tricky=~~~`, `{foo=bar}}`, `job=`).
 *
 * Matching is Alertmanager's: `=`/`!=` compare strings; `=~`/`!~` use Go RE2 syntax anchored at
 * both ends (`^(?:re)$`, see ./re2.ts); a label the alert lacks has the value "" (so `foo=""`
 * and `foo!~".+"` match an alert without `foo`).
 *
 * Pure module: safe in the browser and in workers.
 */
import { goQuote } from "./fingerprint";
import type { LabelSet, SilenceMatcher } from "./model";
import { compileAnchoredRe2, RegexSyntaxError } from "./re2";

export type MatchType = "=" | "!=" | "=~" | "!~";
export const MATCH_TYPES: readonly MatchType[] = ["=", "!=", "=~", "!~"];

export class MatcherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MatcherError";
  }
}

/** One label matcher. Build with `newMatcher` or the parsers; the regex is compiled once. */
export class Matcher {
  readonly #re: RegExp | null;

  /** Throws MatcherError when a regex matcher's value is not a valid (RE2) regex. */
  constructor(
    readonly type: MatchType,
    readonly name: string,
    readonly value: string,
  ) {
    if (!MATCH_TYPES.includes(type)) throw new MatcherError(`unknown match type ${JSON.stringify(type)}: use =, !=, =~ or !~`);
    if (type === "=~" || type === "!~") {
      try {
        this.#re = compileAnchoredRe2(value);
      } catch (err) {
        if (err instanceof RegexSyntaxError) throw new MatcherError(`error parsing regexp: ${err.message}`);
        throw err;
      }
    } else {
      this.#re = null;
    }
  }

  /** Whether a label value (use "" for a missing label) satisfies the matcher. */
  matches(value: string): boolean {
    switch (this.type) {
      case "=":
        return value === this.value;
      case "!=":
        return value !== this.value;
      case "=~":
        return (this.#re as RegExp).test(value);
      case "!~":
        return !(this.#re as RegExp).test(value);
    }
  }

  toString(): string {
    return stringifyMatcher(this);
  }

  toJSON(): { type: MatchType; name: string; value: string } {
    return { type: this.type, name: this.name, value: this.value };
  }
}

/** A matcher; throws MatcherError for a bad regex. */
export function newMatcher(type: MatchType, name: string, value: string): Matcher {
  return new Matcher(type, name, value);
}

/** Whether every matcher holds for the label set (a missing label counts as ""). */
export function labelsMatch(matchers: readonly Matcher[], labels: LabelSet): boolean {
  for (const m of matchers) if (!m.matches(labels[m.name] ?? "")) return false;
  return true;
}

/** Whether the matcher matches the empty string, i.e. an alert without the label. */
export function matchesEmpty(m: Matcher): boolean {
  return m.matches("");
}

const TYPE_ORDER: Record<MatchType, number> = { "=": 0, "!=": 1, "=~": 2, "!~": 3 };

/** Alertmanager's matcher order (by name, then value, then type), used in route keys. */
export function compareMatchers(a: Matcher, b: Matcher): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
}

export function sortMatchers(matchers: readonly Matcher[]): Matcher[] {
  return [...matchers].sort(compareMatchers);
}

// -----------------------------------------------------------------------------------------------
// Printing
// -----------------------------------------------------------------------------------------------

/** Characters that cannot appear in an unquoted name or value. */
function isReserved(ch: string): boolean {
  return SPACE.test(ch) || "{}!=~,\\\"'`".includes(ch);
}
/** Go's unicode.IsSpace. */
const SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

/**
 * Alertmanager's text of a matcher: `name="value"` with `\`, `"` and newlines escaped in the value;
 * a name with whitespace or any of `{}!=~,\"'` and backtick is quoted, and then the value uses Go
 * quoting (`"service name"="x"`). It parses back to the same matcher.
 */
export function stringifyMatcher(m: Pick<Matcher, "name" | "type" | "value">): string {
  if ([...m.name].some(isReserved) || m.name === "") return `${goQuote(m.name)}${m.type}${goQuote(m.value)}`;
  return `${m.name}${m.type}"${m.value.replace(/[\\\n"]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`))}"`;
}

/** `{a="b",c=~"d"}`: the matchers in the given order, as Alertmanager prints a list. */
export function stringifyMatchers(matchers: readonly Pick<Matcher, "name" | "type" | "value">[]): string {
  return `{${matchers.map(stringifyMatcher).join(",")}}`;
}

// -----------------------------------------------------------------------------------------------
// Silences (API v2 matcher shape)
// -----------------------------------------------------------------------------------------------

/** The matcher of a silence's `{name, value, isRegex, isEqual}`. Throws MatcherError for a bad regex. */
export function matcherFromSilenceMatcher(sm: Pick<SilenceMatcher, "name" | "value" | "isRegex"> & { isEqual?: boolean }): Matcher {
  const equal = sm.isEqual ?? true;
  const type: MatchType = sm.isRegex ? (equal ? "=~" : "!~") : equal ? "=" : "!=";
  return new Matcher(type, sm.name, sm.value);
}

export function matcherToSilenceMatcher(m: Pick<Matcher, "name" | "type" | "value">): SilenceMatcher {
  return { name: m.name, value: m.value, isRegex: m.type === "=~" || m.type === "!~", isEqual: m.type === "=" || m.type === "=~" };
}

// -----------------------------------------------------------------------------------------------
// Parsing
// -----------------------------------------------------------------------------------------------

export type MatcherParserMode = "utf8" | "classic" | "fallback";
export interface ParseMatchersOptions {
  /** Default `fallback`, as Alertmanager. */
  mode?: MatcherParserMode;
}

export class MatcherParseError extends MatcherError {
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = "MatcherParseError";
  }
}

/**
 * Parses a list of matchers (`{a="b", c!~"d"}`, braces optional). An empty input or `{}` is an
 * empty list. Throws MatcherParseError with the reason.
 */
export function parseMatchers(input: string, options: ParseMatchersOptions = {}): Matcher[] {
  const mode = options.mode ?? "fallback";
  if (mode === "utf8") return parseUtf8(input);
  if (mode === "classic") return parseClassic(input);
  try {
    return parseUtf8(input);
  } catch (utf8Error) {
    try {
      return parseClassic(input);
    } catch {
      throw utf8Error;
    }
  }
}

/** Exactly one matcher (`foo="bar"`, `{foo="bar"}`). Throws MatcherParseError otherwise. */
export function parseMatcher(input: string, options: ParseMatchersOptions = {}): Matcher {
  const ms = parseMatchers(input, options);
  if (ms.length === 0) throw new MatcherParseError("no matchers", input);
  if (ms.length > 1) throw new MatcherParseError(`expected 1 matcher, found ${ms.length}`, input);
  return ms[0];
}

/** parseMatchers returning a result instead of throwing. */
export function safeParseMatchers(input: string, options: ParseMatchersOptions = {}): { ok: true; matchers: Matcher[] } | { ok: false; error: string } {
  try {
    return { ok: true, matchers: parseMatchers(input, options) };
  } catch (err) {
    if (err instanceof MatcherError) return { ok: false, error: err.message };
    throw err;
  }
}

/** Classic (Prometheus) label names: what `match`, `group_by` and `equal` accept in fallback mode. */
export function isValidClassicLabelName(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name);
}

// --- UTF-8 parser ------------------------------------------------------------------------------

type TokenKind = "{" | "}" | "," | "=" | "!=" | "=~" | "!~" | "quoted" | "unquoted" | "eof";
interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const encoder = new TextEncoder();

class Utf8Parser {
  private pos = 0;
  private peeked: Token | null = null;
  private readonly byteLength: number;

  constructor(private readonly input: string) {
    this.byteLength = encoder.encode(input).length;
  }

  /** Byte offset of a JS string index (positions in messages are Go's byte offsets). */
  private at(index: number): number {
    return encoder.encode(this.input.slice(0, index)).length;
  }

  private fail(message: string): never {
    throw new MatcherParseError(message, this.input);
  }

  private span(t: Token): string {
    return `${this.at(t.start)}:${this.at(t.end)}`;
  }

  private whole(): string {
    return `0:${this.byteLength}`;
  }

  private scan(expected: string): Token {
    const s = this.input;
    while (this.pos < s.length && SPACE.test(s[this.pos])) this.pos++;
    const start = this.pos;
    if (start >= s.length) return { kind: "eof", text: "", start, end: start };
    const c = s[start];
    if (c === "{" || c === "}" || c === ",") {
      this.pos++;
      return { kind: c, text: c, start, end: this.pos };
    }
    if (c === "=" || c === "!") {
      const n = s[start + 1];
      if (c === "=" && n !== "~") {
        this.pos++;
        return { kind: "=", text: "=", start, end: this.pos };
      }
      if (n === "=" || n === "~") {
        this.pos += 2;
        const kind = (c + n) as TokenKind;
        return { kind, text: kind, start, end: this.pos };
      }
      this.pos++;
      this.fail(`${this.at(start)}:${this.at(this.pos)}: ${c}: invalid input: expected one of "!=", "!~" after "!"`);
    }
    if (c === '"') {
      let i = start + 1;
      for (; i < s.length; i++) {
        if (s[i] === "\\") i++;
        else if (s[i] === '"') break;
      }
      if (i >= s.length) {
        this.pos = s.length;
        this.fail(`${this.at(start)}:${this.byteLength}: ${s.slice(start)}: missing end "`);
      }
      this.pos = i + 1;
      return { kind: "quoted", text: s.slice(start, this.pos), start, end: this.pos };
    }
    if (!isReserved(c)) {
      let i = start;
      while (i < s.length) {
        const cp = s.codePointAt(i) as number;
        const ch = String.fromCodePoint(cp);
        if (isReserved(ch)) break;
        i += ch.length;
      }
      this.pos = i;
      return { kind: "unquoted", text: s.slice(start, i), start, end: i };
    }
    const cp = String.fromCodePoint(s.codePointAt(start) as number);
    this.pos += cp.length;
    this.fail(`${this.at(start)}:${this.at(this.pos)}: ${cp}: invalid input: expected ${expected}`);
  }

  private next(expected: string): Token {
    if (this.peeked) {
      const t = this.peeked;
      this.peeked = null;
      return t;
    }
    return this.scan(expected);
  }

  private peek(expected: string): Token {
    if (!this.peeked) this.peeked = this.scan(expected);
    return this.peeked;
  }

  private unexpected(t: Token, expected: string): never {
    if (t.kind === "eof") this.fail(`${this.whole()}: end of input: expected ${expected}`);
    this.fail(`${this.span(t)}: unexpected ${t.text}: expected ${expected}`);
  }

  private value(t: Token): string {
    if (t.kind === "unquoted") return t.text;
    const v = unquoteGo(t.text);
    if (v === null) this.fail(`${this.span(t)}: ${t.text}: invalid input`);
    return v;
  }

  parse(): Matcher[] {
    const matchers: Matcher[] = [];
    let hasOpen = false;
    const first = this.peek("label name or opening brace");
    if (first.kind === "{") {
      this.next("");
      hasOpen = true;
    } else if (first.kind === "}") {
      this.fail(`${this.whole()}: }: expected opening brace`);
    }
    const afterOpen = this.peek("label name or close brace");
    if (afterOpen.kind === "eof") {
      if (hasOpen) this.fail(`${this.whole()}: end of input: expected close brace`);
      return matchers;
    }
    if (afterOpen.kind === "}") {
      this.next("");
      this.end(hasOpen);
      return matchers;
    }
    for (;;) {
      matchers.push(this.matcher());
      const t = this.next("a comma or close brace");
      if (t.kind === ",") {
        const after = this.peek("label name or close brace");
        if (after.kind === "}" || after.kind === "eof") {
          this.next("");
          if (after.kind === "}") this.end(hasOpen);
          else if (hasOpen) this.fail(`${this.whole()}: end of input: expected close brace`);
          return matchers;
        }
        continue;
      }
      if (t.kind === "}") {
        this.end(hasOpen);
        return matchers;
      }
      if (t.kind === "eof") {
        if (hasOpen) this.fail(`${this.whole()}: end of input: expected close brace`);
        return matchers;
      }
      this.unexpected(t, "a comma or close brace");
    }
  }

  /** After a close brace: it needs an opening one, and nothing may follow. */
  private end(hasOpen: boolean): void {
    if (!hasOpen) this.fail(`${this.whole()}: }: expected opening brace`);
    const t = this.next("end of input");
    if (t.kind !== "eof") this.unexpected(t, "end of input");
  }

  private matcher(): Matcher {
    const nameTok = this.next("label name");
    if (nameTok.kind !== "quoted" && nameTok.kind !== "unquoted") this.unexpected(nameTok, "label name");
    const name = this.value(nameTok);
    if (name === "") this.fail(`${this.span(nameTok)}: ${nameTok.text}: label name must not be empty`);
    const op = this.next("an operator such as '=', '!=', '=~' or '!~'");
    if (op.kind !== "=" && op.kind !== "!=" && op.kind !== "=~" && op.kind !== "!~") this.unexpected(op, "an operator such as '=', '!=', '=~' or '!~'");
    const valueTok = this.next("label value");
    if (valueTok.kind !== "quoted" && valueTok.kind !== "unquoted") this.unexpected(valueTok, "label value");
    const value = this.value(valueTok);
    try {
      return new Matcher(op.kind, name, value);
    } catch (err) {
      if (err instanceof MatcherError) this.fail(`${this.span(valueTok)}: ${err.message}`);
      throw err;
    }
  }
}

const fatalDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Go's strconv.Unquote for a double-quoted string: the escapes \a \b \f \n \r \t \v \\ \",
 * \xHH and \ooo (bytes), \uHHHH and \UHHHHHHHH (code points); no raw newline; the result must be
 * valid UTF-8. Null when invalid.
 */
export function unquoteGo(quoted: string): string | null {
  if (quoted.length < 2 || quoted[0] !== '"' || quoted[quoted.length - 1] !== '"') return null;
  const body = quoted.slice(1, -1);
  const bytes: number[] = [];
  const pushCp = (cp: number) => {
    for (const b of encoder.encode(String.fromCodePoint(cp))) bytes.push(b);
  };
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 0x5c, '"': 0x22 };
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    if (ch === "\n" || ch === '"') return null;
    if (ch !== "\\") {
      pushCp(cp);
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return null;
    if (e in simple) {
      bytes.push(simple[e]);
      i += 2;
    } else if (e === "x") {
      const hex = body.slice(i + 2, i + 4);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 4;
    } else if (e >= "0" && e <= "7") {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return null;
      bytes.push(parseInt(oct, 8));
      i += 4;
    } else if (e === "u" || e === "U") {
      const n = e === "u" ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(hex)) return null;
      const v = parseInt(hex, 16);
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return null;
      pushCp(v);
      i += 2 + n;
    } else {
      return null;
    }
  }
  try {
    return fatalDecoder.decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
}

function parseUtf8(input: string): Matcher[] {
  return new Utf8Parser(input).parse();
}

// --- classic parser ----------------------------------------------------------------------------

const CLASSIC_MATCHER = /^[\t\n\f\r ]*([a-zA-Z_:][a-zA-Z0-9_:]*)[\t\n\f\r ]*(=~|=|!=|!~)[\t\n\f\r ]*([^]*?)[\t\n\f\r ]*$/;

function parseClassic(input: string): Matcher[] {
  let s = input.startsWith("{") ? input.slice(1) : input;
  if (s.endsWith("}")) s = s.slice(0, -1);
  // Split on commas outside double quotes (a backslash escapes the next quote).
  const tokens: string[] = [];
  let token = "";
  let inQuotes = false;
  let escaped = false;
  for (const ch of s) {
    if (ch === "," && !inQuotes) {
      tokens.push(token);
      token = "";
      continue;
    }
    if (ch === '"') {
      if (!escaped) inQuotes = !inQuotes;
      else escaped = false;
    } else if (ch === "\\") {
      escaped = !escaped;
    } else {
      escaped = false;
    }
    token += ch;
  }
  const last = token.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, "");
  if (last !== "") tokens.push(last);
  return tokens.map((t) => parseClassicMatcher(t, input));
}

function parseClassicMatcher(token: string, input: string): Matcher {
  const m = CLASSIC_MATCHER.exec(token);
  if (!m) throw new MatcherParseError(`bad matcher format: ${token}`, input);
  const [, name, op, rawWithQuote] = m;
  let raw = rawWithQuote;
  let expectTrailingQuote = false;
  if (raw.startsWith('"')) {
    raw = raw.slice(1);
    expectTrailingQuote = true;
  }
  let value = "";
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (escaped) {
      escaped = false;
      if (ch === "n") value += "\n";
      else if (ch === '"' || ch === "\\") value += ch;
      else value += `\\${ch}`; // a spurious escape keeps its backslash
      continue;
    }
    if (ch === "\\") {
      if (i < raw.length - 1) escaped = true;
      else value += "\\";
    } else if (ch === '"') {
      if (!expectTrailingQuote || i < raw.length - 1) throw new MatcherParseError(`matcher value contains unescaped double quote: ${rawWithQuote}`, input);
      expectTrailingQuote = false;
    } else {
      value += ch;
    }
  }
  if (expectTrailingQuote) throw new MatcherParseError(`matcher value contains unescaped double quote: ${rawWithQuote}`, input);
  try {
    return new Matcher(op as MatchType, name, value);
  } catch (err) {
    if (err instanceof MatcherError) throw new MatcherParseError(err.message, input);
    throw err;
  }
}
