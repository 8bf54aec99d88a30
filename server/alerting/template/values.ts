/**
 * The Go-flavoured values templates see: label maps with Alertmanager's methods (KV with
 * `SortedPairs`, `Names`, `Values`, `Remove`), `time.Time` and `time.Duration` with the methods
 * templates call (`.StartsAt.Format "15:04"`, `.Unix`), safe HTML, and typed lists (the alert list
 * with `.Firing` / `.Resolved` lives in data.ts).
 *
 * Methods callable from a template are the capitalised ones (Go's exported methods); the
 * evaluator never calls anything else. Pure.
 */

/** Marks a string as HTML that must not be escaped (`safeHtml`). */
export class SafeHtml {
  static goType = "template.HTML";
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks a string as a URL to insert into a link as it is (`safeUrl`): no scheme filtering. */
export class SafeUrl {
  static goType = "template.URL";
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

// ---------------------------------------------------------------------------------------------
// Label maps
// ---------------------------------------------------------------------------------------------

export class Pair {
  static goType = "template.Pair";
  constructor(
    readonly Name: string,
    readonly Value: string,
  ) {}
}

/** A sorted list of label pairs (`.Labels.SortedPairs`). */
export class Pairs extends Array<Pair> {
  static goType = "template.Pairs";
  static fromPairs(items: Pair[]): Pairs {
    const out = new Pairs();
    for (const p of items) out.push(p);
    return out;
  }
  Names(): string[] {
    return this.map((p) => p.Name);
  }
  Values(): string[] {
    return this.map((p) => p.Value);
  }
}

/**
 * A label or annotation map. A missing key reads as "" (a Go map[string]string); methods win over
 * keys of the same name, as in Go. Pairs sort by name with `alertname` first (Alertmanager).
 */
export class KV {
  static goType = "template.KV";
  private readonly map: Record<string, string>;
  constructor(record: Record<string, string> = {}) {
    this.map = { ...record };
  }
  get(key: string): string {
    return Object.prototype.hasOwnProperty.call(this.map, key) ? this.map[key]! : "";
  }
  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.map, key);
  }
  get size(): number {
    return Object.keys(this.map).length;
  }
  entries(): [string, string][] {
    return Object.entries(this.map);
  }
  toRecord(): Record<string, string> {
    return { ...this.map };
  }
  sortedKeys(): string[] {
    const keys = Object.keys(this.map).filter((k) => k !== "alertname");
    keys.sort();
    return this.has("alertname") ? ["alertname", ...keys] : keys;
  }
  SortedPairs(): Pairs {
    return Pairs.fromPairs(this.sortedKeys().map((k) => new Pair(k, this.map[k]!)));
  }
  Names(): string[] {
    return this.sortedKeys();
  }
  Values(): string[] {
    return this.sortedKeys().map((k) => this.map[k]!);
  }
  /** A copy without the given keys (`.Labels.Remove (stringSlice "job" "instance")`). */
  Remove(keys: unknown): KV {
    const drop = new Set(Array.isArray(keys) ? keys.map(String) : [String(keys)]);
    return new KV(Object.fromEntries(Object.entries(this.map).filter(([k]) => !drop.has(k))));
  }
}

// ---------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------

const NS_PER_US = 1_000n;
const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

/** Go's time.Duration (nanoseconds). */
export class GoDuration {
  static goType = "time.Duration";
  constructor(readonly nanoseconds: bigint) {}
  static fromSeconds(s: number): GoDuration {
    return new GoDuration(BigInt(Math.round(s * 1e9)));
  }
  Seconds(): number {
    return Number(this.nanoseconds) / 1e9;
  }
  Minutes(): number {
    return Number(this.nanoseconds) / 6e10;
  }
  Hours(): number {
    return Number(this.nanoseconds) / 3.6e12;
  }
  Milliseconds(): bigint {
    return this.nanoseconds / NS_PER_MS;
  }
  /** Go's Duration.String: `1h2m3.5s`, `2m0s`, `1.5ms`, `0s`. */
  String(): string {
    const d = this.nanoseconds;
    if (d === 0n) return "0s";
    const neg = d < 0n;
    const u = neg ? -d : d;
    let s: string;
    if (u < NS_PER_S) {
      if (u < NS_PER_US) s = `${u}ns`;
      else if (u < NS_PER_MS) s = `${fraction(u, 3)}µs`;
      else s = `${fraction(u, 6)}ms`;
    } else {
      const secs = fraction(u % (60n * NS_PER_S), 9);
      const totalMinutes = u / (60n * NS_PER_S);
      const hours = totalMinutes / 60n;
      const minutes = totalMinutes % 60n;
      if (hours > 0n) s = `${hours}h${minutes}m${secs}s`;
      else if (minutes > 0n) s = `${minutes}m${secs}s`;
      else s = `${secs}s`;
    }
    return neg ? `-${s}` : s;
  }
  toString(): string {
    return this.String();
  }
}

