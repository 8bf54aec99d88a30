/** Unit formatting for the console (pure). */

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/**
 * Bytes in IEC units: 0 → "0 B", 1536 → "1.5 KiB", 10_485_760 → "10 MiB".
 * One decimal below 10 of a unit, none above; null / non-finite → "—".
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  const sign = bytes < 0 ? "-" : "";
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${sign}${Math.round(v)} B`;
  // 1023.96 KiB would print as "1024 KiB"; carry it to the next unit.
  if (Math.round(v) >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const text = v < 9.95 ? v.toFixed(1) : Math.round(v).toString();
  return `${sign}${text} ${BYTE_UNITS[i]}`;
}

/** Milliseconds for latencies: 0.4 → "0.4 ms", 12.34 → "12 ms", 2500 → "2.5 s"; null → "—". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 10) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Math.round(ms / 100) / 10} s`;
}

/** Thousands separators for counts: 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "—";
}
