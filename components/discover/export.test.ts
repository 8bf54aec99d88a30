import { describe, expect, it } from "vitest";
import { csvQuote } from "@/server/logs/search/csv";
import { exportHref, hitsToCsv } from "./export";
import { makeHit } from "./test-hits";

describe("export", () => {
  it("links the export endpoint with the query, range, format and columns", () => {
    const href = exportHref({ query: "level:error AND x&y", startMs: 0, endMs: 60_000, format: "ndjson", columns: ["level", "http.status"] });
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/api/v1/logs/export");
    expect(url.searchParams.get("q")).toBe("level:error AND x&y");
    expect(url.searchParams.get("start")).toBe("1970-01-01T00:00:00.000Z");
    expect(url.searchParams.get("end")).toBe("1970-01-01T00:01:00.000Z");
    expect(url.searchParams.get("format")).toBe("ndjson");
    expect(url.searchParams.get("columns")).toBe("level,http.status");
  });

  it("quotes CSV cells when needed", () => {
    expect(csvQuote("plain")).toBe("plain");
    expect(csvQuote('a "b", c')).toBe('"a ""b"", c"');
    expect(csvQuote("two\nlines")).toBe('"two\nlines"');
  });

  it("writes the timestamp then the columns, missing fields empty", () => {
    const hits = [makeHit({ id: "1", ts: 0, message: "x, y", attributes: { http: { status: 500 } } }), makeHit({ id: "2", ts: 1000, level: null })];
    expect(hitsToCsv(hits, ["level", "message", "http.status"])).toBe(
      "@timestamp,level,message,http.status\r\n1970-01-01T00:00:00.000Z,info,\"x, y\",500\r\n1970-01-01T00:00:01.000Z,,hello,\r\n",
    );
  });
});
