import { describe, expect, it } from "vitest";
import { PromTargetSchema } from "./model";
import { filterIdentity, panelCacheKey, ttlFor } from "./panel-cache";

const target = PromTargetSchema.parse({ kind: "promql", refId: "A", expr: "up" });
const parts = { filter: "none", target, start: 0, end: 60_000, step: 15_000 };

describe("filterIdentity", () => {
  it("is shared by everyone without a filter, whoever they are", () => {
    expect(filterIdentity({ dataFilter: null }, "promql")).toBe("none");
    expect(filterIdentity({ dataFilter: { logQuery: "service:a" } }, "promql")).toBe("none");
    expect(filterIdentity({ dataFilter: { labelMatchers: [] } }, "logs")).toBe("none");
  });

  it("follows the filter of the target's kind, not the order of matchers", () => {
    const a = filterIdentity({ dataFilter: { labelMatchers: ['team="a"', 'env="prod"'] } }, "promql");
    expect(a).not.toBe("none");
    expect(filterIdentity({ dataFilter: { labelMatchers: ['env="prod"', ' team="a" '] } }, "promql")).toBe(a);
    expect(filterIdentity({ dataFilter: { labelMatchers: ['team="b"'] } }, "promql")).not.toBe(a);
    expect(filterIdentity({ dataFilter: { logQuery: "service:a" } }, "logs")).not.toBe(filterIdentity({ dataFilter: { logQuery: "service:b" } }, "logs"));
  });
});

describe("panelCacheKey", () => {
  it("ignores refId and hide", () => {
    expect(panelCacheKey({ ...parts, target: { ...target, refId: "Z", hide: true } })).toBe(panelCacheKey(parts));
  });

  it("changes with the expression, legend, range, step and filter", () => {
    const k = panelCacheKey(parts);
    expect(panelCacheKey({ ...parts, target: { ...target, expr: "up == 1" } })).not.toBe(k);
    expect(panelCacheKey({ ...parts, target: { ...target, legendFormat: "{{job}}" } })).not.toBe(k);
    expect(panelCacheKey({ ...parts, start: 15_000 })).not.toBe(k);
    expect(panelCacheKey({ ...parts, end: 75_000 })).not.toBe(k);
    expect(panelCacheKey({ ...parts, step: 30_000 })).not.toBe(k);
    expect(panelCacheKey({ ...parts, filter: "m:x" })).not.toBe(k);
  });
});

describe("ttlFor", () => {
  const now = 10_000_000;
  it("10 s for a range ending within a minute of now, 5 min for a past range", () => {
    expect(ttlFor(now, now)).toBe(10_000);
    expect(ttlFor(now - 59_000, now)).toBe(10_000);
    expect(ttlFor(now + 5_000, now)).toBe(10_000);
    expect(ttlFor(now - 61_000, now)).toBe(300_000);
  });
});
