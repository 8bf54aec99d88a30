/**
 * Syslog messages: RFC 5424 and RFC 3164 (BSD), told apart per message, read as leniently as
 * rsyslog does. Framing of TCP streams is in `syslog-framer.ts` (re-exported here); a UDP datagram
 * is one message.
 *
 * RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID k="v" …]… MSG`, `-` for
 * absent values, structured-data escapes (`\"`, `\\`, `\]`), a UTF-8 BOM before MSG dropped.
 * Malformed structured data is not fatal: the text after MSGID becomes the message.
 *
 * RFC 3164: `<PRI>Mmm dd hh:mm:ss HOST TAG[pid]: MSG`. The timestamp has no year and no zone: the
 * zone is `opts.timezone`, the year the latest that does not put the time more than a week after
 * `opts.now` (so "Dec 31 23:59:59" received on Jan 1 is last year's, "Jan  1 00:00:01" received
 * a minute before midnight on Dec 31 next year's). Also read: fractional seconds, a year
 * after the day (`Mmm dd yyyy hh:mm:ss`), an RFC 3339 timestamp (rsyslog's forwarding format),
 * a missing PRI (→ user.notice, as rsyslog assumes), a missing hostname (the next word ends with
 * `:` or holds `[`), a missing timestamp (then no hostname is looked for), a missing tag.
 *
 * Mapping: severity → level, APP-NAME / TAG → service, HOSTNAME → host (else `opts.defaultHost`),
 * `fields`: `facility` and `severity` (names, e.g. "local0", "notice"), `procid`, `msgid`, and
 * `sd` — structured data as `{ "<SD-ID>": { "<param>": "value" } }` (a repeated param → an array).
 */
import type { DecodedItem, IncomingEvent } from "@/server/logs/event";
import { normaliseLevel } from "@/server/logs/event";
import { setField, type JsonObject } from "./fields";
import { buildEvent, errorItem, okItem } from "./items";
import type { SyslogFrame } from "./syslog-framer";
import { daysInMonth, parseRfc3339, zonedTimeToEpoch, type WallTime } from "./timestamp";

export { SyslogFramer, type SyslogFrame, type SyslogFramerOptions } from "./syslog-framer";

export type SyslogOptions = {
  /** Reception time (epoch ms); the year of RFC 3164 timestamps is inferred from it. */
  now: number;
  /** Zone of RFC 3164 timestamps: "UTC" (default), an IANA name ("Europe/Berlin") or an offset ("+02:00"). Check with `isValidTimeZone`. */
  timezone?: string;
  /** Host when the message names none (e.g. the sender's address). */
  defaultHost?: string;
};

export const FACILITIES = [
  "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
  "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5",
  "local6", "local7",
] as const;
export const SEVERITIES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"] as const;

/** RFC 3164 §4.3.3: a message without PRI is user.notice. */
const DEFAULT_PRI = 13;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const BOM = "\uFEFF";
/** How far ahead of the reception time a year-less timestamp may be (sender clock skew). */
const MAX_FUTURE_MS = 7 * 86_400_000;

/** Decodes framed messages (TCP frames or datagrams) into one item each; `index` is the position in `messages`. */
export function decodeSyslogMessages(messages: readonly (string | Buffer)[], opts: SyslogOptions): DecodedItem[] {
  return messages.map((m, index) => decodeSyslogMessage(m, index, opts));
}

/**
 * What a `SyslogFramer` produced for a TCP connection: messages parsed, framing errors (oversize,
 * cut frames) kept as error items; `index` is the position in `frames`.
 */
export function decodeSyslogFrames(frames: readonly SyslogFrame[], opts: SyslogOptions): DecodedItem[] {
  return frames.map((frame, index) => (frame.ok ? decodeSyslogMessage(frame.message, index, opts) : errorItem(index, frame.error)));
}

function decodeSyslogMessage(message: string | Buffer, index: number, opts: SyslogOptions): DecodedItem {
  const text = trimMessageEnd(typeof message === "string" ? message : message.toString("utf8"));
  if (text.trim() === "") return errorItem(index, "empty syslog message");
  return okItem(index, parseSyslog(text, opts));
}

