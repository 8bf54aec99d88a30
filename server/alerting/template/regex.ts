/**
 * Go (RE2) regular expressions as templates use them (`match`, `reReplaceAll`), translated to
 * JavaScript: leading flag groups `(?i)` `(?s)` `(?m)`, named groups `(?P<name>…)`, `\A` `\z`,
 * `\Q…\E`, POSIX classes `[[:alpha:]]`, `\pL`. Replacement strings expand as Go's
 * Regexp.Expand (`$1`, `${1}`, `$name`, `${name}`, `$$`; `$1x` is the group named `1x`). Pure.
 */
import { EvalError } from "./errors";

const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const cache = new Map<string, RegExp>();
const CACHE_MAX = 200;

/** Compiles a Go regular expression (unanchored, as regexp.MatchString) or throws EvalError. */
export function goRegExp(pattern: string, global = false): RegExp {
  const key = `${global ? "g" : "-"}${pattern}`;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let flags = global ? "g" : "";
  let src = pattern;
  // Leading flag groups: (?i) (?s) (?m) (?is) …
  for (;;) {
    const m = /^\(\?([imsU]+)\)/.exec(src);
    if (!m) break;
    for (const f of m[1]!) {
      if (f === "U") throw new EvalError(`error parsing regexp: ungreedy flag (?U) is not supported: \`${pattern}\``);
      if (!flags.includes(f)) flags += f;
    }
    src = src.slice(m[0].length);
  }
  let out = "";
  let inClass = false;
  let needsUnicode = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      const d = src[i + 1];
      if (d === undefined) throw new EvalError(`error parsing regexp: trailing backslash at end of expression: \`${pattern}\``);
      if (d === "Q") {
        const end = src.indexOf("\\E", i + 2);
        const literal = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (!inClass && d === "A") {
        out += "^";
        i++;
        continue;
      }
      if (!inClass && d === "z") {
        out += "$(?![\\s\\S])";
        i++;
        continue;
      }
      if (d === "p" || d === "P") {
        needsUnicode = true;
        if (src[i + 2] === "{") {
          const close = src.indexOf("}", i + 3);
          if (close < 0) throw new EvalError(`error parsing regexp: invalid character class range: \`${pattern}\``);
          out += `\\${d}{${src.slice(i + 3, close)}}`;
          i = close;
        } else {
          out += `\\${d}{${src[i + 2] ?? ""}}`;
          i += 2;
        }
        continue;
      }
      out += c + d;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[" && src[i + 1] === ":") {
        const close = src.indexOf(":]", i + 2);
        if (close > 0) {
          let name = src.slice(i + 2, close);
          const negated = name.startsWith("^");
          if (negated) name = name.slice(1);
          const set = POSIX[name];
          if (!set) throw new EvalError(`error parsing regexp: invalid character class range: \`[:${name}:]\``);
          if (negated) throw new EvalError(`error parsing regexp: negated POSIX classes are not supported: \`${pattern}\``);
          out += set;
          i = close + 1;
          continue;
        }
      }
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") {
        out += "^";
        i++;
      }
      // A leading ] is literal in RE2.
      if (src[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && src.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
      continue;
    }
    if (c === "(" && src[i + 1] === "?" && /^\(\?[imsU-]+[:)]/.test(src.slice(i))) {
      throw new EvalError(`error parsing regexp: inline flags inside the expression are not supported (put them at the start): \`${pattern}\``);
    }
    out += c;
  }
  let re: RegExp;
  try {
    re = new RegExp(out, flags + (needsUnicode ? "u" : ""));
  } catch (err) {
    throw new EvalError(`error parsing regexp: ${(err as Error).message.replace(/^Invalid regular expression: /, "")}`);
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, re);
  return re;
}

/** regexp.MatchString(pattern, text). */
export function goMatch(pattern: string, text: string): boolean {
  return goRegExp(pattern).test(text);
}

/** Regexp.ReplaceAllString(text, repl) with Go's `$` expansion. */
export function goReplaceAll(pattern: string, repl: string, text: string): string {
  const re = goRegExp(pattern, true);
  return text.replace(re, (...args: unknown[]) => {
    // (match, g1, …, gN, offset, string, groups?)
    const hasGroups = typeof args[args.length - 1] === "object" && args[args.length - 1] !== null;
    const groups = (hasGroups ? args[args.length - 1] : {}) as Record<string, string | undefined>;
    const positional = args.slice(0, hasGroups ? -3 : -2) as (string | undefined)[];
    return expand(repl, positional, groups);
  });
}

function expand(template: string, positional: (string | undefined)[], named: Record<string, string | undefined>): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== "$") {
      out += c;
      continue;
    }
    const next = template[i + 1];
    if (next === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (next === "{") {
      const close = template.indexOf("}", i + 2);
      const inner = close < 0 ? "" : template.slice(i + 2, close);
      if (close < 0 || !/^[\p{L}\p{N}_]+$/u.test(inner)) {
        out += "$";
        continue;
      }
      name = inner;
      end = close;
    } else {
      const m = /^[\p{L}\p{N}_]+/u.exec(template.slice(i + 1));
      if (!m) {
        out += "$";
        continue;
      }
      name = m[0];
      end = i + m[0].length;
    }
    if (/^[0-9]+$/.test(name)) out += positional[Number(name)] ?? "";
    else out += named[name] ?? "";
    i = end;
  }
  return out;
}
