import type { FieldType } from "@/server/logs/query/ast";

/** Attribute paths (dotted) and the value types seen at each: the field catalog's input. */
export type FieldTypes = Map<string, Set<FieldType>>;

const MAX_DEPTH = 6;
const MAX_PATH_LENGTH = 256;
/** A batch with more distinct paths than this adds no more (runaway keys, e.g. ids used as keys). */
export const MAX_FIELDS_PER_BATCH = 500;

export function addFieldType(into: FieldTypes, path: string, type: FieldType): void {
  if (path.length > MAX_PATH_LENGTH) return;
  let types = into.get(path);
  if (!types) {
    if (into.size >= MAX_FIELDS_PER_BATCH) return;
    into.set(path, (types = new Set()));
  }
  types.add(type);
}

/** Adds the scalar leaves under `value` at `path` (array elements count as the path's values). */
export function addValueTypes(into: FieldTypes, path: string, value: unknown, depth: number): void {
  if (value === null || value === undefined || depth > MAX_DEPTH) return;
  if (typeof value === "string") addFieldType(into, path, "string");
  else if (typeof value === "number") addFieldType(into, path, "number");
  else if (typeof value === "boolean") addFieldType(into, path, "boolean");
  else if (Array.isArray(value)) for (const v of value) addValueTypes(into, path, v, depth + 1);
  else if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    for (const k in obj) addValueTypes(into, path ? `${path}.${k}` : k, obj[k], depth + 1);
  }
}

/** Merges `from` into `into`. */
export function mergeFieldTypes(into: FieldTypes, from: FieldTypes): void {
  for (const [path, types] of from) for (const t of types) addFieldType(into, path, t);
}
