/**
 * The lexer of Go's text/template syntax: text between `{{ … }}` actions, trim markers
 * (`{{- ` trims the whitespace before, ` -}}` after), comments `{{/* … *\/}}`, and inside actions
 * fields, variables, identifiers, keywords, strings (interpreted, raw, character), numbers,
 * `|`, `(`, `)`, `:=`, `=` and `,`. Tokens carry their offset and whether a space preceded them
 * (Go separates arguments by spaces: `.A.B` is one operand, `.A .B` two). Pure.
 */
import { TemplateError } from "./errors";

export type TokenKind =
  | "text"
  | "leftDelim"
  | "rightDelim"
  | "field"
  | "variable"
  | "identifier"
  | "keyword"
  | "dot"
  | "string"
  | "char"
  | "number"
  | "bool"
  | "nil"
  | "pipe"
  | "leftParen"
  | "rightParen"
  | "declare"
  | "assign"
  | "comma"
  | "eof";

export interface Token {
  kind: TokenKind;
  /** Text for text tokens; the unquoted value for strings; the name for fields (without the dot) and variables (with `$`). */
  value: string;
  /** Offset of the token's first character. */
  pos: number;
  /** Offset just past the token. */
  end: number;
  /** Whether whitespace came between this token and the previous one inside the action. */
  spaceBefore: boolean;
}

export const KEYWORDS = new Set(["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"]);

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

export function lex(source: string, templateName: string): Token[] {
  const tokens: Token[] = [];
  const fail = (offset: number, reason: string): never => {
    throw new TemplateError({ phase: "parse", templateName, source, offset, reason });
  };
  let i = 0;
  let trimNext = false;
  const n = source.length;

  const pushText = (start: number, end: number, trimRight: boolean) => {
    let s = start;
    let e = end;
    if (trimNext) while (s < e && isSpace(source[s])) s++;
    if (trimRight) while (e > s && isSpace(source[e - 1])) e--;
    trimNext = false;
    if (e > s) tokens.push({ kind: "text", value: source.slice(s, e), pos: s, end: e, spaceBefore: false });
  };

  while (i < n) {
    const open = source.indexOf("{{", i);
    if (open < 0) {
      pushText(i, n, false);
      break;
    }
    const trimLeft = source[open + 2] === "-" && isSpace(source[open + 3]);
    pushText(i, open, trimLeft);
    let p = open + 2 + (trimLeft ? 2 : 0);

    // A comment: {{/* … */}} with optional trim markers.
    if (source.startsWith("/*", p)) {
      const close = source.indexOf("*/", p + 2);
      if (close < 0) fail(open, "unclosed comment");
      let q = close + 2;
      let trimRight = false;
      if (source[q] === " " || source[q] === "\t" || source[q] === "\r" || source[q] === "\n") {
        if (source[q + 1] === "-" && source.startsWith("}}", q + 2)) {
          trimRight = true;
          q += 2;
        }
      }
      if (!source.startsWith("}}", q)) fail(close, "comment ends before closing delimiter");
      i = q + 2;
      trimNext = trimRight;
      continue;
    }

    tokens.push({ kind: "leftDelim", value: "{{", pos: open, end: p, spaceBefore: false });
    let space = false;
    let parenDepth = 0;
    for (;;) {
      if (p >= n) fail(open, "unclosed action");
      const c = source[p]!;
      // Right delimiter, with or without the trim marker.
      if (isSpace(c) && source[p + 1] === "-" && source.startsWith("}}", p + 2)) {
        tokens.push({ kind: "rightDelim", value: "}}", pos: p, end: p + 4, spaceBefore: true });
        p += 4;
        trimNext = true;
        break;
      }
      if (source.startsWith("}}", p)) {
        tokens.push({ kind: "rightDelim", value: "}}", pos: p, end: p + 2, spaceBefore: space });
        p += 2;
        break;
      }
      if (isSpace(c)) {
        space = true;
        p++;
        continue;
      }
      const start = p;
      const push = (kind: TokenKind, value: string, end: number) => {
        tokens.push({ kind, value, pos: start, end, spaceBefore: space });
        space = false;
        p = end;
      };
      if (source.startsWith("/*", p)) fail(p, "comment must be the whole action ({{/* … */}})");
      if (c === "|") push("pipe", "|", p + 1);
      else if (c === "(") {
        parenDepth++;
        push("leftParen", "(", p + 1);
      } else if (c === ")") {
        parenDepth--;
        if (parenDepth < 0) fail(p, "unexpected right paren");
        push("rightParen", ")", p + 1);
      } else if (c === ",") push("comma", ",", p + 1);
      else if (c === ":") {
        if (source[p + 1] !== "=") fail(p, "expected :=");
        push("declare", ":=", p + 2);
      } else if (c === "=") push("assign", "=", p + 1);
      else if (c === '"') {
        let q = p + 1;
        let value = "";
        for (;;) {
          const d = source[q];
          if (d === undefined || d === "\n") fail(start, "unterminated quoted string");
          if (d === '"') break;
          if (d === "\\") {
            const [ch, next] = unescape(source, q, (reason) => fail(q, reason));
            value += ch;
            q = next;
            continue;
          }
          value += d;
          q++;
        }
        push("string", value, q + 1);
      } else if (c === "`") {
        const close = source.indexOf("`", p + 1);
        if (close < 0) fail(start, "unterminated raw quoted string");
        push("string", source.slice(p + 1, close), close + 1);
      } else if (c === "'") {
        let q = p + 1;
        let ch: string;
        if (source[q] === "\\") {
          const [u, next] = unescape(source, q, (reason) => fail(q, reason));
          ch = u;
          q = next;
        } else {
          const cp = source.codePointAt(q);
          if (cp === undefined || source[q] === "'" || source[q] === "\n") fail(start, "empty or unterminated character constant");
          ch = String.fromCodePoint(cp!);
          q += ch.length;
        }
        if (source[q] !== "'") fail(start, "unterminated character constant");
        push("char", ch, q + 1);
      } else if (c === "$") {
        let q = p + 1;
        while (q < n && isAlnum(source[q])) q++;
        push("variable", source.slice(p, q), q);
      } else if (c === ".") {
        const d = source[p + 1];
        if (d !== undefined && d >= "0" && d <= "9") {
          push("number", scanNumber(source, p), p + scanNumber(source, p).length);
        } else if (isAlnum(d)) {
          let q = p + 1;
          while (q < n && isAlnum(source[q])) q++;
          push("field", source.slice(p + 1, q), q);
        } else {
          push("dot", ".", p + 1);
        }
      } else if ((c >= "0" && c <= "9") || ((c === "+" || c === "-") && /[0-9.]/.test(source[p + 1] ?? ""))) {
        const text = scanNumber(source, p);
        push("number", text, p + text.length);
      } else if (isAlnum(c)) {
        let q = p;
        while (q < n && isAlnum(source[q])) q++;
        const word = source.slice(p, q);
        if (word === "true" || word === "false") push("bool", word, q);
        else if (word === "nil") push("nil", word, q);
        else if (KEYWORDS.has(word)) push("keyword", word, q);
        else push("identifier", word, q);
      } else {
        fail(p, `unexpected ${JSON.stringify(c)} in command`);
      }
    }
    if (parenDepth > 0) fail(p - 2, "unclosed left paren");
    i = p;
  }
  tokens.push({ kind: "eof", value: "", pos: n, end: n, spaceBefore: false });
  return tokens;
}

