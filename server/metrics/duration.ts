/** Prometheus durations (`15s`, `1m30s`, `0`), parse and print: PromQL, the HTTP API, scrape configs. Pure, no imports: the UI uses it too. */

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNITS: [string, number][] = [["y", 365 * 86_400_000], ["w", 7 * 86_400_000], ["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]];

/** `1h30m`, `500ms` → ms; undefined when not a unit-suffixed duration (PromQL's duration literals). */
export function parseDurationMs(text: string): number | undefined {
  if (text === "" || !/[a-z]$/i.test(text)) return undefined;
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNITS[i]![1];
  return ms;
}

/** `15s`, `1m30s`, `2h`, `500ms`, `0` → ms; undefined when not a Prometheus duration (configuration files). */
export function parseDuration(text: string): number | undefined {
  return text === "0" ? 0 : parseDurationMs(text);
}

/** ms → the shortest Prometheus duration text (`90000` → `1m30s`), as Prometheus prints them. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
