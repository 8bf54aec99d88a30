/**
 * Discover's state in the URL, so a view can be shared and reloaded: the query (`q`), the columns
 * (`col`, repeated, left out when they are the default) and the open saved search (`saved`). The
 * time range stays in `from`/`to` (useTimeRange); other parameters are kept as they are. Pure.
 *
 *   /explore/logs?from=now-1h&to=now&q=level:error&col=level&col=http.status&saved=<uuid>
 */
import { DEFAULT_COLUMNS, isDefaultColumns, MAX_COLUMNS } from "./columns";

export type DiscoverState = { query: string; columns: string[]; savedId: string | null };

const KEYS = new Set(["q", "col", "saved"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeDiscoverState(params: URLSearchParams): DiscoverState {
  const columns = [...new Set(params.getAll("col").map((c) => c.trim()).filter(Boolean))].slice(0, MAX_COLUMNS);
  const saved = params.get("saved");
  return {
    query: params.get("q") ?? "",
    columns: columns.length > 0 ? columns : [...DEFAULT_COLUMNS],
    savedId: saved && UUID.test(saved) ? saved.toLowerCase() : null,
  };
}

/** Writes the state into a copy of `base` (its q/col/saved replaced, everything else kept). */
export function encodeDiscoverState(state: DiscoverState, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of base) if (!KEYS.has(key)) out.append(key, value);
  if (state.query) out.set("q", state.query);
  if (!isDefaultColumns(state.columns)) for (const c of state.columns) out.append("col", c);
  if (state.savedId) out.set("saved", state.savedId);
  return out;
}

/** The Discover URL for a state and time range (saved searches, "open in Discover" links). */
export function discoverHref(state: DiscoverState, range?: { from: string; to: string }): string {
  const base = new URLSearchParams();
  if (range) {
    base.set("from", range.from);
    base.set("to", range.to);
  }
  const qs = encodeDiscoverState(state, base).toString();
  return qs ? `/explore/logs?${qs}` : "/explore/logs";
}