/** One UDP datagram: one message. */
export function decodeSyslogDatagram(datagram: Buffer, opts: SyslogOptions): DecodedItem[] {
  return decodeSyslogMessages([datagram], opts);
}

/** Parses one message (RFC 5424 when the PRI is followed by a version, else RFC 3164). Never throws. */
export function parseSyslog(message: string, opts: SyslogOptions): IncomingEvent {
  const text = trimMessageEnd(message);
  const { pri, rest } = readPri(text);
  const event = /^[1-9]\d{0,2} /.test(rest) ? parseRfc5424Body(rest, opts) : parseRfc3164Body(rest, opts);
  return buildEvent(withPri(event, pri, opts));
}

/** Strips the line end a transport may leave: trailing LF, CRLF and NUL. */
function trimMessageEnd(s: string): string {
  return s.replace(/[\r\n\0]+$/, "");
}

function readPri(text: string): { pri: number | undefined; rest: string } {
  const m = /^<(\d{1,3})>/.exec(text);
  if (!m || Number(m[1]) > 191) return { pri: undefined, rest: text };
  return { pri: Number(m[1]), rest: text.slice(m[0].length) };
}

function withPri(event: IncomingEvent, pri: number | undefined, opts: SyslogOptions): IncomingEvent {
  const value = pri ?? DEFAULT_PRI;
  const fields: JsonObject = { facility: FACILITIES[value >> 3], severity: SEVERITIES[value & 7] };
  for (const [k, v] of Object.entries(event.fields)) setField(fields, k, v);
  return {
    ...event,
    level: normaliseLevel(value & 7) ?? undefined,
    host: event.host ?? (opts.defaultHost || undefined),
    fields,
  };
}

// ---- RFC 5424 ----

const NIL = "-";

/** The part after PRI: `VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]`. */
function parseRfc5424Body(text: string, opts: SyslogOptions): IncomingEvent {
  const header = /^[1-9]\d{0,2} (\S+) (\S+) (\S+) (\S+) (\S+)(?: |$)/.exec(text);
  if (!header) return parseRfc3164Body(text, opts);
  const [, timestamp, hostname, appName, procId, msgId] = header;
  const afterHeader = text.slice(header[0].length);
  const sd = parseStructuredData(afterHeader);
  const fields: JsonObject = {};
  if (procId !== NIL) fields.procid = procId;
  if (msgId !== NIL) fields.msgid = msgId;
  if (sd && Object.keys(sd.data).length > 0) fields.sd = sd.data;
  const message = sd ? afterHeader.slice(sd.end).replace(/^ /, "") : afterHeader;
  return {
    ts: timestamp === NIL ? undefined : parseRfc3339(timestamp),
    message: message.startsWith(BOM) ? message.slice(1) : message,
    service: appName === NIL ? undefined : appName,
    host: hostname === NIL ? undefined : hostname,
    fields,
  };
}

type StructuredData = Record<string, Record<string, string | string[]>>;

/**
 * `-` or one or more `[SD-ID param="value" …]` at the start of `s`: the data and where it ends,
 * or null when malformed (the caller then keeps the text as message).
 */
export function parseStructuredData(s: string): { data: StructuredData; end: number } | null {
  if (s === NIL || s.startsWith(`${NIL} `)) return { data: {}, end: 1 };
  const data: StructuredData = {};
  let pos = 0;
  while (s[pos] === "[") {
    const element = parseSdElement(s, pos + 1);
    if (!element) return null;
    const params = Object.hasOwn(data, element.id) ? data[element.id] : {};
    for (const [name, value] of element.params) addParam(params, name, value);
    setField(data, element.id, params);
    pos = element.end;
  }
  if (pos === 0 || (pos < s.length && s[pos] !== " ")) return null;
  return { data, end: pos };
}

