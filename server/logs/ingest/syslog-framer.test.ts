import { describe, expect, it } from "vitest";
import { SyslogFramer, type SyslogFrame } from "./syslog-framer";

/** Frames as strings ("!error" for errors), for compact assertions. */
function show(frames: SyslogFrame[]): string[] {
  return frames.map((f) => (f.ok ? f.message.toString("utf8") : `!${f.error}`));
}

/** Feeds `input` in chunks of the given sizes (cycled), then ends the stream. */
function feed(input: string | Buffer, sizes: number[] = [input.length], max?: number): string[] {
  const buf = typeof input === "string" ? Buffer.from(input) : input;
  const framer = new SyslogFramer({ maxMessageBytes: max });
  const frames: SyslogFrame[] = [];
  for (let pos = 0, i = 0; pos < buf.length; i++) {
    const size = sizes[i % sizes.length];
    frames.push(...framer.push(buf.subarray(pos, pos + size)));
    pos += size;
  }
  frames.push(...framer.end());
  return show(frames);
}

const octet = (msg: string) => `${Buffer.byteLength(msg)} ${msg}`;
const M1 = "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed";
const M2 = "<13>May  1 13:45:00 web-1 sshd[4242]: Accepted publickey for deploy";
const M3 = "<14>1 - - - - - - ünïcødé ✓";

describe("SyslogFramer", () => {
  it.each([
    ["LF framing", `${M1}\n${M2}\n`, [M1, M2]],
    ["CRLF framing", `${M1}\r\n${M2}\r\n`, [M1, M2]],
    ["NUL framing", `${M1}\0${M2}\0`, [M1, M2]],
    ["octet counting", octet(M1) + octet(M2), [M1, M2]],
    ["octet counting keeps LFs inside a message", octet("<13>line 1\nline 2\n") + octet(M2), ["<13>line 1\nline 2\n", M2]],
    ["octet counting with multi-byte characters", octet(M3) + octet(M1), [M3, M1]],
    ["octet frames followed by LF (some senders)", `${octet(M1)}\n${octet(M2)}\n`, [M1, M2]],
    ["framing mixed per message", `${octet(M1)}${M2}\n${octet(M3)}`, [M1, M2, M3]],
    ["blank lines between messages skipped", `\n\n${M1}\n\r\n\n${M2}\n`, [M1, M2]],
    ["a last line without terminator, flushed by end()", `${M1}\n${M2}`, [M1, M2]],
    ["a line starting with digits (not a length)", "2024-05-01 plain text\n123abc\n", ["2024-05-01 plain text", "123abc"]],
    ["a leading zero is never a length", "0 zero\n", ["0 zero"]],
    ["an over-long digit run is text", "1234567890 x\n", ["1234567890 x"]],
    ["empty input", "", []],
  ])("%s", (_name, input, expected) => {
    expect(feed(input)).toEqual(expected);
  });

  it("gives the same frames however the stream is cut", () => {
    const stream = Buffer.from(`${octet(M1)}${M2}\r\n${octet(M3)}\n\0${M1}\0${octet("<13>a\nb")}${M2}\n`);
    const expected = [M1, M2, M3, M1, "<13>a\nb", M2];
    expect(feed(stream)).toEqual(expected);
    for (const sizes of [[1], [2], [3], [5, 1], [7, 13, 2], [64]]) expect(feed(stream, sizes)).toEqual(expected);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(feed(stream, [cut, stream.length])).toEqual(expected);
    }
  });

  it("splits a CRLF across chunks without leaving the CR", () => {
    const framer = new SyslogFramer();
    expect(show(framer.push(Buffer.from(`${M1}\r`)))).toEqual([]);
    expect(show(framer.push(Buffer.from(`\n${M2}`)))).toEqual([M1]);
    expect(show(framer.end())).toEqual([M2]);
  });

  it("splits a multi-byte character across chunks", () => {
    const bytes = Buffer.from(octet(M3));
    const cut = bytes.indexOf(Buffer.from("ü")) + 1; // inside the 2-byte "ü"
    expect(feed(bytes, [cut, bytes.length])).toEqual([M3]);
  });

  it("waits for the whole length prefix", () => {
    const framer = new SyslogFramer();
    expect(framer.push(Buffer.from("1"))).toEqual([]);
    expect(framer.push(Buffer.from("2"))).toEqual([]);
    expect(show(framer.push(Buffer.from(" <13>hello!xy")))).toEqual(["<13>hello!xy"]);
  });

  describe("max message size", () => {
    it("rejects an oversize octet-counted message and skips exactly its bytes", () => {
      const big = `<13>${"x".repeat(200)}`;
      expect(feed(`${octet(M1)}${octet(big)}${octet(M2)}`, undefined, 100)).toEqual([M1, "!octet-counted message of 204 bytes exceeds the 100-byte limit", M2]);
    });

    it("skips an oversize octet-counted message that arrives in small chunks", () => {
      const big = `<13>${"y".repeat(500)}\n${M1}`; // an LF inside must not resync early
      const stream = `${octet(big)}${octet(M2)}`;
      expect(feed(stream, [7], 100)).toEqual([`!octet-counted message of ${Buffer.byteLength(big)} bytes exceeds the 100-byte limit`, M2]);
    });

    it("rejects an oversize line, resyncs at the next line end, and never buffers more than the limit", () => {
      const big = "z".repeat(1000);
      const framer = new SyslogFramer({ maxMessageBytes: 100 });
      const frames: SyslogFrame[] = [];
      for (let i = 0; i < big.length; i += 10) frames.push(...framer.push(Buffer.from(big.slice(i, i + 10))));
      frames.push(...framer.push(Buffer.from(`zzz\n${M2}\n`)));
      expect(show(frames)).toEqual(["!message exceeds the 100-byte limit without a line end", M2]);
      expect(show(framer.end())).toEqual([]);
    });

    it("rejects an oversize line that arrives whole", () => {
      expect(feed(`${"a".repeat(101)}\n${M1}\n`, undefined, 100)).toEqual(["!message of 101 bytes exceeds the 100-byte limit", M1]);
    });

    it("accepts a message of exactly the limit, with or without CR", () => {
      const exact = "b".repeat(100);
      expect(feed(`${exact}\r\n${octet(exact)}${exact}\n`, [1], 100)).toEqual([exact, exact, exact]);
    });
  });

  describe("end()", () => {
    it("reports an octet-counted frame cut by the connection closing", () => {
      expect(feed(`${octet(M1)}50 <13>only part`)).toEqual([M1, "!connection closed inside an octet-counted frame (13 of 50 bytes)"]);
    });

    it("resets the framer for reuse", () => {
      const framer = new SyslogFramer();
      framer.push(Buffer.from("100 partial"));
      framer.end();
      expect(show(framer.push(Buffer.from(`${M1}\n`)))).toEqual([M1]);
    });

    it("flushes a pending digit run as a message", () => {
      expect(feed("42")).toEqual(["42"]);
    });
  });
});
