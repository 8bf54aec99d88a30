/**
 * Go RE2 regular expressions (the syntax of Alertmanager's and Prometheus's `=~` matchers) on
 * JavaScript RegExp. A small parser reads the RE2 syntax and writes an equivalent JS pattern
 * (`u` mode), so the meaning is Go's, not JS's where the two differ:
 * - `.` excludes only `\n` (JS also excludes `\r`, U+2028, U+2029); `(?s)` lets it match `\n`.
 * - `^` `$` are text anchors; under `(?m)` line anchors around `\n` only. `\A`, `\z`.
 * - `\s` is `[\t\n\f\r ]`, `\d` `[0-9]`, `\w` `[0-9A-Za-z_]` (ASCII, as in Go); POSIX classes
 *   (`[[:alpha:]]`, `[[:^space:]]`); `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}`; `\Q…\E`;
 *   octal and `\x{10FFFF}` escapes; escaped punctuation.
 * - Flags `i`, `m`, `s`, `U` anywhere: `(?i)` for the rest of the group, `(?i:…)`, `(?-s)`.
 *   A pattern case-insensitive throughout uses the JS `i` flag; a partly case-insensitive one is
 *   rewritten with case classes (`[kK\u212A]`).
 * - `{` that does not start a valid repeat is a literal (`a{`, `{,3}`); counts up to 1000.
 * - Groups, named (`(?P<n>…)`, `(?<n>…)`) or not, become non-capturing: only matching is needed.
 * What RE2 rejects is rejected with the reason: lookarounds, backreferences, `\C`, unknown
 * escapes, stacked repetitions (`a**`), bad ranges. Not covered: a Unicode class (`\pL`) in a
 * partly case-insensitive pattern (an error says so), and RE2's linear-time guarantee (JS
 * backtracks; patterns come from configuration and silences, not from alert data).
 *
 * Pure module: safe in the browser and in workers.
 */

export class RegexSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegexSyntaxError";
  }
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

/** A translated piece of pattern; `atom` when a quantifier may follow it directly in JS. */
interface Piece {
  js: string;
  atom: boolean;
  /** Where the quantifier applied to this piece began (RE2 rejects a second one: `a**`). */
  quantifiedAt?: number;
}

type Range = [number, number];

const MAX_CP = 0x10ffff;
const MAX_REPEAT = 1000;

const PERL_CLASSES: Record<string, Range[]> = {
  d: [[0x30, 0x39]],
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
};

const POSIX_CLASSES: Record<string, Range[]> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

/** Go's general categories (unicode.Categories); any other name in `\p{…}` is a script. */
const CATEGORIES = new Set(
  "C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs".split(" "),
);

