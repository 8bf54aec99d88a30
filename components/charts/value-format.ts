/**
 * Value formatting for chart axes and tooltips, by unit (Grafana's unit ids). Pure; builds on
 * server/lib/units.ts (pure, safe in the browser).
 */
import { formatBytes, formatMs } from "@/server/lib/units";

export const UNITS = [
  { id: "short", label: "Short (1.2 K)" },
  { id: "none", label: "None (raw number)" },
  { id: "bytes", label: "Bytes (IEC)" },
  { id: "s", label: "Seconds" },
  { id: "ms", label: "Milliseconds" },
  { id: "percent", label: "Percent (0–100)" },
  { id: "percentunit", label: "Percent (0.0–1.0)" },
] as const;

export type UnitId = (typeof UNITS)[number]["id"];

export function isUnitId(v: string): v is UnitId {
  return UNITS.some((u) => u.id === v);
}

const SI = [
  { v: 1e12, s: "T" },
  { v: 1e9, s: "G" },
  { v: 1e6, s: "M" },
  { v: 1e3, s: "K" },
] as const;

/** Up to `digits` significant digits, no trailing zeros: 1.230 → "1.23", 12345.6 → "12346". */
function trimmed(v: number, digits = 3): string {
  if (v === 0) return "0";
  const abs = Math.abs(v);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return Number(v.toFixed(Math.min(decimals, 10))).toString();
}

/** 1234 → "1.23 K", 0.5 → "0.5", 2e9 → "2 G". */
export function formatShort(v: number): string {
  const abs = Math.abs(v);
  for (const { v: size, s } of SI) if (abs >= size) return `${trimmed(v / size)} ${s}`;
  if (abs > 0 && abs < 1e-3) return v.toExponential(1);
  return trimmed(v);
}

/** Seconds as a readable duration: 0.0042 → "4.2 ms", 75 → "1.25 min", 7200 → "2 h". */
export function formatSeconds(s: number): string {
  const abs = Math.abs(s);
  if (abs === 0) return "0 s";
  if (abs < 1) {
    if (abs < 1e-3) return `${trimmed(s * 1e6)} µs`;
    return formatMs(s * 1000);
  }
  if (abs < 60) return `${trimmed(s)} s`;
  if (abs < 3600) return `${trimmed(s / 60)} min`;
  if (abs < 86_400) return `${trimmed(s / 3600)} h`;
  return `${trimmed(s / 86_400)} day`;
}

/** A sample value in `unit`. NaN/±Inf are shown as Prometheus writes them. */
export function formatValue(v: number | null | undefined, unit: UnitId = "short"): string {
  if (v === null || v === undefined) return "—";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  switch (unit) {
    case "none":
      return String(v);
    case "bytes":
      return formatBytes(v);
    case "s":
      return formatSeconds(v);
    case "ms":
      return Math.abs(v) >= 60_000 ? formatSeconds(v / 1000) : formatMs(v);
    case "percent":
      return `${trimmed(v)}%`;
    case "percentunit":
      return `${trimmed(v * 100)}%`;
    default:
      return formatShort(v);
  }
}
