/**
 * Label-matcher and label_replace regexes: Go RE2 syntax, fully anchored, on JS RegExp. Builds on
 * the relabel translator (server/metrics/relabel/regex.ts) and adds what it leaves out: inline
 * case-insensitivity anywhere in the pattern (`(?i:PRO).*`, `.*((?i)duc).*`), which Node's
 * RegExp lacks, rewritten as character classes (`[pP][rR][oO]`).
 */
import { compileAnchored } from "../../relabel/regex";

const cache = new Map<string, RegExp>();

/**
 * Compiles `^(?:source)$` with RE2 semantics; `dotAll` makes `.` match newlines too (what
 * label_replace's `(?s:…)` wrapping does). Throws Error on invalid syntax. Cached.
 */
export function compilePromRegex(source: string, dotAll = false): RegExp {
  const key = (dotAll ? "s:" : "-:") + source;
  let re = cache.get(key);
  if (!re) {
    const body = /\(\?[a-zA-Z-]*[:)]/.test(source) ? foldInlineFlags(source) : source;
    re = compileAnchored(dotAll ? `(?s)${body}` : body).re;
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

function swapCase(c: string): string {
  const l = c.toLowerCase();
  return l === c ? c.toUpperCase() : l;
}

function isLetter(c: string): boolean {
  return c.toLowerCase() !== c.toUpperCase();
}

/** Rewrites inline `i` flags as explicit case classes; other inline flags are dropped. */
export function foldInlineFlags(src: string): string {
  let out = "";
  let ci = false;
  const stack: boolean[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      const n = src[i + 1] ?? "";
      if ((n === "p" || n === "P") && src[i + 2] === "{") {
        const end = src.indexOf("}", i + 3);
        const stop = end === -1 ? src.length : end + 1;
        out += src.slice(i, stop);
        i = stop - 1;
      } else if (n === "Q") {
        const end = src.indexOf("\\E", i + 2);
        const literal = src.slice(i + 2, end === -1 ? undefined : end);
        for (const ch of literal) out += ci && isLetter(ch) ? `[${ch}${swapCase(ch)}]` : /[\w\s]/.test(ch) ? ch : `\\${ch}`;
        i = end === -1 ? src.length : end + 1;
      } else {
        out += c + n;
        i++;
      }
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      let body = "";
      if (src[j] === "^") {
        body += "^";
        j++;
      }
      if (src[j] === "]") {
        body += "\\]";
        j++;
      }
      let extra = "";
      for (; j < src.length && src[j] !== "]"; j++) {
        const d = src[j];
        if (d === "\\") {
          body += d + (src[j + 1] ?? "");
          j++;
        } else if (d === "[" && src[j + 1] === ":") {
          const end = src.indexOf(":]", j + 2);
          const stop = end === -1 ? src.length : end + 2;
          body += src.slice(j, stop);
          j = stop - 1;
        } else if (ci && isLetter(d) && src[j + 1] === "-" && src[j + 2] !== undefined && src[j + 2] !== "]" && isLetter(src[j + 2])) {
          body += d + "-" + src[j + 2];
          extra += swapCase(d) + "-" + swapCase(src[j + 2]);
          j += 2;
        } else {
          body += d;
          if (ci && isLetter(d)) extra += swapCase(d);
        }
      }
      out += `[${body}${extra}]`;
      i = j;
      continue;
    }
    if (c === "(") {
      const flags = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(src.slice(i));
      if (flags) {
        let next: boolean = ci;
        if (flags[1].includes("i")) next = true;
        if (flags[2]?.includes("i")) next = false;
        if (flags[3] === ")") {
          ci = next;
        } else {
          stack.push(ci);
          ci = next;
          out += "(?:";
        }
        i += flags[0].length - 1;
        continue;
      }
      stack.push(ci);
      out += c;
      continue;
    }
    if (c === ")") {
      ci = stack.pop() ?? false;
      out += c;
      continue;
    }
    out += ci && isLetter(c) ? `[${c}${swapCase(c)}]` : c;
  }
  return out;
}
