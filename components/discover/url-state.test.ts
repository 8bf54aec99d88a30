import { describe, expect, it } from "vitest";
import { DEFAULT_COLUMNS } from "./columns";
import { decodeDiscoverState, discoverHref, encodeDiscoverState } from "./url-state";

const ID = "0b6f8c1e-6a8f-4b7e-9a5e-1f0c2d3e4f5a";

describe("discover URL state", () => {
  it("round-trips through a URL and keeps other parameters", () => {
    const state = { query: 'level:error AND msg:"card declined" & 50%', columns: ["level", "http.status"], savedId: ID };
    const encoded = encodeDiscoverState(state, new URLSearchParams("from=now-1h&to=now&q=old&col=x"));
    const back = new URLSearchParams(`?${encoded.toString()}`);
    expect(back.get("from")).toBe("now-1h");
    expect(back.getAll("col")).toEqual(["level", "http.status"]);
    expect(decodeDiscoverState(back)).toEqual(state);
  });

  it("leaves defaults out and reads an empty URL as the defaults", () => {
    expect(encodeDiscoverState({ query: "", columns: [...DEFAULT_COLUMNS], savedId: null }).toString()).toBe("");
    expect(decodeDiscoverState(new URLSearchParams())).toEqual({ query: "", columns: DEFAULT_COLUMNS, savedId: null });
  });

  it("ignores a malformed saved id, blank and duplicate columns", () => {
    const s = decodeDiscoverState(new URLSearchParams("saved=../../x&col=a&col=&col=a&col=b"));
    expect(s.savedId).toBeNull();
    expect(s.columns).toEqual(["a", "b"]);
  });

  it("builds links with the time range", () => {
    expect(discoverHref({ query: "x y", columns: [...DEFAULT_COLUMNS], savedId: null }, { from: "now-24h", to: "now" })).toBe("/explore/logs?from=now-24h&to=now&q=x+y");
    expect(discoverHref({ query: "", columns: [...DEFAULT_COLUMNS], savedId: null })).toBe("/explore/logs");
  });
});
