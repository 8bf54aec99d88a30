/**
 * Date parsing for the pipeline `date` step, with Logstash's date-filter formats:
 * - `ISO8601` (`2011-04-19T03:44:01.103Z`, space instead of T, comma fraction, `+01:00`/`+0100`,
 *   basic `20110419T034401Z`), `UNIX` (seconds, may be fractional), `UNIX_MS`, `TAI64N`;
 * - Joda-style patterns: `yyyy yy MM M MMM MMMM dd d HH H hh h kk k KK K mm m ss s S… a EEE EEEE
 *   Z ZZ ZZZ z X`, `'quoted literal'`, `''` for a quote; any other non-letter is literal (a run of
 *   spaces matches one or more spaces). Month and day names are English.
 * A string without an offset is read in the step's `timezone` (an IANA name, default UTC).
 * A pattern without a year takes the year of the reference time (when the event was observed);
 * a result more than 7 days after the reference is moved a year back (December lines read in
 * January). Fractions beyond milliseconds are truncated.
 */

export class DateFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DateFormatError";
  }
}

/** Parses a value to epoch milliseconds, or null when it does not fit the format. */
export type DateParser = (value: unknown, referenceTs: number) => number | null;

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const MONTH_INDEX = new Map<string, number>();
MONTHS.forEach((m, i) => {
  MONTH_INDEX.set(m, i + 1);
  MONTH_INDEX.set(m.slice(0, 3), i + 1);
});
MONTH_INDEX.set("sept", 9);
const MONTH_RE = `(${[...MONTH_INDEX.keys()].sort((a, b) => b.length - a.length).join("|")})`;
const DAY_RE = `(?:${DAYS.flatMap((d) => [d, d.slice(0, 3)]).sort((a, b) => b.length - a.length).join("|")})`;

/** Fixed offsets (minutes) for the zone abbreviations `z` accepts. */
const ZONE_ABBREVIATIONS: Record<string, number> = {
  utc: 0, gmt: 0, z: 0, ut: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  cet: 60, cest: 120, eet: 120, eest: 180, wet: 0, west: 60, bst: 60, ist: 330, jst: 540,
};

const DAY_MS = 86_400_000;

/* ---------------------------------------------------------------- time zones */

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
const zoneOffsetCache = new Map<string, number>();

/** Throws DateFormatError unless `zone` is an IANA zone name the runtime knows. */
export function assertTimeZone(zone: string): void {
  try {
    zoneFormatter(zone);
  } catch {
    throw new DateFormatError(`unknown time zone ${JSON.stringify(zone)}`);
  }
}

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    zoneFormatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at instant `utcMs`, in milliseconds (cached per 15 minutes). */
function zoneOffset(zone: string, utcMs: number): number {
  const key = `${zone}|${Math.floor(utcMs / 900_000)}`;
  const hit = zoneOffsetCache.get(key);
  if (hit !== undefined) return hit;
  const parts = zoneFormatter(zone).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  const offset = wall - Math.floor(utcMs / 1000) * 1000;
  if (zoneOffsetCache.size > 10_000) zoneOffsetCache.clear();
  zoneOffsetCache.set(key, offset);
  return offset;
}

/** Converts a wall-clock time in `zone` (given as if it were UTC) to the UTC instant. */
function wallToUtc(zone: string, wallMs: number): number {
  if (zone === "UTC") return wallMs;
  const first = zoneOffset(zone, wallMs);
  const guess = wallMs - first;
  const second = zoneOffset(zone, guess);
  return second === first ? guess : wallMs - second;
}

/* ---------------------------------------------------------------- fields → instant */

type Parsed = {
  year?: number;
  twoDigitYear?: boolean;
  month?: number;
  day?: number;
  hour?: number;
  hour12?: boolean;
  pm?: boolean;
  minute?: number;
  second?: number;
  millis?: number;
  offsetMinutes?: number;
  zone?: string;
};

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function wallClockToInstant(p: Parsed, defaultZone: string, y: number, month: number, day: number, hour: number, minute: number, second: number): number {
  let wall = Date.UTC(y, month - 1, day, hour, minute, second, p.millis ?? 0);
  if (y < 100) wall = new Date(wall).setUTCFullYear(y);
  if (p.offsetMinutes !== undefined) return wall - p.offsetMinutes * 60_000;
  return wallToUtc(p.zone ?? defaultZone, wall);
}

