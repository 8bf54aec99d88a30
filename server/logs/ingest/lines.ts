/** Splitting newline-delimited bodies (NDJSON, Elasticsearch bulk) without decoding over-long lines. */

/** 1 MiB: longer lines are rejected one by one (the rest of the body is still read). */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** One non-blank line: its 0-based line number and text, or the byte length when over the limit. */
export type Line = { index: number; text: string } | { index: number; tooLong: number };

const LF = 0x0a;
const CR = 0x0d;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Lines of a body split on LF (CRLF accepted), blank lines left out, a leading UTF-8 BOM ignored,
 * a last line without LF included. Lines over `maxLineBytes` are reported by length, not decoded.
 */
export function splitLines(body: Buffer, maxLineBytes: number = DEFAULT_MAX_LINE_BYTES): Line[] {
  const lines: Line[] = [];
  let start = body.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0;
  for (let index = 0; start < body.length; index++) {
    const lf = body.indexOf(LF, start);
    const next = lf < 0 ? body.length : lf + 1;
    let end = lf < 0 ? body.length : lf;
    if (end > start && body[end - 1] === CR) end--;
    const line = readLine(body, start, end, index, maxLineBytes);
    if (line) lines.push(line);
    start = next;
  }
  return lines;
}

function readLine(body: Buffer, start: number, end: number, index: number, maxLineBytes: number): Line | null {
  const length = end - start;
  if (length > maxLineBytes) return { index, tooLong: length };
  const text = body.toString("utf8", start, end);
  return text.trim() === "" ? null : { index, text };
}
