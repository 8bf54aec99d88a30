import { formatDistanceToNowStrict } from "date-fns";
import { formatTime } from "@/server/lib/time";

/** Table date cells: absolute local time; null → the fallback. */
export function dateText(d: Date | string | null | undefined, fallback = "—"): string {
  if (!d) return fallback;
  return formatTime(typeof d === "string" ? new Date(d) : d);
}

/** "3 minutes ago" / "in 5 days"; null → the fallback. */
export function relativeText(d: Date | string | null | undefined, fallback = "never"): string {
  if (!d) return fallback;
  return formatDistanceToNowStrict(typeof d === "string" ? new Date(d) : d, { addSuffix: true });
}
