import { describe, expect, it } from "vitest";
import { decodeExplorerState, emptyQuery, encodeExplorerState, explorerHref, MAX_QUERIES, type ExplorerQuery } from "./url-state";

describe("explorer URL state", () => {
  const rows: ExplorerQuery[] = [
    { expr: 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))', tab: "graph", legend: "{{job}}", step: "30s", stacked: true, unit: "bytes" },
    { expr: "up", tab: "table", legend: "", step: "", stacked: false, unit: "short" },
  ];

  it("round-trips rows and keeps other parameters", () => {
    const base = new URLSearchParams("from=now-6h&to=now&g5.expr=old&g0.tab=table");
    const encoded = encodeExplorerState(rows, base);
    expect(encoded.get("from")).toBe("now-6h");
    expect(encoded.get("to")).toBe("now");
    expect(encoded.has("g5.expr")).toBe(false);
    // Through a real URL string, as a shared link would travel.
    const reparsed = new URLSearchParams(`?${encoded.toString()}`);
    expect(decodeExplorerState(reparsed)).toEqual(rows);
  });

  it("leaves defaults out", () => {
    const encoded = encodeExplorerState([emptyQuery("up")]);
    expect(encoded.toString()).toBe("g0.expr=up&g0.tab=graph");
  });

  it("gives one empty row when the URL has none", () => {
    expect(decodeExplorerState(new URLSearchParams("from=now-1h"))).toEqual([emptyQuery()]);
  });

  it("orders groups by number and tolerates gaps and junk", () => {
    const p = new URLSearchParams("g10.expr=c&g2.expr=b&g0.expr=a&g0.tab=bogus&g0.unit=furlongs&g0.stacked=yes&gx.expr=z&g1.color=red");
    const decoded = decodeExplorerState(p);
    expect(decoded.map((q) => q.expr)).toEqual(["a", "b", "c"]);
    expect(decoded[0]).toEqual(emptyQuery("a"));
  });

  it("caps the number of rows", () => {
    const many = Array.from({ length: MAX_QUERIES + 3 }, (_, i) => emptyQuery(`q${i}`));
    expect(decodeExplorerState(encodeExplorerState(many))).toHaveLength(MAX_QUERIES);
    const p = new URLSearchParams(many.map((q, i) => `g${i}.expr=${q.expr}`).join("&"));
    expect(decodeExplorerState(p)).toHaveLength(MAX_QUERIES);
  });

  it("builds links to the explorer", () => {
    expect(explorerHref('rate(x{a="b"}[5m])', { from: "now-15m", to: "now" })).toBe(
      "/explore/metrics?from=now-15m&to=now&g0.expr=rate%28x%7Ba%3D%22b%22%7D%5B5m%5D%29&g0.tab=graph",
    );
  });
});
