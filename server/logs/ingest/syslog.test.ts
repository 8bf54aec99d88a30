import { describe, expect, it } from "vitest";
import type { IncomingEvent } from "@/server/logs/event";
import {
  decodeSyslogDatagram,
  decodeSyslogFrames,
  decodeSyslogMessages,
  parseStructuredData,
  parseSyslog,
  resolveYearless,
  SyslogFramer,
  type SyslogOptions,
} from "./syslog";

const NOW = Date.UTC(2024, 4, 1, 14, 0, 0); // 2024-05-01T14:00:00Z
const OPTS: SyslogOptions = { now: NOW };
const T = Date.UTC(2024, 4, 1, 13, 45, 0);

function parse(message: string, opts: Partial<SyslogOptions> = {}): IncomingEvent {
  return JSON.parse(JSON.stringify(parseSyslog(message, { ...OPTS, ...opts }))) as IncomingEvent;
}

describe("RFC 5424", () => {
  it.each([
    [
      "no structured data, BOM before MSG",
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8",
      {
        ts: Date.UTC(2003, 9, 11, 22, 14, 15, 3),
        message: "'su root' failed for lonvick on /dev/pts/8",
        level: "fatal",
        service: "su",
        host: "mymachine.example.com",
        fields: { facility: "auth", severity: "crit", msgid: "ID47" },
      },
    ],
    [
      "offset timestamp with microseconds, procid",
      "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
      {
        ts: Date.UTC(2003, 7, 24, 12, 14, 15, 0),
        message: "%% It's time to make the do-nuts.",
        level: "info",
        service: "myproc",
        host: "192.0.2.1",
        fields: { facility: "local4", severity: "notice", procid: "8710" },
      },
    ],
    [
      "structured data and a message",
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...',
      {
        ts: Date.UTC(2003, 9, 11, 22, 14, 15, 3),
        message: "An application event log entry...",
        level: "info",
        service: "evntslog",
        host: "mymachine.example.com",
        fields: {
          facility: "local4",
          severity: "notice",
          msgid: "ID47",
          sd: { "exampleSDID@32473": { iut: "3", eventSource: "Application", eventID: "1011" } },
        },
      },
    ],
    [
      "two SD elements and no message",
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"][examplePriority@32473 class="high"]',
      {
        ts: Date.UTC(2003, 9, 11, 22, 14, 15, 3),
        message: "",
        level: "info",
        service: "evntslog",
        host: "mymachine.example.com",
        fields: { facility: "local4", severity: "notice", msgid: "ID47", sd: { "exampleSDID@32473": { iut: "3" }, "examplePriority@32473": { class: "high" } } },
      },
    ],
    [
      "rsyslog RSYSLOG_SyslogProtocol23Format",
      '<11>1 2024-05-01T15:45:00.123456+02:00 web-1 nginx 1234 - [timeQuality tzKnown="1" isSynced="1"] connect() failed (111: Connection refused)\n',
      {
        ts: T + 123,
        message: "connect() failed (111: Connection refused)",
        level: "error",
        service: "nginx",
        host: "web-1",
        fields: { facility: "user", severity: "err", procid: "1234", sd: { timeQuality: { tzKnown: "1", isSynced: "1" } } },
      },
    ],
    [
      "every header field NIL",
      "<14>1 - - - - - -",
      { message: "", level: "info", fields: { facility: "user", severity: "info" } },
    ],
    [
      "NIL structured data followed directly by the end",
      "<15>1 2024-05-01T13:45:00Z h app - - -",
      { ts: T, message: "", level: "debug", service: "app", host: "h", fields: { facility: "user", severity: "debug" } },
    ],
  ])("%s", (_name, message, expected) => {
    expect(parse(message)).toEqual(expected);
  });

  it("unescapes \\\" \\\\ and \\] in SD values, keeps other backslashes", () => {
    const event = parse(String.raw`<13>1 - h a - - [meta q="say \"hi\"" path="C:\\tmp" br="a\]b" other="x\ny"] msg`);
    expect(event.fields.sd).toEqual({ meta: { q: 'say "hi"', path: "C:\\tmp", br: "a]b", other: "x\\ny" } });
    expect(event.message).toBe("msg");
  });

  it("collects a repeated param into an array and merges a repeated SD-ID", () => {
    const event = parse('<13>1 - h a - - [x@1 ip="10.0.0.1" ip="10.0.0.2"][x@1 ip="10.0.0.3" k="v"] m');
    expect(event.fields.sd).toEqual({ "x@1": { ip: ["10.0.0.1", "10.0.0.2", "10.0.0.3"], k: "v" } });
  });

  it.each([
    ["unterminated element", '<13>1 - h a - - [x@1 k="v" rest of line', '[x@1 k="v" rest of line'],
    ["unquoted value", "<13>1 - h a - - [x@1 k=v] text", "[x@1 k=v] text"],
    ["no space after SD", '<13>1 - h a - - [x@1 k="v"]text', '[x@1 k="v"]text'],
    ["text instead of SD", "<13>1 - h a - - hello there", "hello there"],
  ])("keeps the text as message when the structured data is malformed (%s)", (_name, line, message) => {
    const event = parse(line);
    expect(event.message).toBe(message);
    expect(event.fields.sd).toBeUndefined();
    expect(event).toMatchObject({ service: "a", host: "h" });
  });

  it("leaves ts unset for an unreadable timestamp but reads the rest", () => {
    expect(parse("<13>1 yesterday h app - - - m")).toMatchObject({ message: "m", service: "app", host: "h" });
    expect(parse("<13>1 yesterday h app - - - m").ts).toBeUndefined();
  });
});

