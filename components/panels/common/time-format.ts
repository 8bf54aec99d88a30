/** Timestamps in panels, in the dashboard's time zone (browser-local or UTC). Pure. */
import { format } from "date-fns";

/** `2024-05-01 13:45:00` (`.123` with milliseconds); UTC times carry no suffix, the zone is the dashboard's. */
export function formatPanelTime(ms: number, timezone: "browser" | "utc", withMs = false): string {
  if (!Number.isFinite(ms)) return "";
  if (timezone === "utc") {
    const iso = new Date(ms).toISOString();
    return iso.slice(0, withMs ? 23 : 19).replace("T", " ");
  }
  return format(new Date(ms), withMs ? "yyyy-MM-dd HH:mm:ss.SSS" : "yyyy-MM-dd HH:mm:ss");
}
