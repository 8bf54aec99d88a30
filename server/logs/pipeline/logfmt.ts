/**
 * logfmt / key=value parsing: `level=info msg="user logged in" took=12ms verbose`.
 * Keys run up to `=` or whitespace; values are bare (up to whitespace) or double/single quoted
 * with backslash escapes (`\"`, `\\`, `\n`, `\t`); a key without `=` is `true`; `key=` is "".
 * Values stay strings. Text that is not key=value (a stray quote, `=x`) is skipped.
 */
export function parseLogfmt(text: string): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && text[i] !== "=" && !isSpace(text.charCodeAt(i))) i++;
    const key = text.slice(keyStart, i);
    if (text[i] !== "=") {
      if (key !== "" && !key.includes('"')) out[key] = true;
      continue;
    }
    i++; // '='
    let value: string;
    const q = text[i];
    if (q === '"' || q === "'") {
      i++;
      let v = "";
      let chunk = i;
      while (i < n && text[i] !== q) {
        if (text[i] === "\\" && i + 1 < n) {
          v += text.slice(chunk, i);
          const e = text[i + 1]!;
          v += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e;
          i += 2;
          chunk = i;
        } else i++;
      }
      v += text.slice(chunk, i);
      if (i < n) i++; // closing quote (an unterminated value runs to the end)
      value = v;
    } else {
      const start = i;
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      value = text.slice(start, i);
    }
    if (key !== "") out[key] = value;
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
