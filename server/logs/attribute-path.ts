/** Attribute path lookup shared by the server and the browser (pure). */

/**
 * The value at a dotted attribute path: the exact key first, then walking the dots, the longest
 * key first at each level (`{"a": {"b.c": 1}}`). Queries, the block store's attribute columns and
 * the Discover table all use this rule.
 */
export function attributeAt(attrs: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(attrs, path)) return attrs[path];
  const segs = path.split(".");
  let cur: unknown = attrs;
  for (let i = 0; i < segs.length; i++) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    const obj = cur as Record<string, unknown>;
    let found = false;
    for (let j = segs.length; j > i; j--) {
      const key = segs.slice(i, j).join(".");
      if (Object.hasOwn(obj, key)) {
        cur = obj[key];
        i = j - 1;
        found = true;
        break;
      }
    }
    if (!found) return undefined;
  }
  return cur;
}
