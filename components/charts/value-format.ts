/**
 * Value formatting for chart axes, tooltips and panels, by unit (Grafana's unit ids, so imported
 * dashboards keep their units). Pure; builds on server/lib/units.ts (pure, safe in the browser).
 *
 * Without `decimals` numbers keep about three significant digits; with it, exactly that many
 * decimals after scaling (`1.50 KiB`). Unknown units format as `short`; Grafana's custom
 * `suffix:<text>` and `prefix:<text>` units are understood too.
 */
import { formatBytes, formatMs } from "@/server/lib/units";

export const UNITS = [
  { id: "short", label: "Short (1.2 K)", group: "Misc" },
  { id: "none", label: "None (raw number)", group: "Misc" },
  { id: "locale", label: "Locale (1,234.5)", group: "Misc" },
  { id: "percent", label: "Percent (0–100)", group: "Misc" },
  { id: "percentunit", label: "Percent (0.0–1.0)", group: "Misc" },
  { id: "bytes", label: "Bytes (IEC)", group: "Data" },
  { id: "decbytes", label: "Bytes (SI)", group: "Data" },
  { id: "bits", label: "Bits (IEC)", group: "Data" },
  { id: "decbits", label: "Bits (SI)", group: "Data" },
  { id: "kbytes", label: "Kibibytes", group: "Data" },
  { id: "mbytes", label: "Mebibytes", group: "Data" },
  { id: "gbytes", label: "Gibibytes", group: "Data" },
  { id: "Bps", label: "Bytes/sec (SI)", group: "Data rate" },
  { id: "binBps", label: "Bytes/sec (IEC)", group: "Data rate" },
  { id: "bps", label: "Bits/sec (SI)", group: "Data rate" },
  { id: "binbps", label: "Bits/sec (IEC)", group: "Data rate" },
  { id: "pps", label: "Packets/sec", group: "Data rate" },
  { id: "ns", label: "Nanoseconds", group: "Time" },
  { id: "µs", label: "Microseconds", group: "Time" },
  { id: "ms", label: "Milliseconds", group: "Time" },
  { id: "s", label: "Seconds", group: "Time" },
  { id: "m", label: "Minutes", group: "Time" },
  { id: "h", label: "Hours", group: "Time" },
  { id: "d", label: "Days", group: "Time" },
  { id: "dtdurations", label: "Duration (s) as 1h 2m 3s", group: "Time" },
  { id: "dtdurationms", label: "Duration (ms) as 1h 2m 3s", group: "Time" },
  { id: "reqps", label: "Requests/sec (req/s)", group: "Throughput" },
  { id: "reqpm", label: "Requests/min (req/min)", group: "Throughput" },
  { id: "rps", label: "Reads/sec (rd/s)", group: "Throughput" },
  { id: "wps", label: "Writes/sec (wr/s)", group: "Throughput" },
  { id: "iops", label: "I/O ops/sec (io/s)", group: "Throughput" },
  { id: "ops", label: "Ops/sec (ops/s)", group: "Throughput" },
  { id: "opm", label: "Ops/min (ops/min)", group: "Throughput" },
  { id: "cps", label: "Counts/sec (c/s)", group: "Throughput" },
  { id: "celsius", label: "Celsius (°C)", group: "Temperature" },
  { id: "fahrenheit", label: "Fahrenheit (°F)", group: "Temperature" },
  { id: "hertz", label: "Hertz (Hz)", group: "Misc" },
  { id: "currencyUSD", label: "Dollars ($)", group: "Currency" },
  { id: "currencyEUR", label: "Euros (€)", group: "Currency" },
  { id: "currencyGBP", label: "Pounds (£)", group: "Currency" },
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

/** Three significant digits, or exactly `decimals` decimals when given. */
function num(v: number, decimals: number | undefined): string {
  if (decimals === undefined) return trimmed(v);
  const text = v.toFixed(decimals);
  // "-0.00" reads as noise.
  return Number(text) === 0 ? (0).toFixed(decimals) : text;
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

/** A formatted value in pieces, so a panel can draw the unit smaller (Grafana's stat does). */
export interface FormattedValue {
  prefix?: string;
  text: string;
  /** Includes its leading space when there is one (`" KiB"`, `"%"`). */
  suffix?: string;
}

const parts = (text: string, suffix?: string, prefix?: string): FormattedValue => ({ text, ...(suffix ? { suffix } : {}), ...(prefix ? { prefix } : {}) });

/** "1.5 KiB" → text "1.5", suffix " KiB". */
function splitAtSpace(s: string): FormattedValue {
  const i = s.indexOf(" ");
  return i < 0 ? parts(s) : parts(s.slice(0, i), s.slice(i));
}

type Scale = { base: number; prefixes: readonly string[] };
const SI_SCALE: Scale = { base: 1000, prefixes: ["", "k", "M", "G", "T", "P", "E"] };
const IEC_SCALE: Scale = { base: 1024, prefixes: ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"] };
const COUNT_SCALE: Scale = { base: 1000, prefixes: ["", "K", "M", "G", "T", "P", "E"] };

/** `v` scaled to the largest prefix under it: scaled(1536, IEC, "B") → "1.5", " KiB". */
function scaled(v: number, scale: Scale, symbol: string, decimals: number | undefined, startAt = 0): FormattedValue {
  let x = v;
  let i = startAt;
  while (Math.abs(x) >= scale.base && i < scale.prefixes.length - 1) {
    x /= scale.base;
    i++;
  }
  let text = num(x, decimals);
  // 1023.96 KiB would print as "1024 KiB": carry to the next prefix.
  if (Math.abs(Number(text)) >= scale.base && i < scale.prefixes.length - 1) {
    x /= scale.base;
    i++;
    text = num(x, decimals);
  }
  const unit = `${scale.prefixes[i]}${symbol}`;
  return parts(text, unit ? ` ${unit}` : undefined);
}

/** A duration in seconds in the largest unit under it, from nanoseconds to days. */
function duration(s: number, decimals: number | undefined): FormattedValue {
  const abs = Math.abs(s);
  if (abs === 0) return parts(num(0, decimals), " s");
  const steps: [number, string][] = [
    [86_400, "day"],
    [3600, "h"],
    [60, "min"],
    [1, "s"],
    [1e-3, "ms"],
    [1e-6, "µs"],
    [1e-9, "ns"],
  ];
  for (const [size, unit] of steps) if (abs >= size) return parts(num(s / size, decimals), ` ${unit}`);
  return parts(num(s / 1e-9, decimals), " ns");
}

/** 3725 s → "1h 2m 5s" (the largest `maxParts` non-zero parts; below a second, ms). */
export function formatDurationParts(seconds: number, maxParts = 3): string {
  if (seconds === 0) return "0s";
  const sign = seconds < 0 ? "-" : "";
  let ms = Math.round(Math.abs(seconds) * 1000);
  if (ms === 0) return `${sign}${trimmed(Math.abs(seconds) * 1000)}ms`;
  const units: [number, string][] = [
    [365 * 86_400_000, "y"],
    [7 * 86_400_000, "w"],
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "m"],
    [1000, "s"],
    [1, "ms"],
  ];
  const out: string[] = [];
  for (const [size, unit] of units) {
    if (out.length >= maxParts) break;
    const n = Math.floor(ms / size);
    if (n > 0) {
      out.push(`${n}${unit}`);
      ms -= n * size;
    } else if (out.length > 0) {
      // Parts are consecutive: "1h 0m 5s" would be odd, stop at the first gap.
      break;
    }
  }
  return sign + out.join(" ");
}

/** Money: "$12.35", "$1.23K", "-$5"; K/M/B/T above a thousand. */
function currency(v: number, symbol: string, decimals: number | undefined): FormattedValue {
  const abs = Math.abs(v);
  const sign = v < 0 ? "-" : "";
  const steps: [number, string][] = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ];
  for (const [size, s] of steps) if (abs >= size) return parts(num(abs / size, decimals), s, `${sign}${symbol}`);
  const text = decimals === undefined ? Number(abs.toFixed(2)).toString() : abs.toFixed(decimals);
  return parts(text, undefined, `${sign}${symbol}`);
}

const RATE_SUFFIX: Record<string, string> = {
  reqps: "req/s",
  reqpm: "req/min",
  rps: "rd/s",
  wps: "wr/s",
  iops: "io/s",
  ops: "ops/s",
  opm: "ops/min",
  cps: "c/s",
};

/** A finite value in `unit` as pieces. */
function formatFinite(v: number, unit: string, decimals: number | undefined): FormattedValue {
  if (unit.startsWith("suffix:")) return parts(num(v, decimals), unit.slice(7));
  if (unit.startsWith("prefix:")) return parts(num(v, decimals), undefined, unit.slice(7));
  const rate = RATE_SUFFIX[unit];
  if (rate) {
    const short = decimals === undefined ? splitAtSpace(formatShort(v)) : scaled(v, COUNT_SCALE, "", decimals);
    return parts(short.text, `${short.suffix ?? ""} ${rate}`);
  }
  switch (unit) {
    case "none":
      return parts(decimals === undefined ? String(v) : num(v, decimals));
    case "locale":
      return parts(v.toLocaleString("en-US", decimals === undefined ? { maximumFractionDigits: 3 } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals }));
    case "percent":
      return parts(num(v, decimals), "%");
    case "percentunit":
      return parts(num(v * 100, decimals), "%");
    case "bytes":
      return decimals === undefined ? splitAtSpace(formatBytes(v)) : scaled(v, IEC_SCALE, "B", decimals);
    case "kbytes":
      return scaled(v, IEC_SCALE, "B", decimals, 1);
    case "mbytes":
      return scaled(v, IEC_SCALE, "B", decimals, 2);
    case "gbytes":
      return scaled(v, IEC_SCALE, "B", decimals, 3);
    case "decbytes":
      return scaled(v, SI_SCALE, "B", decimals);
    case "bits":
      return scaled(v, IEC_SCALE, "b", decimals);
    case "decbits":
      return scaled(v, SI_SCALE, "b", decimals);
    case "Bps":
      return scaled(v, SI_SCALE, "B/s", decimals);
    case "binBps":
      return scaled(v, IEC_SCALE, "B/s", decimals);
    case "bps":
      return scaled(v, SI_SCALE, "b/s", decimals);
    case "binbps":
      return scaled(v, IEC_SCALE, "b/s", decimals);
    case "pps":
      return scaled(v, SI_SCALE, "p/s", decimals);
    case "hertz":
      return scaled(v, SI_SCALE, "Hz", decimals);
    case "ns":
      return duration(v * 1e-9, decimals);
    case "µs":
      return duration(v * 1e-6, decimals);
    case "ms":
      if (decimals === undefined) return splitAtSpace(Math.abs(v) >= 60_000 ? formatSeconds(v / 1000) : formatMs(v));
      return duration(v / 1000, decimals);
    case "s":
      return decimals === undefined ? splitAtSpace(formatSeconds(v)) : duration(v, decimals);
    case "m":
      return duration(v * 60, decimals);
    case "h":
      return duration(v * 3600, decimals);
    case "d":
      return duration(v * 86_400, decimals);
    case "dtdurations":
      return parts(formatDurationParts(v));
    case "dtdurationms":
      return parts(formatDurationParts(v / 1000));
    case "celsius":
      return parts(num(v, decimals), " °C");
    case "fahrenheit":
      return parts(num(v, decimals), " °F");
    case "currencyUSD":
      return currency(v, "$", decimals);
    case "currencyEUR":
      return currency(v, "€", decimals);
    case "currencyGBP":
      return currency(v, "£", decimals);
    default:
      return decimals === undefined ? splitAtSpace(formatShort(v)) : scaled(v, COUNT_SCALE, "", decimals);
  }
}

/** Like `formatValue`, in pieces (prefix, number, unit suffix). */
export function formatValueParts(v: number | null | undefined, unit: UnitId | (string & {}) = "short", decimals?: number): FormattedValue {
  if (v === null || v === undefined) return parts("—");
  if (Number.isNaN(v)) return parts("NaN");
  if (!Number.isFinite(v)) return parts(v > 0 ? "+Inf" : "-Inf");
  const d = decimals === undefined || !Number.isFinite(decimals) ? undefined : Math.min(10, Math.max(0, Math.round(decimals)));
  return formatFinite(v, unit, d);
}

/**
 * A sample value in `unit` (an id of UNITS; unknown ids format as `short`), with exactly
 * `decimals` decimals when given. NaN/±Inf are shown as Prometheus writes them.
 */
export function formatValue(v: number | null | undefined, unit: UnitId | (string & {}) = "short", decimals?: number): string {
  const p = formatValueParts(v, unit, decimals);
  return `${p.prefix ?? ""}${p.text}${p.suffix ?? ""}`;
}