function complement(ranges: Range[]): Range[] {
  const sorted = normalize(ranges);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function normalize(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function isAlnum(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

/** A code point written so JS `u` mode reads it as itself, in or out of a class. */
function jsChar(cp: number): string {
  return isAlnum(cp) || cp === 0x5f ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`;
}

// -----------------------------------------------------------------------------------------------
// Case folding for partly case-insensitive patterns: code points grouped by their simple fold.
// -----------------------------------------------------------------------------------------------

/** Blocks with cased letters; folding is looked up only there. */
const CASED_BLOCKS: Range[] = [
  [0x41, 0x24f],
  [0x250, 0x2af],
  [0x345, 0x345],
  [0x370, 0x58f],
  [0x10a0, 0x10ff],
  [0x13a0, 0x13ff],
  [0x1c80, 0x1cbf],
  [0x1d79, 0x1d8e],
  [0x1e00, 0x1fff],
  [0x2100, 0x218f],
  [0x24b6, 0x24e9],
  [0x2c00, 0x2d2f],
  [0xa640, 0xa7ff],
  [0xab70, 0xabbf],
  [0xff21, 0xff5a],
  [0x10400, 0x104ff],
  [0x10570, 0x105bf],
  [0x10c80, 0x10cff],
  [0x118a0, 0x118df],
  [0x16e40, 0x16e7f],
  [0x1e900, 0x1e94f],
];

let orbits: Map<number, number[]> | null = null;

function single(s: string): number | null {
  const cp = s.codePointAt(0);
  return cp !== undefined && String.fromCodePoint(cp) === s ? cp : null;
}

function foldKey(cp: number): number {
  const ch = String.fromCodePoint(cp);
  const up = single(ch.toUpperCase()) ?? cp;
  return single(String.fromCodePoint(up).toLowerCase()) ?? single(ch.toLowerCase()) ?? cp;
}

function caseOrbit(cp: number): number[] {
  if (!orbits) {
    orbits = new Map();
    for (const [lo, hi] of CASED_BLOCKS) {
      for (let c = lo; c <= hi; c++) {
        const k = foldKey(c);
        if (k === c && single(String.fromCodePoint(c).toUpperCase()) === c) continue;
        const list = orbits.get(k) ?? [k];
        if (!list.includes(c)) list.push(c);
        orbits.set(k, list);
      }
    }
  }
  const list = orbits.get(foldKey(cp));
  if (!list) return [cp];
  return list.includes(cp) ? list : [cp, ...list];
}

function foldRanges(ranges: Range[]): Range[] {
  const out: Range[] = [...ranges];
  for (const [lo, hi] of ranges) {
    for (const [blo, bhi] of CASED_BLOCKS) {
      const a = Math.max(lo, blo);
      const b = Math.min(hi, bhi);
      for (let c = a; c <= b; c++) for (const o of caseOrbit(c)) if (o !== c) out.push([o, o]);
    }
  }
  return normalize(out);
}

// -----------------------------------------------------------------------------------------------
// The parser
// -----------------------------------------------------------------------------------------------

type CaseMode = "expand" | "global";

class Translator {
  private pos = 0;
  private readonly names = new Set<string>();
  /** Case-relevant atoms seen under `i` and outside it. */
  sawInsensitive = false;
  sawSensitive = false;
  /** A Unicode class under `i` in expand mode (only supported when `i` covers the whole pattern). */
  caseInsensitiveProperty = false;
  /** Whether the pattern sets the `i` flag anywhere (otherwise case tracking is skipped). */
  private readonly anyCaseFlag: boolean;

  constructor(
    private readonly src: string,
    private readonly caseMode: CaseMode,
  ) {
    this.anyCaseFlag = /\(\?[imsU]*i/.test(src);
  }

  fail(reason: string, from: number, to = this.pos): never {
    throw new RegexSyntaxError(`${reason}: \`${this.src.slice(from, Math.max(to, from + 1))}\``);
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? "";
  }

  private eof(): boolean {
    return this.pos >= this.src.length;
  }

  /** Reads one code point. */
  private nextCp(): number {
    const cp = this.src.codePointAt(this.pos) as number;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  translate(): string {
    const flags: Flags = { i: false, m: false, s: false, U: false };
    const out = this.alternation(flags, 0);
    if (!this.eof()) this.fail("unexpected )", 0, this.src.length);
    return out;
  }

  /** alternatives until `)` or the end; `flags` may change inside (it is the group's copy). */
  private alternation(flags: Flags, depth: number): string {
    const alternatives: string[] = [];
    let current: Piece[] = [];
    while (!this.eof()) {
      const c = this.peek();
      if (c === ")") {
        if (depth === 0) this.fail("unexpected )", 0, this.src.length);
        break;
      }
      if (c === "|") {
        this.pos++;
        alternatives.push(current.map((p) => p.js).join(""));
        current = [];
        continue;
      }
      if (this.peekQuantifier()) {
        const start = this.pos;
        const q = this.quantifier(flags);
        const last = current[current.length - 1];
        if (!last) this.fail("missing argument to repetition operator", start);
        if (last.quantifiedAt !== undefined) this.fail("invalid nested repetition operator", last.quantifiedAt, this.pos);
        const body = last.atom ? last.js : `(?:${last.js})`;
        current[current.length - 1] = { js: `${body}${q}`, atom: false, quantifiedAt: start };
        continue;
      }
      const piece = this.term(flags, depth);
      if (piece) current.push(piece);
    }
    alternatives.push(current.map((p) => p.js).join(""));
    return alternatives.join("|");
  }

  private peekQuantifier(): boolean {
    const c = this.peek();
    return c === "*" || c === "+" || c === "?" || (c === "{" && this.repeatAhead() !== null);
  }

  /** `{n}`, `{n,}`, `{n,m}` at the position, or null when `{` is a literal there. */
  private repeatAhead(): { min: number; max: number | null; length: number } | null {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 32));
    if (!m) return null;
    return { min: Number(m[1]), max: m[2] === undefined ? Number(m[1]) : m[3] === "" ? null : Number(m[3]), length: m[0].length };
  }

  private quantifier(flags: Flags): string {
    const start = this.pos;
    let q: string;
    const c = this.peek();
    if (c === "{") {
      const r = this.repeatAhead() as { min: number; max: number | null; length: number };
      this.pos += r.length;
      if (r.min > MAX_REPEAT || (r.max !== null && (r.max > MAX_REPEAT || r.max < r.min))) this.fail("invalid repeat count", start);
      q = r.max === null ? `{${r.min},}` : r.max === r.min ? `{${r.min}}` : `{${r.min},${r.max}}`;
    } else {
      this.pos++;
      q = c;
    }
    let lazy = false;
    if (this.peek() === "?") {
      this.pos++;
      lazy = true;
    }
    if (flags.U) lazy = !lazy;
    return lazy ? `${q}?` : q;
  }

  private term(flags: Flags, depth: number): Piece | null {
    const start = this.pos;
    const c = this.peek();
    if (c === "(") return this.group(flags, depth);
    if (c === "[") return this.charClass(flags);
    if (c === ".") {
      this.pos++;
      return { js: flags.s ? "[^]" : "[^\\n]", atom: true };
    }
    if (c === "^") {
      this.pos++;
      return { js: flags.m ? "(?<![^\\n])" : "^", atom: false };
    }
    if (c === "$") {
      this.pos++;
      return { js: flags.m ? "(?![^\\n])" : "$", atom: false };
    }
    if (c === "\\") {
      const n = this.peek(1);
      switch (n) {
        case "A":
          this.pos += 2;
          return { js: "^", atom: false };
        case "z":
          this.pos += 2;
          return { js: "$", atom: false };
        case "b":
        case "B":
          this.pos += 2;
          return { js: `\\${n}`, atom: false };
        case "Q": {
          this.pos += 2;
          const end = this.src.indexOf("\\E", this.pos);
          const literal = this.src.slice(this.pos, end === -1 ? undefined : end);
          this.pos = end === -1 ? this.src.length : end + 2;
          const parts = [...literal].map((ch) => this.literal(ch.codePointAt(0) as number, flags).js);
          return parts.length === 0 ? null : { js: parts.join(""), atom: parts.length === 1 };
        }
        case "C":
          this.fail("invalid escape sequence (\\C, any byte, is not supported)", start, start + 2);
          break;
        case "d":
        case "D":
        case "s":
        case "S":
        case "w":
        case "W": {
          this.pos += 2;
          const base = PERL_CLASSES[n.toLowerCase()];
          return this.classPiece(n === n.toUpperCase() ? complement(base) : base, [], false, flags);
        }
        case "p":
        case "P": {
          const prop = this.unicodeClass();
          return this.classPiece([], [prop], false, flags);
        }
        default: {
          const cp = this.escapedChar(false);
          return this.literal(cp, flags);
        }
      }
    }
    if (c === "*" || c === "+" || c === "?") this.fail("missing argument to repetition operator", start, start + 1);
    return this.literal(this.nextCp(), flags);
  }

  private literal(cp: number, flags: Flags): Piece {
    if (!this.anyCaseFlag) return { js: jsChar(cp), atom: true };
    const orbit = caseOrbit(cp);
    if (orbit.length > 1) this.noteCase(flags);
    if (!flags.i || orbit.length === 1 || this.caseMode === "global") return { js: jsChar(cp), atom: true };
    return { js: `[${orbit.map(jsChar).join("")}]`, atom: true };
  }

  private noteCase(flags: Flags): void {
    if (!this.anyCaseFlag) return;
    if (flags.i) this.sawInsensitive = true;
    else this.sawSensitive = true;
  }

  private classPiece(ranges: Range[], props: string[], negated: boolean, flags: Flags): Piece {
    this.noteCase(flags);
    let rs = normalize(ranges);
    if (flags.i && this.caseMode === "expand") {
      if (props.length > 0) this.caseInsensitiveProperty = true;
      rs = foldRanges(rs);
    }
    const body = rs.map(([lo, hi]) => (lo === hi ? jsChar(lo) : `${jsChar(lo)}-${jsChar(hi)}`)).join("") + props.join("");
    return { js: `[${negated ? "^" : ""}${body}]`, atom: true };
  }

  /** After `\p` or `\P`: the JS property escape. */
  private unicodeClass(): string {
    const start = this.pos;
    let negated = this.peek(1) === "P";
    this.pos += 2;
    let name: string;
    if (this.peek() === "{") {
      const end = this.src.indexOf("}", this.pos);
      if (end === -1) this.fail("invalid character class range", start);
      name = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      if (this.eof()) this.fail("invalid character class range", start);
      name = String.fromCodePoint(this.nextCp());
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    let js: string;
    if (name === "Any") js = negated ? "\\P{Any}" : "\\p{Any}";
    else if (CATEGORIES.has(name)) js = `\\${negated ? "P" : "p"}{${name}}`;
    else if (/^[A-Z][A-Za-z_]*$/.test(name)) js = `\\${negated ? "P" : "p"}{Script=${name}}`;
    else this.fail("invalid character class range", start);
    try {
      new RegExp(js, "u");
    } catch {
      this.fail("invalid character class range", start);
    }
    return js;
  }

  /** An escape that stands for one character (after `\`), in or out of a class. */
  private escapedChar(inClass: boolean): number {
    const start = this.pos;
    this.pos++; // the backslash
    if (this.eof()) this.fail("trailing backslash at end of expression", start);
    const cp = this.nextCp();
    const c = String.fromCodePoint(cp);
    if (c >= "1" && c <= "7") {
      if (!/[0-7]/.test(this.peek())) this.fail("invalid escape sequence (backreferences are not supported in RE2)", start);
    }
    if (c >= "0" && c <= "7") {
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(this.peek())) digits += this.src[this.pos++];
      return parseInt(digits, 8);
    }
    if (c === "x") {
      if (this.peek() === "{") {
        const end = this.src.indexOf("}", this.pos);
        const hex = end === -1 ? "" : this.src.slice(this.pos + 1, end);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || parseInt(hex, 16) > MAX_CP) this.fail("invalid escape sequence", start, end === -1 ? this.src.length : end + 1);
        this.pos = end + 1;
        return parseInt(hex, 16);
      }
      const hex = this.src.slice(this.pos, this.pos + 2);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) this.fail("invalid escape sequence", start, this.pos + 2);
      this.pos += 2;
      return parseInt(hex, 16);
    }
    const controls: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (c in controls) return controls[c];
    if (cp < 0x80 && !isAlnum(cp)) return cp;
    this.fail(inClass ? "invalid escape sequence in character class" : "invalid escape sequence", start, this.pos);
  }

  private group(flags: Flags, depth: number): Piece | null {
    const start = this.pos;
    this.pos++; // (
    if (this.peek() === "?") {
      const rest = this.src.slice(this.pos + 1);
      if (rest.startsWith("P<") || (rest.startsWith("<") && !rest.startsWith("<=") && !rest.startsWith("<!"))) {
        const open = rest.startsWith("P<") ? 3 : 2;
        const end = this.src.indexOf(">", this.pos);
        const name = end === -1 ? "" : this.src.slice(this.pos + open, end);
        if (end === -1 || !/^[A-Za-z0-9_]+$/.test(name)) this.fail("invalid named capture", start, end === -1 ? this.src.length : end + 1);
        if (this.names.has(name)) this.fail("duplicate capture group name", start, end + 1);
        this.names.add(name);
        this.pos = end + 1;
        return this.groupBody({ ...flags }, depth);
      }
      if (/^(=|!|<=|<!)/.test(rest)) this.fail("invalid or unsupported Perl syntax (lookaround assertions are not supported in RE2)", start, this.pos + 1 + (rest.startsWith("<") ? 2 : 1));
      if (rest.startsWith("P=") || rest.startsWith("P>")) this.fail("invalid or unsupported Perl syntax (backreferences and recursion are not supported in RE2)", start, this.pos + 3);
      const m = /^([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
      if (!m || (m[2] !== undefined && m[2] === "") || (m[1] === "" && m[2] === undefined && m[3] === ")")) {
        this.fail("invalid or unsupported Perl syntax", start, this.pos + 2);
      }
      const next: Flags = { ...flags };
      for (const f of m[1]) next[f as keyof Flags] = true;
      for (const f of m[2] ?? "") next[f as keyof Flags] = false;
      this.pos += 1 + m[0].length;
      if (m[3] === ")") {
        // Flags for the rest of the current group: mutate the group's flags in place.
        Object.assign(flags, next);
        return null;
      }
      return this.groupBody(next, depth);
    }
    return this.groupBody({ ...flags }, depth);
  }

  private groupBody(flags: Flags, depth: number): Piece {
    const inner = this.alternation(flags, depth + 1);
    if (this.peek() !== ")") this.fail("missing closing )", 0, this.src.length);
    this.pos++;
    return { js: `(?:${inner})`, atom: true };
  }

  private charClass(flags: Flags): Piece {
    const start = this.pos;
    this.pos++; // [
    let negated = false;
    if (this.peek() === "^") {
      negated = true;
      this.pos++;
    }
    const ranges: Range[] = [];
    const props: string[] = [];
    let first = true;
    for (;;) {
      if (this.eof()) this.fail("missing closing ]", start, this.src.length);
      const c = this.peek();
      if (c === "]" && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === "[" && this.peek(1) === ":") {
        const end = this.src.indexOf(":]", this.pos + 2);
        if (end !== -1) {
          let name = this.src.slice(this.pos + 2, end);
          const neg = name.startsWith("^");
          if (neg) name = name.slice(1);
          const cls = POSIX_CLASSES[name];
          if (!cls) this.fail("invalid character class range", this.pos, end + 2);
          ranges.push(...(neg ? complement(cls) : cls));
          this.pos = end + 2;
          continue;
        }
      }
      if (c === "\\") {
        const n = this.peek(1);
        if ("dDsSwW".includes(n) && n !== "") {
          const base = PERL_CLASSES[n.toLowerCase()];
          ranges.push(...(n === n.toUpperCase() ? complement(base) : base));
          this.pos += 2;
          continue;
        }
        if (n === "p" || n === "P") {
          props.push(this.unicodeClass());
          continue;
        }
      }
      const itemStart = this.pos;
      const lo = this.classChar();
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== "") {
        this.pos++;
        const hi = this.classChar();
        if (hi < lo) this.fail("invalid character class range", itemStart, this.pos);
        ranges.push([lo, hi]);
      } else {
        ranges.push([lo, lo]);
      }
    }
    return this.classPiece(ranges, props, negated, flags);
  }

  private classChar(): number {
    if (this.peek() === "\\") return this.escapedChar(true);
    return this.nextCp();
  }
}

