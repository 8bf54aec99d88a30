/**
 * Small helpers for picking well-known keys out of shipper documents. Documents arrive either
 * nested (`{"log":{"level":"info"}}`) or with dotted keys (`{"log.level":"info"}`); both are read.
 * Objects are never mutated; keys such as `__proto__` are kept as plain data.
 */

export type JsonObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/**
 * Sets an own enumerable property, even for `__proto__`. Plain assignment for every other key:
 * defineProperty on every key is ~10x slower and turns objects into slow dictionaries.
 */
export function setField(obj: JsonObject, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** The value at `path`: the literal key first (`"log.level"`), then the nested path (`log` → `level`). */
export function getPath(obj: JsonObject, path: string): unknown {
  if (Object.hasOwn(obj, path)) return obj[path];
  const dot = path.indexOf(".");
  if (dot < 0) return undefined;
  const head = path.slice(0, dot);
  const child = Object.hasOwn(obj, head) ? obj[head] : undefined;
  return isPlainObject(child) ? getPath(child, path.slice(dot + 1)) : undefined;
}

/** A copy of `obj` without `path` (literal key, else nested); parents left empty by the removal are dropped. */
export function withoutPath(obj: JsonObject, path: string): JsonObject {
  if (Object.hasOwn(obj, path)) return omitKey(obj, path);
  const dot = path.indexOf(".");
  if (dot < 0) return obj;
  const head = path.slice(0, dot);
  const child = Object.hasOwn(obj, head) ? obj[head] : undefined;
  if (!isPlainObject(child)) return obj;
  const rest = withoutPath(child, path.slice(dot + 1));
  if (rest === child) return obj;
  const copy = omitKey(obj, head);
  if (Object.keys(rest).length > 0) setField(copy, head, rest);
  return copy;
}

/**
 * The first of `paths` whose value `read` accepts, and the document without that path. Paths whose
 * value is refused stay in the document (nothing the shipper sent is lost).
 */
export function takeFirst<T>(
  obj: JsonObject,
  paths: readonly string[],
  read: (v: unknown) => T | undefined,
): { value: T | undefined; rest: JsonObject } {
  for (const path of paths) {
    const raw = getPath(obj, path);
    if (raw === undefined) continue;
    const value = read(raw);
    if (value !== undefined) return { value, rest: withoutPath(obj, path) };
  }
  return { value: undefined, rest: obj };
}

/** A string, number or boolean as text; anything else (objects, null) is not text. */
export function asText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return undefined;
}

/** A non-empty string, number or boolean as text. */
export function asNonEmptyText(v: unknown): string | undefined {
  const s = asText(v);
  return s === undefined || s === "" ? undefined : s;
}

/** A log message: text as is, other JSON (objects, arrays) stringified; null/undefined → undefined. */
export function asMessage(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return asText(v) ?? JSON.stringify(v);
}

function omitKey(obj: JsonObject, key: string): JsonObject {
  const copy: JsonObject = {};
  for (const k of Object.keys(obj)) if (k !== key) setField(copy, k, obj[k]);
  return copy;
}