/** `v / 10^digits` printed with its fractional part, trailing zeros dropped. */
function fraction(v: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const whole = v / scale;
  const frac = (v % scale).toString().padStart(digits, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : `${whole}`;
}

// ---------------------------------------------------------------------------------------------
// Times
// ---------------------------------------------------------------------------------------------

/** Go's zero time (0001-01-01T00:00:00Z) in epoch milliseconds. */
export const ZERO_TIME_MS = -62135596800000;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

interface ZoneInfo {
  /** Offset east of UTC in minutes. */
  offset: number;
  abbr: string;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      timeZoneName: "short",
    });
    zoneFormatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA zone name this runtime knows. */
export function isKnownZone(zone: string): boolean {
  if (zone === "UTC" || zone === "Local") return true;
  try {
    zoneFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

function zoneInfo(zone: string, ms: number): ZoneInfo {
  if (zone === "UTC") return { offset: 0, abbr: "UTC" };
  // Intl does not format years before 1 well; the zero time is always shown in UTC terms.
  const clamped = Math.max(ms, -62135596800000 + 86_400_000);
  const parts = zoneFormatter(zone).formatToParts(new Date(clamped));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? "0");
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  const offset = Math.round((asUtc - Math.floor(clamped / 1000) * 1000) / 60_000);
  let abbr = parts.find((p) => p.type === "timeZoneName")?.value ?? zone;
  if (/^GMT[+-]/.test(abbr) || abbr === "GMT") abbr = formatOffset(offset, false, false);
  return { offset, abbr };
}

function formatOffset(offsetMinutes: number, colon: boolean, short: boolean): string {
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  if (short) return `${sign}${hh}`;
  return colon ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
}

/** Go's time.Time (millisecond precision) in a zone (UTC unless `tz` moved it). */
export class GoTime {
  static goType = "time.Time";
  constructor(
    readonly ms: number,
    readonly zone: string = "UTC",
  ) {}

  static parse(iso: string | undefined | null): GoTime {
    if (!iso) return new GoTime(ZERO_TIME_MS);
    const ms = Date.parse(iso);
    return new GoTime(Number.isNaN(ms) ? ZERO_TIME_MS : ms);
  }

  private fields() {
    const { offset, abbr } = zoneInfo(this.zone, this.ms);
    const d = new Date(this.ms + offset * 60_000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth(),
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      milli: ((this.ms % 1000) + 1000) % 1000,
      weekday: d.getUTCDay(),
      yearDay: Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - utcYearStart(d.getUTCFullYear())) / 86_400_000) + 1,
      offset,
      abbr,
    };
  }

  IsZero(): boolean {
    return this.ms === ZERO_TIME_MS;
  }
  Unix(): bigint {
    return BigInt(Math.floor(this.ms / 1000));
  }
  UnixMilli(): bigint {
    return BigInt(this.ms);
  }
  UTC(): GoTime {
    return new GoTime(this.ms, "UTC");
  }
  Local(): GoTime {
    return new GoTime(this.ms, "UTC");
  }
  In(zone: string): GoTime {
    return new GoTime(this.ms, zone);
  }
  Sub(other: GoTime): GoDuration {
    return new GoDuration(BigInt(this.ms - other.ms) * NS_PER_MS);
  }
  Add(d: GoDuration): GoTime {
    return new GoTime(this.ms + Number(d.nanoseconds / NS_PER_MS), this.zone);
  }
  Before(other: GoTime): boolean {
    return this.ms < other.ms;
  }
  After(other: GoTime): boolean {
    return this.ms > other.ms;
  }
  Equal(other: GoTime): boolean {
    return this.ms === other.ms;
  }
  Year(): bigint {
    return BigInt(this.fields().year);
  }
  Day(): bigint {
    return BigInt(this.fields().day);
  }
  Hour(): bigint {
    return BigInt(this.fields().hour);
  }
  Minute(): bigint {
    return BigInt(this.fields().minute);
  }
  Second(): bigint {
    return BigInt(this.fields().second);
  }
  Month(): string {
    return MONTHS[this.fields().month]!;
  }
  Weekday(): string {
    return WEEKDAYS[this.fields().weekday]!;
  }
  /** Go's Time.String: `2006-01-02 15:04:05.999999999 -0700 MST`. */
  String(): string {
    return this.Format("2006-01-02 15:04:05.999999999 -0700 MST");
  }
  toString(): string {
    return this.String();
  }
  /** RFC 3339 with the fraction trimmed, as Go marshals times to JSON. */
  toJSON(): string {
    return this.Format("2006-01-02T15:04:05.999999999Z07:00");
  }
  /** Go's reference-time layout (`2006-01-02 15:04:05`, `Jan 2 15:04 MST`, `.000`, `Z07:00`…). */
  Format(layout: string): string {
    return formatTime(layout, this.fields());
  }
}