function toInstant(p: Parsed, defaultZone: string, referenceTs: number): number | null {
  const refYear = new Date(referenceTs).getUTCFullYear();
  let year = p.year ?? refYear;
  if (p.twoDigitYear) {
    year = Math.floor(refYear / 100) * 100 + year;
    if (year > refYear + 50) year -= 100;
    else if (year <= refYear - 50) year += 100;
  }
  const month = p.month ?? 1;
  const day = p.day ?? 1;
  let hour = p.hour ?? 0;
  if (p.hour12) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (p.pm ? 12 : 0);
  } else if (p.pm !== undefined && hour <= 12) hour = (hour % 12) + (p.pm ? 12 : 0);
  const minute = p.minute ?? 0;
  const second = p.second ?? 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return null;
  let ts = wallClockToInstant(p, defaultZone, year, month, day, hour, minute, second);
  if (p.year === undefined && ts > referenceTs + 7 * DAY_MS) ts = wallClockToInstant(p, defaultZone, year - 1, month, day, hour, minute, second);
  return Number.isFinite(ts) ? ts : null;
}

function parseOffset(s: string): number | null {
  if (s === "Z" || s === "z") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(s);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "-" ? -minutes : minutes;
}

function fractionToMillis(digits: string): number {
  return Number(digits.slice(0, 3).padEnd(3, "0"));
}

/* ---------------------------------------------------------------- named formats */

const ISO_RE = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function parseIso(s: string, zone: string, referenceTs: number): number | null {
  const m = ISO_RE.exec(s.trim());
  if (!m) return null;
  const offset = m[8] === undefined ? undefined : parseOffset(m[8].toUpperCase());
  if (offset === null) return null;
  return toInstant(
    {
      year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: m[4] ? Number(m[4]) : 0, minute: m[5] ? Number(m[5]) : 0,
      second: m[6] ? Number(m[6]) : 0, millis: m[7] ? fractionToMillis(m[7]) : 0, offsetMinutes: offset,
    },
    zone,
    referenceTs,
  );
}

function numeric(value: unknown, re: RegExp): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string" || !re.test(value.trim())) return null;
  return Number(value.trim());
}

function parseTai64n(s: string): number | null {
  const m = /^@?([0-9a-f]{8})([0-9a-f]{8})([0-9a-f]{8})$/i.exec(s.trim());
  if (!m) return null;
  const high = parseInt(m[1]!, 16) - 0x40000000; // label minus 2^62
  const seconds = high * 2 ** 32 + parseInt(m[2]!, 16) - 10; // TAI is 10 s ahead of UTC in the TAI64 epoch
  return seconds * 1000 + Math.floor(parseInt(m[3]!, 16) / 1e6);
}

/* ---------------------------------------------------------------- Joda patterns */

type Token = { kind: "field"; letter: string; count: number } | { kind: "literal"; text: string };

function tokenize(format: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (format[j] === c) j++;
      tokens.push({ kind: "field", letter: c, count: j - i });
      i = j;
    } else if (c === "'") {
      if (format[i + 1] === "'") {
        tokens.push({ kind: "literal", text: "'" });
        i += 2;
        continue;
      }
      let j = i + 1;
      let text = "";
      for (; j < format.length; j++) {
        if (format[j] === "'") {
          if (format[j + 1] === "'") {
            text += "'";
            j++;
          } else break;
        } else text += format[j];
      }
      if (j >= format.length) throw new DateFormatError(`unterminated quote in date format ${JSON.stringify(format)}`);
      tokens.push({ kind: "literal", text });
      i = j + 1;
    } else {
      tokens.push({ kind: "literal", text: c });
      i++;
    }
  }
  return tokens;
}

const NUMERIC_LETTERS = new Set(["y", "Y", "u", "M", "d", "H", "k", "h", "K", "m", "s", "S"]);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type Setter = (p: Parsed, v: string) => boolean;