describe("RFC 3164", () => {
  it.each([
    [
      "the RFC's example",
      "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      { ts: Date.UTC(2023, 9, 11, 22, 14, 15), message: "'su root' failed for lonvick on /dev/pts/8", level: "fatal", service: "su", host: "mymachine", fields: { facility: "auth", severity: "crit" } },
    ],
    [
      "sshd with pid",
      "<86>May  1 13:45:00 web-1 sshd[4242]: Accepted publickey for deploy from 10.0.0.5 port 51234 ssh2",
      { ts: T, message: "Accepted publickey for deploy from 10.0.0.5 port 51234 ssh2", level: "info", service: "sshd", host: "web-1", fields: { facility: "authpriv", severity: "info", procid: "4242" } },
    ],
    [
      "kernel",
      "<6>May  1 13:45:00 web-1 kernel: [12345.678901] eth0: link up",
      { ts: T, message: "[12345.678901] eth0: link up", level: "info", service: "kernel", host: "web-1", fields: { facility: "kern", severity: "info" } },
    ],
    [
      "a tag with a slash (postfix)",
      "<22>May  1 13:45:00 mx postfix/smtpd[1234]: connect from unknown[10.0.0.1]",
      { ts: T, message: "connect from unknown[10.0.0.1]", level: "info", service: "postfix/smtpd", host: "mx", fields: { facility: "mail", severity: "info", procid: "1234" } },
    ],
    [
      "an IP as host and no tag (RFC example)",
      "<13>May  1 13:45:00 10.0.0.99 Use the BFG!",
      { ts: T, message: "Use the BFG!", level: "info", host: "10.0.0.99", fields: { facility: "user", severity: "notice" } },
    ],
    [
      "no hostname (local /dev/log style)",
      "<38>May  1 13:45:00 sshd[4242]: Server listening on 0.0.0.0 port 22.",
      { ts: T, message: "Server listening on 0.0.0.0 port 22.", level: "info", service: "sshd", fields: { facility: "auth", severity: "info", procid: "4242" } },
    ],
    [
      "no hostname, tag without pid",
      "<13>May  1 13:45:00 myscript: done",
      { ts: T, message: "done", level: "info", service: "myscript", fields: { facility: "user", severity: "notice" } },
    ],
    [
      "no PRI (user.notice assumed)",
      "May  1 13:45:00 web-1 cron[99]: (root) CMD (run-parts /etc/cron.hourly)",
      { ts: T, message: "(root) CMD (run-parts /etc/cron.hourly)", level: "info", service: "cron", host: "web-1", fields: { facility: "user", severity: "notice", procid: "99" } },
    ],
    [
      "no timestamp",
      "<13>su: hello",
      { message: "hello", level: "info", service: "su", fields: { facility: "user", severity: "notice" } },
    ],
    [
      "no timestamp, no tag",
      "<11>something went wrong",
      { message: "something went wrong", level: "error", fields: { facility: "user", severity: "err" } },
    ],
    [
      "RFC 3339 timestamp (rsyslog RSYSLOG_ForwardFormat)",
      "<30>2024-05-01T15:45:00.123+02:00 web-1 systemd[1]: Started Session 42 of user root.",
      { ts: T + 123, message: "Started Session 42 of user root.", level: "info", service: "systemd", host: "web-1", fields: { facility: "daemon", severity: "info", procid: "1" } },
    ],
    [
      "fractional seconds",
      "<13>May  1 13:45:00.250 web-1 app: x",
      { ts: T + 250, message: "x", level: "info", service: "app", host: "web-1", fields: { facility: "user", severity: "notice" } },
    ],
    [
      "a year after the day (network gear)",
      "<187>May  1 2023 13:45:00 router1 %LINK-3-UPDOWN: Interface Gi0/1, changed state to down",
      { ts: Date.UTC(2023, 4, 1, 13, 45), message: "Interface Gi0/1, changed state to down", level: "error", service: "%LINK-3-UPDOWN", host: "router1", fields: { facility: "local7", severity: "err" } },
    ],
    [
      "two-digit day without padding space",
      "<13>May 01 13:45:00 h a: m",
      { ts: T, message: "m", level: "info", service: "a", host: "h", fields: { facility: "user", severity: "notice" } },
    ],
    [
      "an empty message after the tag",
      "<13>May  1 13:45:00 h a:",
      { ts: T, message: "", level: "info", service: "a", host: "h", fields: { facility: "user", severity: "notice" } },
    ],
  ])("%s", (_name, message, expected) => {
    expect(parse(message)).toEqual(expected);
  });

  it("reads the timestamp in the configured zone", () => {
    expect(parse("<13>May  1 15:45:00 h a: m", { timezone: "Europe/Berlin" }).ts).toBe(T);
    expect(parse("<13>Jan 15 12:45:00 h a: m", { timezone: "Europe/Berlin", now: Date.UTC(2024, 0, 15) }).ts).toBe(Date.UTC(2024, 0, 15, 11, 45));
    expect(parse("<13>May  1 09:45:00 h a: m", { timezone: "-04:00" }).ts).toBe(T);
  });

  it("does not apply the zone to RFC 3339 timestamps that carry an offset", () => {
    expect(parse("<13>2024-05-01T13:45:00Z h a: m", { timezone: "Europe/Berlin" }).ts).toBe(T);
  });

  it.each([
    ["Dec 31 just after new year → last year", "Dec 31 23:59:59", Date.UTC(2024, 0, 1, 0, 5), Date.UTC(2023, 11, 31, 23, 59, 59)],
    ["Jan 1 just before new year (clock ahead) → next year", "Jan  1 00:00:01", Date.UTC(2024, 11, 31, 23, 59), Date.UTC(2025, 0, 1, 0, 0, 1)],
    ["same day → this year", "May  1 13:45:00", NOW, T],
    ["months ago → this year", "Feb  3 10:00:00", NOW, Date.UTC(2024, 1, 3, 10)],
    ["Feb 29 received in 2025 → 2024", "Feb 29 12:00:00", Date.UTC(2025, 2, 1), Date.UTC(2024, 1, 29, 12)],
    ["five months ahead → last year", "Oct 11 22:14:15", NOW, Date.UTC(2023, 9, 11, 22, 14, 15)],
    ["a week ahead (clock skew) → this year", "May  8 14:00:00", NOW, Date.UTC(2024, 4, 8, 14)],
    ["eight days ahead → last year", "May  9 14:00:00", NOW, Date.UTC(2023, 4, 9, 14)],
  ])("infers the year: %s", (_name, stamp, now, ts) => {
    expect(parse(`<13>${stamp} h a: m`, { now }).ts).toBe(ts);
  });

  it("leaves an impossible date unparsed (kept in the message)", () => {
    const event = parse("<13>Foo 32 13:45:00 h a: m");
    expect(event.ts).toBeUndefined();
    expect(event.message).toBe("Foo 32 13:45:00 h a: m");
  });

  it("uses defaultHost when the message names none", () => {
    expect(parse("<13>May  1 13:45:00 app: m", { defaultHost: "10.1.2.3" }).host).toBe("10.1.2.3");
    expect(parse("<13>May  1 13:45:00 web-1 app: m", { defaultHost: "10.1.2.3" }).host).toBe("web-1");
    expect(parse("<13>1 - - app - - - m", { defaultHost: "10.1.2.3" }).host).toBe("10.1.2.3");
  });

  it("treats an out-of-range PRI as no PRI", () => {
    expect(parse("<999>hello")).toEqual({ message: "<999>hello", level: "info", fields: { facility: "user", severity: "notice" } });
  });
});