function utcYearStart(year: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, 0, 1);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/** Formats `f` by a Go layout. */
function formatTime(
  layout: string,
  f: { year: number; month: number; day: number; hour: number; minute: number; second: number; milli: number; weekday: number; yearDay: number; offset: number; abbr: string },
): string {
  let out = "";
  let i = 0;
  const at = (s: string) => layout.startsWith(s, i);
  while (i < layout.length) {
    const c = layout[i]!;
    if (at("January")) {
      out += MONTHS[f.month];
      i += 7;
    } else if (at("Jan")) {
      out += MONTHS[f.month]!.slice(0, 3);
      i += 3;
    } else if (at("Monday")) {
      out += WEEKDAYS[f.weekday];
      i += 6;
    } else if (at("Mon")) {
      out += WEEKDAYS[f.weekday]!.slice(0, 3);
      i += 3;
    } else if (at("MST")) {
      out += f.abbr;
      i += 3;
    } else if (at("_2006")) {
      out += "_";
      i += 1;
    } else if (at("2006")) {
      out += String(f.year).padStart(4, "0");
      i += 4;
    } else if (at("002")) {
      out += String(f.yearDay).padStart(3, "0");
      i += 3;
    } else if (at("__2")) {
      out += String(f.yearDay).padStart(3, " ");
      i += 3;
    } else if (at("_2")) {
      out += String(f.day).padStart(2, " ");
      i += 2;
    } else if (at("01")) {
      out += two(f.month + 1);
      i += 2;
    } else if (at("02")) {
      out += two(f.day);
      i += 2;
    } else if (at("03")) {
      out += two(f.hour % 12 === 0 ? 12 : f.hour % 12);
      i += 2;
    } else if (at("04")) {
      out += two(f.minute);
      i += 2;
    } else if (at("05")) {
      out += two(f.second);
      i += 2;
    } else if (at("06")) {
      out += two(f.year % 100);
      i += 2;
    } else if (at("15")) {
      out += two(f.hour);
      i += 2;
    } else if (c === "1") {
      out += String(f.month + 1);
      i += 1;
    } else if (c === "2") {
      out += String(f.day);
      i += 1;
    } else if (c === "3") {
      out += String(f.hour % 12 === 0 ? 12 : f.hour % 12);
      i += 1;
    } else if (c === "4") {
      out += String(f.minute);
      i += 1;
    } else if (c === "5") {
      out += String(f.second);
      i += 1;
    } else if (at("PM")) {
      out += f.hour >= 12 ? "PM" : "AM";
      i += 2;
    } else if (at("pm")) {
      out += f.hour >= 12 ? "pm" : "am";
      i += 2;
    } else if (at("Z07:00:00") || at("-07:00:00")) {
      out += c === "Z" && f.offset === 0 ? "Z" : `${formatOffset(f.offset, true, false)}:00`;
      i += 9;
    } else if (at("Z070000") || at("-070000")) {
      out += c === "Z" && f.offset === 0 ? "Z" : `${formatOffset(f.offset, false, false)}00`;
      i += 7;
    } else if (at("Z07:00") || at("-07:00")) {
      out += c === "Z" && f.offset === 0 ? "Z" : formatOffset(f.offset, true, false);
      i += 6;
    } else if (at("Z0700") || at("-0700")) {
      out += c === "Z" && f.offset === 0 ? "Z" : formatOffset(f.offset, false, false);
      i += 5;
    } else if (at("Z07") || at("-07")) {
      out += c === "Z" && f.offset === 0 ? "Z" : formatOffset(f.offset, false, true);
      i += 3;
    } else if ((c === "." || c === ",") && (layout[i + 1] === "0" || layout[i + 1] === "9") && isFractionRun(layout, i)) {
      const run = /^[.,](0+|9+)/.exec(layout.slice(i))![1]!;
      const digits = String(f.milli).padStart(3, "0").padEnd(Math.max(run.length, 3), "0").slice(0, run.length);
      if (run[0] === "0") out += c + digits;
      else {
        const trimmed = digits.replace(/0+$/, "");
        if (trimmed) out += c + trimmed;
      }
      i += 1 + run.length;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** A `.000` / `.999` run counts as a fraction only when no digit follows it (Go's rule). */
function isFractionRun(layout: string, i: number): boolean {
  const m = /^[.,](0+|9+)/.exec(layout.slice(i));
  if (!m) return false;
  const next = layout[i + m[0].length];
  return next === undefined || next < "0" || next > "9";
}