function compileJoda(format: string): (s: string) => Parsed | null {
  const tokens = tokenize(format);
  let re = "";
  const setters: Setter[] = [];
  const num = (min: number, max: number, set: (p: Parsed, n: number) => void, fixed: number | null): void => {
    re += fixed !== null ? `(\\d{${fixed}})` : `(\\d{${min},${max}})`;
    setters.push((p, v) => {
      set(p, Number(v));
      return true;
    });
  };
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t]!;
    if (tok.kind === "literal") {
      re += tok.text === " " ? " +" : escapeRe(tok.text);
      while (tok.text === " " && tokens[t + 1]?.kind === "literal" && (tokens[t + 1] as { text: string }).text === " ") t++;
      continue;
    }
    const next = tokens[t + 1];
    const adjacentNumeric = next?.kind === "field" && NUMERIC_LETTERS.has(next.letter) && !(next.letter === "M" && next.count >= 3);
    const fixed = adjacentNumeric ? tok.count : null;
    const { letter, count } = tok;
    switch (letter) {
      case "y":
      case "Y":
      case "u":
        if (count === 2) {
          re += "(\\d{2})";
          setters.push((p, v) => {
            p.year = Number(v);
            p.twoDigitYear = true;
            return true;
          });
        } else num(count, 9, (p, n) => (p.year = n), fixed ?? (count === 4 ? 4 : null));
        break;
      case "M":
        if (count >= 3) {
          re += MONTH_RE;
          setters.push((p, v) => {
            p.month = MONTH_INDEX.get(v.toLowerCase());
            return p.month !== undefined;
          });
        } else num(1, 2, (p, n) => (p.month = n), fixed);
        break;
      case "d":
        num(1, 2, (p, n) => (p.day = n), fixed);
        break;
      case "H":
        num(1, 2, (p, n) => (p.hour = n), fixed);
        break;
      case "k":
        num(1, 2, (p, n) => (p.hour = n === 24 ? 0 : n), fixed);
        break;
      case "h":
        num(1, 2, (p, n) => {
          p.hour = n;
          p.hour12 = true;
        }, fixed);
        break;
      case "K":
        num(1, 2, (p, n) => {
          p.hour = n === 0 ? 12 : n;
          p.hour12 = true;
        }, fixed);
        break;
      case "m":
        num(1, 2, (p, n) => (p.minute = n), fixed);
        break;
      case "s":
        num(1, 2, (p, n) => (p.second = n), fixed);
        break;
      case "S":
        re += fixed !== null ? `(\\d{${fixed}})` : "(\\d{1,9})";
        setters.push((p, v) => {
          p.millis = fractionToMillis(v);
          return true;
        });
        break;
      case "a":
        re += "(am|pm|a\\.m\\.|p\\.m\\.)";
        setters.push((p, v) => {
          p.pm = v.toLowerCase().startsWith("p");
          return true;
        });
        break;
      case "E":
        re += DAY_RE;
        break;
      case "Z":
      case "X":
      case "x":
        if (letter === "Z" && count >= 3) {
          re += "([A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*)";
          setters.push((p, v) => {
            if (/^(utc|gmt|z)$/i.test(v)) {
              p.offsetMinutes = 0;
              return true;
            }
            try {
              zoneFormatter(v);
            } catch {
              return false;
            }
            p.zone = v;
            return true;
          });
        } else {
          re += "(Z|[+-]\\d{2}(?::?\\d{2})?)";
          setters.push((p, v) => {
            const off = parseOffset(v.toUpperCase());
            if (off === null) return false;
            p.offsetMinutes = off;
            return true;
          });
        }
        break;
      case "z":
        re += "([A-Za-z]{1,5})";
        setters.push((p, v) => {
          const off = ZONE_ABBREVIATIONS[v.toLowerCase()];
          if (off === undefined) return false;
          p.offsetMinutes = off;
          return true;
        });
        break;
      default:
        throw new DateFormatError(`unsupported letter ${JSON.stringify(letter.repeat(count))} in date format ${JSON.stringify(format)}`);
    }
  }
  const regex = new RegExp(`^${re}$`, "i");
  return (s) => {
    const m = regex.exec(s.trim());
    if (!m) return null;
    const p: Parsed = {};
    for (let i = 0; i < setters.length; i++) if (!setters[i]!(p, m[i + 1]!)) return null;
    return p;
  };
}

/**
 * Compiles one format (a named format or a Joda pattern). Throws DateFormatError for a pattern
 * it cannot use (unknown letters, unterminated quotes) or an unknown time zone.
 */
export function compileDateFormat(format: string, opts: { timezone?: string } = {}): DateParser {
  const zone = opts.timezone ?? "UTC";
  if (zone !== "UTC") assertTimeZone(zone);
  switch (format) {
    case "ISO8601":
      return (v, ref) => (typeof v === "string" ? parseIso(v, zone, ref) : null);
    case "UNIX":
      return (v) => {
        const n = numeric(v, /^-?\d+(\.\d+)?$/);
        return n === null ? null : Math.floor(n * 1000);
      };
    case "UNIX_MS":
      return (v) => {
        const n = numeric(v, /^-?\d+$/);
        return n === null ? null : Math.floor(n);
      };
    case "TAI64N":
      return (v) => (typeof v === "string" ? parseTai64n(v) : null);
  }
  if (format.trim() === "") throw new DateFormatError("empty date format");
  const parse = compileJoda(format);
  return (v, ref) => {
    if (typeof v !== "string" && typeof v !== "number") return null;
    const p = parse(String(v));
    return p === null ? null : toInstant(p, zone, ref);
  };
}
