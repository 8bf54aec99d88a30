/** Number formatting for Settings → Sources (pure). */
import { formatBytes, formatCount } from "@/server/lib/units";

/** Events per second: 0 → "0", 0.25 → "0.3", 12.4 → "12", 1234 → "1,234". */
export function formatEventRate(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return "0";
  if (n < 10) return (Math.round(n * 10) / 10).toString();
  return formatCount(n);
}

/** Bytes per second: 0 → "0 B/s", 1536 → "1.5 KiB/s". */
export function formatByteRate(n: number): string {
  return `${formatBytes(Number.isFinite(n) && n > 0 ? n : 0)}/s`;
}

/**
 * How much smaller the stored blocks are than the raw events: raw 1000, stored 250 → "4.0×";
 * "—" when nothing is stored yet. One decimal below 10×, none above.
 */
export function compressionRatio(rawBytes: number, storedBytes: number): string {
  if (!(storedBytes > 0) || !(rawBytes > 0)) return "—";
  const r = rawBytes / storedBytes;
  return `${r < 9.95 ? r.toFixed(1) : Math.round(r)}×`;
}
