/**
 * Token index keys. Text is lower-cased and split into runs of token characters (ASCII letters,
 * digits and `_`, plus any non-ASCII character); each token, and each `field=value` pair of the
 * structured fields, is hashed to a signed 32-bit integer (FNV-1a) so a block's token set fits
 * an int4[] with a GIN index. Collisions only add candidate blocks; every match is verified on the
 * decoded events. Indexing and query tokenisation share `scanTokens`, so they always agree.
 */
export const MAX_TOKEN_LENGTH = 64;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv1a32(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h | 0;
}

export function isTokenChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c > 127;
}

/** Lower-cases one UTF-16 code unit the way the index does. */
export function lower(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c > 127) return String.fromCharCode(c).toLowerCase().charCodeAt(0);
  return c;
}

/**
 * Calls `emit(hash, start, end)` for every token of `text` (no allocation per token).
 * Tokens longer than MAX_TOKEN_LENGTH are skipped.
 */
export function scanTokens(text: string, emit: (hash: number, start: number, end: number) => void): void {
  let h = FNV_OFFSET;
  let start = -1;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (isTokenChar(c)) {
      if (start < 0) {
        start = i;
        h = FNV_OFFSET;
      }
      h ^= lower(c);
      h = Math.imul(h, FNV_PRIME);
    } else if (start >= 0) {
      if (i - start <= MAX_TOKEN_LENGTH) emit(h | 0, start, i);
      start = -1;
    }
  }
}

/** Lower-cased tokens of a text, in order (duplicates kept): for queries and highlighting. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  scanTokens(text, (_h, s, e) => out.push(text.slice(s, e).toLowerCase()));
  return out;
}

/** Hashes of the tokens of `text`, as the index stores them. */
export function tokenHashes(text: string): number[] {
  const out: number[] = [];
  scanTokens(text, (h) => out.push(h));
  return out;
}

/** Adds the hashes of `text`'s tokens to `into`. */
export function addTextTokens(into: { add(v: number): void }, text: string): void {
  scanTokens(text, (h) => into.add(h));
}

/** FNV-1a state after hashing `text` onto `h` (for hashing paths piece by piece). */
export function fnvContinue(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

export const FNV_START = FNV_OFFSET;
const DOT = 46;

/** FNV state of `prefix.key` given the state of `prefix` (or of `key` alone at the root). */
export function fnvPath(prefixState: number, isRoot: boolean, key: string): number {
  let h = prefixState;
  if (!isRoot) {
    h ^= DOT;
    h = Math.imul(h, FNV_PRIME);
  }
  return fnvContinue(h, key);
}

/** `fieldValueKey` for a field whose path was hashed with fnvPath (`pathState`). */
export function fieldValueKeyFromPath(pathState: number, value: string | number | boolean): number {
  let h = pathState ^ 61; // "="
  h = Math.imul(h, FNV_PRIME);
  const v = typeof value === "string" ? value : String(value);
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    h ^= c >= 65 && c <= 90 ? c + 32 : c > 127 ? lower(c) : c;
    h = Math.imul(h, FNV_PRIME);
  }
  return h | 0;
}

/**
 * Key for an exact `field:value` filter: FNV-1a of `field=value` with the value lower-cased,
 * computed without building the string (this runs for every attribute of every event).
 */
export function fieldValueKey(field: string, value: string | number | boolean): number {
  return fieldValueKeyFromPath(fnvContinue(FNV_OFFSET, field), value);
}
