/**
 * Prometheus label-set strings, as Loki push (`StreamAdapter.labels`) carries them:
 * `{job="varlogs", filename="/var/log/syslog", level="info"}`.
 *
 * Names: `[a-zA-Z_][a-zA-Z0-9_]*`, or quoted (Prometheus 3 UTF-8 names, `{"service.name"="x"}`).
 * Values: double-quoted with Go escapes (`\\ \" \n \t \r \a \b \f \v \' \xHH \ooo \uHHHH
 * \UHHHHHHHH`; `\x`/octal are bytes, so `"\xc3\xa9"` is "é"), single-quoted likewise, or
 * backquoted raw strings. Whitespace between tokens and a trailing comma are allowed; a repeated
 * name is an error. Pure.
 */

import { setField } from "./fields";

export class LabelParseError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "LabelParseError";
  }
}

const NAME_START = /[a-zA-Z_]/;
const NAME_CHAR = /[a-zA-Z0-9_]/;
const SIMPLE_ESCAPES: Record<string, number> = {
  a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b, "\\": 0x5c, '"': 0x22, "'": 0x27,
};

/** Parses `{name="value", …}` into a plain object (insertion order kept). Throws LabelParseError. */
export function parseLabelString(input: string): Record<string, string> {
  const p = new Cursor(input);
  const labels: Record<string, string> = {};
  p.skipSpace();
  p.expect("{");
  p.skipSpace();
  while (p.peek() !== "}") {
    const at = p.pos;
    const name = p.readName();
    p.skipSpace();
    p.expect("=");
    p.skipSpace();
    const value = p.readQuoted();
    if (Object.hasOwn(labels, name)) throw new LabelParseError(`duplicate label name "${name}"`, at);
    setField(labels, name, value);
    p.skipSpace();
    if (p.peek() === ",") {
      p.pos++;
      p.skipSpace();
    } else if (p.peek() !== "}") {
      throw p.error(`expected "," or "}"`);
    }
  }
  p.pos++;
  p.skipSpace();
  if (!p.atEnd()) throw p.error("unexpected text after \"}\"");
  return labels;
}

class Cursor {
  pos = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.pos >= this.s.length;
  }

  peek(): string | undefined {
    return this.s[this.pos];
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.s[this.pos])) this.pos++;
  }

  expect(ch: string): void {
    if (this.peek() !== ch) throw this.error(`expected "${ch}"`);
    this.pos++;
  }

  error(what: string): LabelParseError {
    const found = this.atEnd() ? "end of input" : JSON.stringify(this.s[this.pos]);
    return new LabelParseError(`${what} at position ${this.pos}, found ${found}`, this.pos);
  }

  readName(): string {
    const ch = this.peek();
    if (ch === '"' || ch === "'" || ch === "`") {
      const name = this.readQuoted();
      if (name === "") throw new LabelParseError("empty label name", this.pos);
      return name;
    }
    if (ch === undefined || !NAME_START.test(ch)) throw this.error("expected a label name");
    const start = this.pos;
    while (!this.atEnd() && NAME_CHAR.test(this.s[this.pos])) this.pos++;
    return this.s.slice(start, this.pos);
  }

  readQuoted(): string {
    const quote = this.peek();
    if (quote === "`") return this.readRaw();
    if (quote !== '"' && quote !== "'") throw this.error("expected a quoted string");
    this.pos++;
    const bytes: number[] = [];
    for (;;) {
      if (this.atEnd()) throw this.error(`unterminated string (missing ${quote})`);
      const ch = this.s[this.pos];
      if (ch === quote) break;
      if (ch === "\\") this.readEscape(bytes);
      else this.readRun(bytes, quote);
    }
    this.pos++;
    return Buffer.from(bytes).toString("utf8");
  }

  private readRaw(): string {
    const end = this.s.indexOf("`", this.pos + 1);
    if (end < 0) throw this.error("unterminated string (missing `)");
    const value = this.s.slice(this.pos + 1, end);
    this.pos = end + 1;
    return value;
  }

  /** Characters up to the next quote or backslash, as UTF-8. */
  private readRun(bytes: number[], quote: string): void {
    const start = this.pos;
    while (!this.atEnd() && this.s[this.pos] !== quote && this.s[this.pos] !== "\\") this.pos++;
    pushUtf8(bytes, this.s.slice(start, this.pos));
  }

  private readEscape(bytes: number[]): void {
    const at = this.pos;
    const kind = this.s[this.pos + 1];
    if (kind === undefined) throw this.error("unterminated escape");
    if (Object.hasOwn(SIMPLE_ESCAPES, kind)) {
      bytes.push(SIMPLE_ESCAPES[kind]);
      this.pos += 2;
      return;
    }
    if (kind === "x") return this.readHexEscape(bytes, 2, false);
    if (kind === "u") return this.readHexEscape(bytes, 4, true);
    if (kind === "U") return this.readHexEscape(bytes, 8, true);
    const octal = /^[0-7]{3}/.exec(this.s.slice(this.pos + 1, this.pos + 4));
    if (octal && Number.parseInt(octal[0], 8) <= 0xff) {
      bytes.push(Number.parseInt(octal[0], 8));
      this.pos += 4;
      return;
    }
    throw new LabelParseError(`unknown escape sequence "\\${kind}" at position ${at}`, at);
  }

  private readHexEscape(bytes: number[], digits: number, codePoint: boolean): void {
    const at = this.pos;
    const hex = this.s.slice(this.pos + 2, this.pos + 2 + digits);
    if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) {
      throw new LabelParseError(`invalid escape sequence at position ${at}`, at);
    }
    const value = Number.parseInt(hex, 16);
    if (!codePoint) bytes.push(value);
    else if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
      throw new LabelParseError(`invalid Unicode escape at position ${at}`, at);
    } else pushUtf8(bytes, String.fromCodePoint(value));
    this.pos += 2 + digits;
  }
}

function pushUtf8(bytes: number[], text: string): void {
  for (const b of Buffer.from(text, "utf8")) bytes.push(b);
}

/** A label set back to its string form (`{a="1", b="x\"y"}`), for messages and tests. */
export function formatLabelString(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) ? k : JSON.stringify(k)}=${JSON.stringify(v)}`);
  return `{${pairs.join(", ")}}`;
}
