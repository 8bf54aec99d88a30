import { describe, expect, it } from "vitest";
import { makeHit } from "@/components/discover/test-hits";
import type { Target } from "@/server/dashboards/model";
import type { PanelData, TargetResult } from "@/server/dashboards/panel-data";
import { discoverLink, lineFields, logLines, parseFieldList } from "./log-rows";

const data = (...results: TargetResult[]): PanelData => ({ range: { start: 1000, end: 5000 }, intervalMs: 1000, results });
const logs = (refId: string, ...ts: number[]): TargetResult => ({ kind: "logs", refId, total: ts.length, hits: ts.map((t) => makeHit({ id: `${refId}${t}`, ts: t })) });
const target = (refId: string, query: string, hide = false): Target => ({ kind: "logs", refId, query, mode: "lines", limit: 100, hide });

describe("logLines", () => {
  it("merges the log results in time order", () => {
    const d = data(logs("A", 3, 1), { kind: "error", refId: "B", message: "x" }, logs("C", 2));
    expect(logLines(d, "newest").map((h) => h.id)).toEqual(["A3", "C2", "A1"]);
    expect(logLines(d, "oldest").map((h) => h.id)).toEqual(["A1", "C2", "A3"]);
    expect(logLines(undefined, "newest")).toEqual([]);
  });
});

describe("lineFields", () => {
  it("reads built-ins and attribute paths, skipping missing ones", () => {
    const hit = makeHit({ id: "1", host: null, attributes: { http: { status: 502 }, "user.id": "u1", tags: ["a"] } });
    expect(lineFields(hit, ["service", "host", "http.status", "user.id", "tags", "nope"])).toEqual([
      { field: "service", text: "payment-api" },
      { field: "http.status", text: "502" },
      { field: "user.id", text: "u1" },
      { field: "tags", text: '["a"]' },
    ]);
  });
});

describe("discoverLink", () => {
  it("links the query and the absolute range", () => {
    const url = discoverLink([target("A", "level:error")], data(logs("A", 1)));
    const u = new URL(url, "http://x");
    expect(u.pathname).toBe("/explore/logs");
    expect(u.searchParams.get("q")).toBe("level:error");
    expect(u.searchParams.get("from")).toBe("1000");
    expect(u.searchParams.get("to")).toBe("5000");
    expect(u.searchParams.getAll("col")).toEqual([]);
  });
  it("joins several queries with OR, skips hidden targets and uses fields as columns", () => {
    const u = new URL(discoverLink([target("A", "a:1"), target("B", "b:2"), target("C", "c:3", true)], undefined, ["host", "http.status"]), "http://x");
    expect(u.searchParams.get("q")).toBe("(a:1) OR (b:2)");
    expect(u.searchParams.getAll("col")).toEqual(["level", "host", "http.status", "message"]);
    expect(u.searchParams.get("from")).toBeNull();
  });
  it("matches everything when one query is empty, and prefers an interpolated query", () => {
    expect(new URL(discoverLink([target("A", "a:1"), target("B", "")], undefined), "http://x").searchParams.get("q")).toBeNull();
    const withQuery: TargetResult = Object.assign(logs("A", 1), { query: "service:api" });
    expect(new URL(discoverLink([target("A", "service:$svc")], data(withQuery)), "http://x").searchParams.get("q")).toBe("service:api");
  });
});

describe("parseFieldList", () => {
  it("splits on commas, trims, drops empties and duplicates", () => {
    expect(parseFieldList(" service, http.status,,service , ")).toEqual(["service", "http.status"]);
  });
});
