import { describe, expect, it } from "vitest";
import { parseHistory, pushHistory } from "./query-history";

describe("query history", () => {
  it("puts the latest first, deduplicated, trimmed and limited", () => {
    expect(pushHistory(["a", "b"], " b ")).toEqual(["b", "a"]);
    expect(pushHistory(["a"], "  ")).toEqual(["a"]);
    expect(pushHistory(["a", "b", "c"], "d", 3)).toEqual(["d", "a", "b"]);
  });

  it("reads only a list of strings back", () => {
    expect(parseHistory('["x",1,"",null,"y"]')).toEqual(["x", "y"]);
    expect(parseHistory("{oops")).toEqual([]);
    expect(parseHistory('{"a":1}')).toEqual([]);
    expect(parseHistory(null)).toEqual([]);
  });
});