describe("PRI → facility, severity, level", () => {
  it.each([
    [0, "kern", "emerg", "fatal"],
    [9, "user", "alert", "fatal"],
    [18, "mail", "crit", "fatal"],
    [27, "daemon", "err", "error"],
    [36, "auth", "warning", "warn"],
    [45, "syslog", "notice", "info"],
    [86, "authpriv", "info", "info"],
    [191, "local7", "debug", "debug"],
  ])("<%d> → %s.%s → %s", (pri, facility, severity, level) => {
    const event = parse(`<${pri}>1 - - - - - - x`);
    expect(event.fields).toMatchObject({ facility, severity });
    expect(event.level).toBe(level);
  });
});

describe("decodeSyslogMessages / decodeSyslogDatagram", () => {
  it("decodes framed messages, strings or buffers, one item each", () => {
    const items = decodeSyslogMessages(
      [Buffer.from("<13>1 2024-05-01T13:45:00Z h app - - - one\n"), "<13>May  1 13:45:00 h app: two", Buffer.from("\n"), "<13>three\r\n"],
      OPTS,
    );
    expect(items.map((i) => [i.index, i.ok ? i.event.message : i.error])).toEqual([
      [0, "one"],
      [1, "two"],
      [2, "empty syslog message"],
      [3, "three"],
    ]);
  });

  it("decodes UTF-8 and strips a trailing NUL", () => {
    const [item] = decodeSyslogDatagram(Buffer.from("<13>May  1 13:45:00 h app: grüße ✓\0"), OPTS);
    expect(item).toMatchObject({ ok: true, index: 0, event: { message: "grüße ✓" } });
  });

  it("decodes one datagram as one message even with newlines inside", () => {
    const items = decodeSyslogDatagram(Buffer.from("<13>May  1 13:45:00 h app: line 1\nline 2\n"), OPTS);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ ok: true, event: { message: "line 1\nline 2" } });
  });
});

