/**
 * Prometheus durations for PromQL literals, the HTTP API and scrape configs. Configuration-file
 * durations (`0` allowed, strict unit order) and their printing are server/lib/duration.ts; this
 * adds PromQL's literal check. Pure, no Node imports: the UI uses it too.
 */
import { formatDuration as formatPromDuration, tryParseDuration } from "@/server/lib/duration";

/** `1h30m`, `500ms` → ms; undefined when not a unit-suffixed duration (PromQL's duration literals). */
export function parseDurationMs(text: string): number | undefined {
  if (text === "" || !/[a-z]$/i.test(text)) return undefined;
  return tryParseDuration(text) ?? undefined;
}

/** `15s`, `1m30s`, `2h`, `500ms`, `0` → ms; undefined when not a Prometheus duration (configuration files). */
export function parseDuration(text: string): number | undefined {
  return tryParseDuration(text) ?? undefined;
}

/** ms → the Prometheus text of a duration (`90000` → `1m30s`; weeks and years only when exact). */
export function formatDuration(ms: number): string {
  return formatPromDuration(ms);
}
