/** Recent queries (most recent first), kept in localStorage by the page. Pure list logic + a safe storage wrapper. */
export const HISTORY_LIMIT = 20;
const STORAGE_KEY = "lookout.discover.history";

export function pushHistory(list: readonly string[], query: string, limit = HISTORY_LIMIT): string[] {
  const q = query.trim();
  if (!q) return [...list];
  return [q, ...list.filter((x) => x !== q)].slice(0, limit);
}

export function parseHistory(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.trim() !== "").slice(0, HISTORY_LIMIT) : [];
  } catch {
    return [];
  }
}

export function loadHistory(): string[] {
  try {
    return parseHistory(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    return [];
  }
}

export function saveHistory(list: readonly string[]): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
  } catch {
    // Storage full or disabled: history is a convenience.
  }
}
