import { ByteReader, ByteWriter, CorruptBlockError } from "./bytes";

/**
 * String columns of block payloads (ids, messages, attribute values): kind byte 0, then per
 * string a varint (0 = null, else its length in UTF-16 code units + 1), then the UTF-8 of all
 * strings concatenated (no escaping); or kind byte 1 and JSON of the columns, when the
 * concatenation has a lone surrogate (UTF-8 cannot carry one; JSON escapes it).
 */

type WellFormed = { isWellFormed(): boolean };

export function encodeStrings(columns: readonly (readonly (string | null)[])[]): Buffer {
  const parts: string[] = [];
  let count = 0;
  for (const c of columns) count += c.length;
  const lengths = new ByteWriter(1 + count * 5);
  lengths.byte(0);
  for (const c of columns) {
    for (const s of c) {
      if (s === null) lengths.varintUnchecked(0);
      else {
        lengths.varintUnchecked(s.length + 1);
        parts.push(s);
      }
    }
  }
  const text = parts.join("");
  if (!(text as unknown as WellFormed).isWellFormed()) return Buffer.from("\u0001" + JSON.stringify(columns));
  lengths.utf8(text);
  return lengths.bytes();
}

export function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CorruptBlockError(`${name} section: ${(e as Error).message}`, { cause: e });
  }
}

/** `ncols` columns of `n` strings each, from what encodeStrings wrote. */
export function decodeStrings(buf: Buffer, n: number, ncols: number, name: string): (string | null)[][] {
  const r = new ByteReader(buf);
  const kind = r.byte();
  if (kind === 1) {
    const cols = parseJson(r.restUtf8(), name);
    if (!Array.isArray(cols) || cols.length !== ncols || !cols.every((c) => Array.isArray(c) && c.length === n && c.every((s) => s === null || typeof s === "string"))) {
      throw new CorruptBlockError(`${name} section: bad columns`);
    }
    return cols as (string | null)[][];
  }
  if (kind !== 0) throw new CorruptBlockError(`${name} section: string column kind ${kind}`);
  if (n * ncols > buf.length) throw new CorruptBlockError(`${name} section: ${n * ncols} strings in ${buf.length} bytes`);
  const lengths = new Array<number>(n * ncols);
  for (let i = 0; i < lengths.length; i++) lengths[i] = r.varint();
  const text = r.restUtf8();
  const out: (string | null)[][] = [];
  let at = 0;
  for (let c = 0; c < ncols; c++) {
    const col = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const len = lengths[c * n + i]!;
      if (len === 0) col[i] = null;
      else {
        if (at + len - 1 > text.length) throw new CorruptBlockError(`${name} section: lengths overrun the text`);
        col[i] = text.slice(at, at + len - 1);
        at += len - 1;
      }
    }
    out.push(col);
  }
  if (at !== text.length) throw new CorruptBlockError(`${name} section: lengths cover ${at} of ${text.length} characters`);
  return out;
}

/**
 * The `count` strings of what encodeStrings wrote (one column), concatenated in order without
 * separators, without splitting them apart: for substring tests that may err only towards a match.
 */
export function concatenatedStrings(buf: Buffer, count: number, name: string): string {
  const r = new ByteReader(buf);
  const kind = r.byte();
  if (kind === 1) {
    const cols = parseJson(r.restUtf8(), name);
    if (!Array.isArray(cols) || !cols.every((c) => Array.isArray(c))) throw new CorruptBlockError(`${name} section: bad columns`);
    return (cols as unknown[][]).map((c) => c.filter((s) => typeof s === "string").join("")).join("");
  }
  if (kind !== 0) throw new CorruptBlockError(`${name} section: string column kind ${kind}`);
  for (let i = 0; i < count; i++) r.varint();
  return r.restUtf8();
}
