import { describe, expect, it } from "vitest";
import { parseLogfmt } from "./logfmt";

describe("parseLogfmt", () => {
  it("reads bare, quoted and escaped values and flags", () => {
    expect(parseLogfmt(`level=info msg="user logged in" took=12ms path=/a?b=c verbose empty= q='x y' esc="a \\"b\\" \\\\ c\\n"`)).toEqual({
      level: "info",
      msg: "user logged in",
      took: "12ms",
      path: "/a?b=c",
      verbose: true,
      empty: "",
      q: "x y",
      esc: 'a "b" \\ c\n',
    });
  });

  it("keeps dotted keys as they are and lets later keys win", () => {
    expect(parseLogfmt("http.status=200 a=1 a=2")).toEqual({ "http.status": "200", a: "2" });
  });

  it("tolerates junk: unterminated quotes run to the end, stray text is skipped", () => {
    expect(parseLogfmt('a=1 =x "b c" d="unterminated value')).toEqual({ a: "1", d: "unterminated value" });
  });

  it("returns nothing for plain text without pairs", () => {
    expect(parseLogfmt("")).toEqual({});
    expect(parseLogfmt("   ")).toEqual({});
  });
});