function parseSdElement(s: string, start: number): { id: string; params: [string, string][]; end: number } | null {
  const id = /^[^\s="\]]{1,32}/.exec(s.slice(start, start + 33));
  if (!id) return null;
  const params: [string, string][] = [];
  let pos = start + id[0].length;
  while (s[pos] === " ") {
    const name = /^[^\s="\]]{1,32}/.exec(s.slice(pos + 1, pos + 34));
    if (!name || s[pos + 1 + name[0].length] !== "=" || s[pos + 2 + name[0].length] !== '"') return null;
    const value = readSdValue(s, pos + 3 + name[0].length);
    if (!value) return null;
    params.push([name[0], value.value]);
    pos = value.end;
  }
  return s[pos] === "]" ? { id: id[0], params, end: pos + 1 } : null;
}

/** A PARAM-VALUE from after its opening quote: `\"`, `\\` and `\]` unescaped, other backslashes kept. */
function readSdValue(s: string, start: number): { value: string; end: number } | null {
  let value = "";
  for (let pos = start; pos < s.length; pos++) {
    const ch = s[pos];
    if (ch === '"') return { value, end: pos + 1 };
    if (ch === "\\" && (s[pos + 1] === '"' || s[pos + 1] === "\\" || s[pos + 1] === "]")) {
      value += s[pos + 1];
      pos++;
    } else value += ch;
  }
  return null;
}

function addParam(params: Record<string, string | string[]>, name: string, value: string): void {
  if (!Object.hasOwn(params, name)) return setField(params, name, value);
  const prev = params[name];
  setField(params, name, Array.isArray(prev) ? [...prev, value] : [prev, value]);
}

// ---- RFC 3164 ----

const BSD_TIME = /^([A-Za-z]{3}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?= |$)/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\S+(?= |$)/;
const TAG = /^([^\s[\]:]{1,128})(?:\[([^\]\s]*)\])?:(?: |$)/;
const HOSTNAME = /^[A-Za-z0-9._%:-]+$/;

/** The part after PRI of a BSD message. Never fails: what cannot be read stays in the message. */
function parseRfc3164Body(text: string, opts: SyslogOptions): IncomingEvent {
  const time = readBsdTimestamp(text, opts);
  let rest = time ? text.slice(time.length).replace(/^ /, "") : text;
  let host: string | undefined;
  if (time) {
    const word = /^(\S+)(?: |$)/.exec(rest);
    if (word && HOSTNAME.test(word[1]) && !word[1].endsWith(":") && rest.length > word[0].length) {
      host = word[1];
      rest = rest.slice(word[0].length);
    }
  }
  const tag = TAG.exec(rest);
  const fields: JsonObject = {};
  if (tag?.[2]) fields.procid = tag[2];
  return {
    ts: time?.ts,
    message: tag ? rest.slice(tag[0].length) : rest,
    service: tag?.[1],
    host,
    fields,
  };
}

/** The timestamp at the start of a BSD message: its length and epoch ms (undefined when the date is impossible). */
function readBsdTimestamp(text: string, opts: SyslogOptions): { length: number; ts: number | undefined } | null {
  const iso = ISO_TIME.exec(text);
  if (iso) {
    const ts = parseRfc3339(iso[0]);
    return ts === undefined ? null : { length: iso[0].length, ts };
  }
  const m = BSD_TIME.exec(text);
  const month = m ? MONTHS.indexOf(m[1].toLowerCase()) + 1 : 0;
  if (!m || month === 0) return null;
  const wall = {
    month,
    day: Number(m[2]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    ms: m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0,
  };
  if (wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59 || wall.second > 60) return null;
  const timeZone = opts.timezone ?? "UTC";
  const ts = m[3] ? wallToEpoch({ ...wall, year: Number(m[3]) }, timeZone) : resolveYearless(wall, timeZone, opts.now);
  return { length: m[0].length, ts };
}

/**
 * The instant of a year-less wall time: the latest of (now's year − 1, now's year, now's year + 1)
 * that is not more than a week ahead of `now`. Logs come from the past, give or take clock skew.
 */
export function resolveYearless(wall: Omit<WallTime, "year">, timeZone: string, now: number): number | undefined {
  const year = new Date(now).getUTCFullYear();
  let latest: number | undefined;
  for (const y of [year + 1, year, year - 1]) {
    const t = wallToEpoch({ ...wall, year: y }, timeZone);
    if (t !== undefined && t <= now + MAX_FUTURE_MS) return t;
    latest = t ?? latest;
  }
  return latest;
}

function wallToEpoch(wall: WallTime, timeZone: string): number | undefined {
  if (wall.day > daysInMonth(wall.year, wall.month)) return undefined;
  return zonedTimeToEpoch({ ...wall, second: Math.min(wall.second, 59) }, timeZone);
}
