/**
 * The `route` label of Lookout's HTTP metrics: the route handler's pattern as its folder declares
 * it (`/api/v1/label/[name]/values`, `/metrics/job/[...grouping]`), rebuilt from the request path
 * and the dynamic segments' values Next.js passes to the handler, so the label never carries a
 * value from the URL. Pure.
 */

/** The label when a dynamic value cannot be found in the path (a rewrite): never the raw URL. */
export const UNMATCHED_ROUTE = "other";

type Params = Record<string, string | string[] | undefined>;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * `pathname` with each dynamic value replaced by its `[name]` (a catch-all's run of segments by
 * one `[...name]`). A single value goes at its first unreplaced occurrence, a catch-all at the last
 * run that matches (catch-alls end a route). Without params the pathname is the route itself.
 */
export function routePattern(pathname: string, params: Params | undefined): string {
  const segments: (string | null)[] = pathname.split("/");
  const decoded = segments.map((s) => decode(s!));
  const replaced = new Set<number>();
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      let at = -1;
      for (let i = segments.length - value.length; i >= 1 && at < 0; i--) {
        if (value.every((v, k) => !replaced.has(i + k) && decoded[i + k] === v)) at = i;
      }
      if (at < 0) return UNMATCHED_ROUTE;
      segments[at] = `[...${name}]`;
      replaced.add(at);
      for (let k = 1; k < value.length; k++) {
        segments[at + k] = null;
        replaced.add(at + k);
      }
    } else {
      const at = decoded.findIndex((d, i) => i >= 1 && !replaced.has(i) && d === value);
      if (at < 0) return UNMATCHED_ROUTE;
      segments[at] = `[${name}]`;
      replaced.add(at);
    }
  }
  return segments.filter((s) => s !== null).join("/") || "/";
}

/** The params of a route handler's second argument (`{ params: Promise<…> }` in Next.js 15+), if any. */
export async function routeParams(context: unknown): Promise<Params | undefined> {
  if (!context || typeof context !== "object" || !("params" in context)) return undefined;
  const params = (await (context as { params: unknown }).params) as unknown;
  return params && typeof params === "object" ? (params as Params) : undefined;
}