/** The characters a number token may hold (sign, digits, `.`, exponent, base prefixes, `_`). */
function scanNumber(source: string, start: number): string {
  let q = start;
  if (source[q] === "+" || source[q] === "-") q++;
  let prev = "";
  while (q < source.length) {
    const c = source[q]!;
    if (/[0-9a-zA-Z_.]/.test(c) || ((c === "+" || c === "-") && /[eEpP]/.test(prev))) {
      prev = c;
      q++;
    } else break;
  }
  return source.slice(start, q);
}

/** Decodes one escape sequence at `at` (a backslash); returns the character and the next offset. */
function unescape(source: string, at: number, fail: (reason: string) => never): [string, number] {
  const c = source[at + 1];
  const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"' };
  if (c !== undefined && c in simple) return [simple[c]!, at + 2];
  const hex = (len: number): [string, number] => {
    const digits = source.slice(at + 2, at + 2 + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) fail("invalid escape sequence in string");
    const cp = parseInt(digits, 16);
    if (cp > 0x10ffff) fail("escape sequence is invalid Unicode code point");
    return [String.fromCodePoint(cp), at + 2 + len];
  };
  if (c === "x") return hex(2);
  if (c === "u") return hex(4);
  if (c === "U") return hex(8);
  if (c !== undefined && c >= "0" && c <= "7") {
    const digits = source.slice(at + 1, at + 4);
    if (!/^[0-7]{3}$/.test(digits)) fail("invalid octal escape in string");
    return [String.fromCharCode(parseInt(digits, 8)), at + 4];
  }
  return fail("unknown escape sequence in string");
}