describe("parseStructuredData", () => {
  it.each([
    ["-", { data: {}, end: 1 }],
    ["- msg", { data: {}, end: 1 }],
    ["[a]", { data: { a: {} }, end: 3 }],
    ['[a k="v"] msg', { data: { a: { k: "v" } }, end: 9 }],
    ['[a k=""]', { data: { a: { k: "" } }, end: 8 }],
    ["[]", null],
    ["[a k]", null],
    ['[a  k="v"]', null],
    ["", null],
    ["x", null],
  ])("%j", (input, expected) => {
    expect(parseStructuredData(input)).toEqual(expected);
  });
});

describe("resolveYearless", () => {
  it("returns undefined when no candidate year has the date", () => {
    // Feb 29 near 2022: 2021, 2022, 2023 are not leap years
    expect(resolveYearless({ month: 2, day: 29, hour: 0, minute: 0, second: 0, ms: 0 }, "UTC", Date.UTC(2022, 5, 1))).toBeUndefined();
  });
});

describe("decodeSyslogFrames", () => {
  it("parses a TCP connection's frames, keeping framing errors as items", () => {
    const framer = new SyslogFramer({ maxMessageBytes: 80 });
    const frames = [
      ...framer.push(Buffer.from(`<13>May  1 13:45:00 h app: first\n${"x".repeat(100)}\n`)),
      ...framer.push(Buffer.from("26 <13>1 - h app - - - second")),
      ...framer.end(),
    ];
    expect(decodeSyslogFrames(frames, OPTS).map((i) => [i.index, i.ok ? i.event.message : i.error])).toEqual([
      [0, "first"],
      [1, "message of 100 bytes exceeds the 80-byte limit"],
      [2, "second"],
    ]);
  });
});
