/**
 * The dashboard's alert annotations (pure parts): the range fetched (the dashboard's, widened to
 * the panels' own time overrides), what the toolbar shows (off, unavailable, an error, the
 * count), and the settings' matcher lines.
 */
import type { AlertPeriod } from "@/server/alerting/alert-periods";
import { safeParseMatchers } from "@/server/alerting/matchers";
import { allVisualPanels, type Dashboard } from "@/server/dashboards/model";
import { panelTimeRange } from "./panel-time";

/** The range covering the dashboard's and every panel's own (timeFrom, timeShift): one fetch for all. */
export function annotationFetchRange(range: { start: number; end: number }, dashboard: Pick<Dashboard, "panels">): { start: number; end: number } {
  let { start, end } = range;
  for (const p of allVisualPanels(dashboard)) {
    if (!p.timeFrom && !p.timeShift) continue;
    const t = panelTimeRange(range, p);
    start = Math.min(start, t.start);
    end = Math.max(end, t.end);
  }
  return { start: Math.max(0, start), end: Math.max(0, end) };
}

/** Whether a tRPC error is a permission denial (the caller lacks alerts:read). */
export function isForbiddenError(err: unknown): boolean {
  const data = (err as { data?: { code?: string; httpStatus?: number } } | null | undefined)?.data;
  return data?.code === "FORBIDDEN" || data?.httpStatus === 403;
}

export type AlertAnnotationsStatus =
  | { state: "off" }
  /** The viewer may not read alerts: no annotations, no error. */
  | { state: "unavailable" }
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ok"; count: number; truncated: boolean };

/** What panels draw and what the toolbar says, from the setting, the permission and the query. */
export function alertAnnotationsStatus(input: {
  enabled: boolean;
  /** Known (the page's permissions) or learnt (a FORBIDDEN answer) lack of alerts:read. */
  forbidden: boolean;
  data: { periods: AlertPeriod[]; truncated: boolean } | undefined;
  error: unknown;
}): { periods: readonly AlertPeriod[] | undefined; status: AlertAnnotationsStatus } {
  if (input.forbidden || isForbiddenError(input.error)) return { periods: undefined, status: { state: "unavailable" } };
  if (!input.enabled) return { periods: undefined, status: { state: "off" } };
  if (input.error) return { periods: input.data?.periods, status: { state: "error", message: (input.error as Error).message || "could not load alert annotations" } };
  if (!input.data) return { periods: undefined, status: { state: "loading" } };
  return { periods: input.data.periods, status: { state: "ok", count: input.data.periods.length, truncated: input.data.truncated } };
}

/** The toolbar toggle's tooltip. */
export function alertAnnotationsTitle(status: AlertAnnotationsStatus, shown: boolean): string {
  if (!shown) return "Alert annotations hidden: show firing and pending periods on the graphs";
  switch (status.state) {
    case "error":
      return `Alert annotations could not be loaded: ${status.message}`;
    case "ok":
      return `Alert annotations: ${status.count} period${status.count === 1 ? "" : "s"} in range${status.truncated ? " (some left out)" : ""}. Click to hide.`;
    default:
      return "Alert annotations shown. Click to hide.";
  }
}

/**
 * The settings' matcher text: one Alertmanager matcher list per line (`severity="critical"`,
 * `{team="ops", env=~"prod.*"}`); blank lines ignored. `matchers` is undefined when there are
 * none; `errors` names each line that does not parse.
 */
export function parseMatcherLines(text: string): { matchers: string[] | undefined; errors: string[] } {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const errors: string[] = [];
  lines.forEach((line, i) => {
    const r = safeParseMatchers(line);
    if (!r.ok) errors.push(`Line ${i + 1}: ${r.error}`);
  });
  return { matchers: lines.length ? lines : undefined, errors };
}