export interface TranslatedRegex {
  /** JS pattern source (for `u` mode plus `flags`). */
  source: string;
  flags: string;
}

/** Translates an RE2 pattern (unanchored) to a JS pattern with the same meaning. Throws RegexSyntaxError. */
export function translateRe2(pattern: string): TranslatedRegex {
  const first = new Translator(pattern, "expand");
  const js = first.translate();
  if (first.sawInsensitive && !first.sawSensitive) {
    return { source: new Translator(pattern, "global").translate(), flags: "iu" };
  }
  if (first.caseInsensitiveProperty) {
    throw new RegexSyntaxError("a Unicode class (\\p{…}) under (?i) is only supported when (?i) covers the whole pattern: put it at the start");
  }
  return { source: js, flags: "u" };
}

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 2000;

/**
 * Compiles `pattern` as Alertmanager and Prometheus do for matchers, fully anchored
 * (`^(?:pattern)$`). Cached. Throws RegexSyntaxError with the reason.
 */
export function compileAnchoredRe2(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  // Go compiles the concatenation, so errors quote it (`missing closing ]: \`[a)$\``) and an
  // unbalanced pattern such as `a)|(b` is read the way Go reads it.
  const t = translateRe2(`^(?:${pattern})$`);
  try {
    re = new RegExp(t.source, t.flags);
  } catch (err) {
    const detail = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") : String(err);
    throw new RegexSyntaxError(`unsupported regular expression: ${detail}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}
