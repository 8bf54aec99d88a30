/**
 * Go RE2 regular expressions as Prometheus relabelling uses them, run on JavaScript RegExp.
 * Pure. What is bridged:
 * - Anchoring: Prometheus compiles `^(?:<regex>)$`, so a regex always matches the whole value.
 * - Syntax translated to JS (`u` mode): `(?P<name>…)` → `(?<name>…)`; leading flags `(?i)`, `(?s)`,
 *   `(?m)` → RegExp flags; `\A`, `\z`; `\Q…\E` literals; `\pL` → `\p{L}`, `\p{Greek}` → `\p{Script=Greek}`; POSIX classes
 *   `[[:alpha:]]`; escaped punctuation such as `\-` `\:` `\#` (RE2 allows it, JS `u` mode not).
 * - Semantics aligned: `.` matches anything but `\n` (JS also excludes `\r`, U+2028, U+2029);
 *   `\s` is Go's ASCII `[\t\n\f\r ]` (outside character classes).
 * - RE2-only guarantees: lookarounds and backreferences, which RE2 rejects, are rejected here too.
 * Not bridged: inline flags other than at the start, `(?U)`, a literal `{` that RE2 reads as text
 * (`a{`), and RE2's linear-time guarantee (a pathological pattern can backtrack in JS; relabel
 * configs come from administrators, not from ingested data).
 * `expandTemplate` follows Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`.
 */

export type Re2Regexp = { source: string; re: RegExp };

const FLAG_PREFIX = /^\(\?([a-zA-Z]+)\)/;
const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7F", blank: "\\t ", cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9", graph: "!-~", lower: "a-z", print: " -~", punct: "!-\\/:-@\\[-`{-~", space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z", word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};
/** Characters JS `u` mode accepts after a backslash as themselves. */
const JS_SYNTAX = new Set("^$\\.*+?()[]{}|/");
const GO_SPACE = "\\t\\n\\f\\r ";

/** Compiles `source` as Prometheus does (`^(?:source)$`). Throws Error with a readable message. */
export function compileAnchored(source: string): Re2Regexp {
  let body = source;
  let flags = "u";
  const prefix = FLAG_PREFIX.exec(body);
  if (prefix) {
    for (const f of prefix[1]) {
      if (f === "i" || f === "s" || f === "m") {
        if (!flags.includes(f)) flags += f;
      } else {
        throw new Error(`unsupported flag "${f}" in "(?${prefix[1]})"`);
      }
    }
    body = body.slice(prefix[0].length);
  }
  const translated = translate(body, flags.includes("s"));
  try {
    return { source, re: new RegExp(`^(?:${translated})$`, flags) };
  } catch (err) {
    const detail = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") : String(err);
    throw new Error(detail, { cause: err });
  }
}

function translate(src: string, dotAll: boolean): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      const n = src[i + 1];
      if (n === undefined) throw new Error("trailing backslash");
      i++;
      if (n === "Q") {
        const end = src.indexOf("\\E", i + 1);
        const literal = src.slice(i + 1, end === -1 ? undefined : end);
        out += [...literal].map((ch) => (JS_SYNTAX.has(ch) || ch === "-" ? `\\${ch}` : ch)).join("");
        i = end === -1 ? src.length : end + 1;
      } else if (/[1-9]/.test(n) || n === "k") {
        throw new Error(`backreferences are not supported (RE2): "\\${n}"`);
      } else if (!inClass && n === "A") {
        out += "^";
      } else if (!inClass && n === "z") {
        out += "$";
      } else if (!inClass && n === "s") {
        out += `[${GO_SPACE}]`;
      } else if (!inClass && n === "S") {
        out += `[^${GO_SPACE}]`;
      } else if ((n === "p" || n === "P") && src[i + 1] !== "{" && src[i + 1] !== undefined) {
        out += `\\${n}{${src[i + 1]}}`;
        i++;
      } else if ((n === "p" || n === "P") && src[i + 1] === "{") {
        // Go: one- or two-letter general categories, otherwise a script name (JS: `Script=`).
        const end = src.indexOf("}", i + 2);
        if (end === -1) throw new Error("missing closing } in Unicode class");
        const name = src.slice(i + 2, end);
        out += `\\${n}{${name.length <= 2 ? name : `Script=${name}`}}`;
        i = end;
      } else if (/[!-/:-@[-`{-~]/.test(n) && n !== "_" && !JS_SYNTAX.has(n) && !(inClass && n === "-")) {
        out += n; // escaped punctuation that is not special in JS: the character itself
      } else {
        out += `\\${n}`;
      }
      continue;
    }
    if (inClass) {
      if (c === "[" && src[i + 1] === ":") {
        const end = src.indexOf(":]", i + 2);
        const name = end === -1 ? "" : src.slice(i + 2, end);
        const negated = name.startsWith("^");
        const cls = POSIX_CLASSES[negated ? name.slice(1) : name];
        if (cls === undefined) throw new Error(`invalid character class range "${src.slice(i, end === -1 ? undefined : end + 2)}"`);
        if (negated) throw new Error(`negated POSIX classes are not supported: "[:${name}:]"`);
        out += cls;
        i = end + 1;
        continue;
      }
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal in RE2.
      if (src[i + 1] === "^") {
        out += "^";
        i++;
      }
      if (src[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && src[i + 1] === "?") {
      const rest = src.slice(i + 2);
      if (rest.startsWith("P<")) {
        out += "(?<";
        i += 3;
        continue;
      }
      if (/^(=|!|<=|<!)/.test(rest)) throw new Error("lookaround assertions are not supported (RE2)");
      if (!rest.startsWith(":") && !rest.startsWith("<")) throw new Error("inline flags are only supported at the start of the regex");
    }
    out += c === "." && !dotAll ? "[^\\n]" : c;
  }
  if (inClass) throw new Error("missing closing ]");
  return out;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/**
 * Expands a Go regexp template against a match: `$n`/`${n}` (group number), `$name`/`${name}`
 * (named group), `$$` (a dollar). `$name` takes the longest run of letters, digits and `_`, so
 * `$1x` means group "1x" (empty). Unknown or unmatched groups expand to "". A `$` not followed by
 * a valid name is kept as is.
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf("$", i);
    if (dollar === -1) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === "$") {
      out += "$";
      i++;
      continue;
    }
    const brace = template[i] === "{";
    let j = brace ? i + 1 : i;
    const start = j;
    while (j < template.length) {
      const cp = template.codePointAt(j) as number;
      const ch = String.fromCodePoint(cp);
      if (!NAME_CHAR.test(ch)) break;
      j += ch.length;
    }
    const name = template.slice(start, j);
    if (name === "" || (brace && template[j] !== "}")) {
      out += "$";
      continue;
    }
    i = brace ? j + 1 : j;
    out += groupValue(name, match);
  }
  return out + template.slice(i);
}

function groupValue(name: string, match: RegExpExecArray): string {
  if (/^[0-9]+$/.test(name)) {
    const n = Number(name);
    return n < match.length ? (match[n] ?? "") : "";
  }
  return match.groups?.[name] ?? "";
}
