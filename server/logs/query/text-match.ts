import { isTokenChar, lower } from "@/server/logs/store/tokens";

/**
 * Token, phrase and glob matching over text with the index's tokenizer (store/tokens.ts): tokens
 * are runs of ASCII letters, digits, `_` and non-ASCII characters, compared case-insensitively.
 * Pure and browser-safe (the compiler's per-event predicates and the console's highlighting).
 * Scanning allocates nothing per token: it compares lengths and characters in place.
 */

/** Lower-cased tokens of `text` in order, of any length (the index skips tokens over 64 chars; matching does not). */
export function textTokens(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (isTokenChar(c)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(foldString(text.slice(start, i)));
      start = -1;
    }
  }
  return out;
}

/** Lower-cases code unit by code unit, as the index does (length never changes). */
export function foldString(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) ascii = false;
  if (ascii) return s.toLowerCase();
  let out = "";
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(lower(s.charCodeAt(i)));
  return out;
}

/** `text` equals `folded` (already folded) ignoring case. */
export function foldedEquals(text: string, folded: string): boolean {
  if (text.length !== folded.length) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const f = folded.charCodeAt(i);
    if (c !== f && lower(c) !== f) return false;
  }
  return true;
}

function tokenAt(text: string, s: number, e: number, token: string): boolean {
  if (e - s !== token.length) return false;
  for (let i = 0; i < token.length; i++) {
    const c = text.charCodeAt(s + i);
    const f = token.charCodeAt(i);
    if (c !== f && lower(c) !== f) return false;
  }
  return true;
}

/**
 * Finds consecutive tokens equal to `tokens` (folded, non-empty) — one token is the common case.
 * Knuth–Morris–Pratt over tokens, so a phrase with repeated words ("a a b") is found correctly.
 */
export class PhraseMatcher {
  readonly tokens: readonly string[];
  private readonly fail: Int32Array;
  constructor(tokens: readonly string[]) {
    if (tokens.length === 0) throw new Error("empty phrase");
    this.tokens = tokens;
    this.fail = new Int32Array(tokens.length);
    for (let i = 1, k = 0; i < tokens.length; i++) {
      while (k > 0 && tokens[i] !== tokens[k]) k = this.fail[k - 1]!;
      if (tokens[i] === tokens[k]) k++;
      this.fail[i] = k;
    }
  }

  test(text: string): boolean {
    return this.scan(text, null);
  }

  /** Every [start, end) of a match (for highlighting). */
  ranges(text: string): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    this.scan(text, out);
    return out;
  }

  private scan(text: string, out: Array<[number, number]> | null): boolean {
    const toks = this.tokens;
    const n = toks.length;
    const first = toks[0]!;
    const len = text.length;
    // Start offsets of the tokens matched so far (only needed for ranges of phrases).
    const starts = out && n > 1 ? new Int32Array(n) : null;
    let k = 0;
    let start = -1;
    for (let i = 0; i <= len; i++) {
      const c = i < len ? text.charCodeAt(i) : 32;
      if (c < 128 ? (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 : true) {
        if (start < 0) start = i;
        continue;
      }
      if (start < 0) continue;
      const s = start;
      start = -1;
      if (n === 1) {
        if (tokenAt(text, s, i, first)) {
          if (!out) return true;
          out.push([s, i]);
        }
        continue;
      }
      while (k > 0 && !tokenAt(text, s, i, toks[k]!)) {
        const keep = this.fail[k - 1]!;
        if (starts) for (let j = 0; j < keep; j++) starts[j] = starts[k - keep + j]!;
        k = keep;
      }
      if (tokenAt(text, s, i, toks[k]!)) {
        if (starts) starts[k] = s;
        k++;
        if (k === n) {
          if (!out) return true;
          out.push([starts![0]!, i]);
          // Shift the remembered starts for the overlapping continuation.
          const keep = this.fail[k - 1]!;
          for (let j = 0; j < keep; j++) starts![j] = starts![n - keep + j]!;
          k = keep;
        }
      }
    }
    return out ? out.length > 0 : false;
  }
}

const TOKEN_CLASS = "[A-Za-z0-9_\\u0080-\\uffff]";
const escapeRe = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** Regex source of a glob (`*`, `?`; backslash makes the next character literal); `any` is what a wildcard spans. */
function globSource(glob: string, any: string): string {
  let src = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "\\" && i + 1 < glob.length) src += escapeRe(glob[++i]!);
    else if (ch === "*") src += `${any}*`;
    else if (ch === "?") src += any;
    else src += escapeRe(ch);
  }
  return src;
}

/** A glob over a whole value, case-insensitive. */
export function valueGlob(glob: string): RegExp {
  return new RegExp(`^${globSource(glob, "[\\s\\S]")}$`, "i");
}

/** A glob over tokens of a text (wildcards span token characters only), case-insensitive. */
export function tokenGlob(glob: string, flags = "i"): RegExp {
  return new RegExp(`(?<!${TOKEN_CLASS})${globSource(glob, TOKEN_CLASS)}(?!${TOKEN_CLASS})`, flags);
}

/** The literal text of a glob (backslashes removed), for a value without wildcards. */
export function unescapeGlob(glob: string): string {
  return glob.replace(/\\([\s\S])/g, "$1");
}
