import { describe, expect, it } from "vitest";
import { splitLines } from "./lines";

describe("splitLines", () => {
  it.each([
    ["LF", "a\nb\n", [{ index: 0, text: "a" }, { index: 1, text: "b" }]],
    ["CRLF", "a\r\nb\r\n", [{ index: 0, text: "a" }, { index: 1, text: "b" }]],
    ["no final newline", "a\nb", [{ index: 0, text: "a" }, { index: 1, text: "b" }]],
    ["blank lines skipped, numbers kept", "a\n\n  \r\n\tb\n", [{ index: 0, text: "a" }, { index: 3, text: "\tb" }]],
    ["leading BOM", "\uFEFFa\n", [{ index: 0, text: "a" }]],
    ["lone CR is text", "a\rb\n", [{ index: 0, text: "a\rb" }]],
    ["UTF-8", "héllo ✓ 日本\n", [{ index: 0, text: "héllo ✓ 日本" }]],
    ["empty body", "", []],
    ["only newlines", "\n\n\n", []],
  ])("%s", (_name, body, expected) => {
    expect(splitLines(Buffer.from(body))).toEqual(expected);
  });

  it("reports lines over the limit by byte length without decoding them", () => {
    const body = Buffer.from(`short\n${"x".repeat(11)}\nok\n`);
    expect(splitLines(body, 10)).toEqual([
      { index: 0, text: "short" },
      { index: 1, tooLong: 11 },
      { index: 2, text: "ok" },
    ]);
  });

  it("counts bytes, not characters, against the limit", () => {
    expect(splitLines(Buffer.from("ééééé\n"), 10)).toEqual([{ index: 0, text: "ééééé" }]); // 10 bytes
    expect(splitLines(Buffer.from("éééééé\n"), 10)).toEqual([{ index: 0, tooLong: 12 }]);
  });

  it("does not count the CR of a CRLF against the limit", () => {
    expect(splitLines(Buffer.from("0123456789\r\n"), 10)).toEqual([{ index: 0, text: "0123456789" }]);
  });
});
